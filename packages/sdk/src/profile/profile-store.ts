import type { AttributeValue, Field, FieldSource, Profile, ProfileValue } from '@candor/core';
import { isRecord, type KeyValueStore } from '../store.js';

/** A stored value with the purpose it was collected for (docs/privacy.md §4: source, time, purpose, expiry). */
export interface StoredValue extends ProfileValue {
  readonly purpose: string;
}

/** The one versioned on-device record. `Profile` is what `decide` reads; skips and exposures ride along. */
export interface DeviceRecord extends Profile {
  readonly version: 1;
  readonly values: Readonly<Record<string, StoredValue>>;
  /** Field key → epoch ms until which a skipped question stays unasked. */
  readonly skips?: Readonly<Record<string, number>>;
  /** Per experience this device was counted in: the variant (the server keeps the bounded values). */
  readonly measured?: Readonly<Record<string, MeasuredExperience>>;
}

/** What the device remembers of one experience it was counted in. */
export interface MeasuredExperience {
  readonly variant: string;
  /** The per-audience bandit segment it was split in. */
  readonly segment?: string;
  /** Set once the visitor withdrew the data its decision used: conversions are no longer sent for it. */
  readonly left?: true;
}

const KEY = 'profile';
const DAY_MS = 86_400_000;

/** The on-device profile. Writes reach localStorage only while `canStore()` says a storing purpose is granted. */
export interface ProfileStore {
  record(): DeviceRecord;
  set(field: Field, value: AttributeValue, source?: FieldSource): void;
  remove(key: string): void;
  /** Drops every value collected for one of these purposes (consent withdrawn or objection). */
  dropPurposes(purposes: ReadonlySet<string>): void;
  skip(field: Field): void;
  skippedUntil(key: string): number | undefined;
  /** Bucketing uses the id the server issued at the first choice; without one nothing is enrolled. */
  useVisitorId(visitorId: string | undefined): void;
  update(change: (record: DeviceRecord) => DeviceRecord): void;
  clear(): void;
  persist(): void;
}

/** Loads the record, dropping expired and malformed values (corrupt storage counts as empty). */
export function createProfileStore(options: {
  store: KeyValueStore;
  now: () => number;
  canStore: () => boolean;
  onCorrupt?: () => void;
}): ProfileStore {
  const { store, now, canStore } = options;
  let current = load(store.read(KEY), now(), options.onCorrupt);
  const save = (next: DeviceRecord): void => {
    current = next;
    if (canStore()) store.write(KEY, next);
  };
  return {
    record: () => current,
    set(field, value, source = field.source) {
      const at = now();
      const entry: StoredValue = {
        value,
        source,
        purpose: field.purpose,
        collectedAt: at,
        expiresAt: at + field.retentionDays * DAY_MS,
      };
      const { [field.key]: _skip, ...skips } = current.skips ?? {};
      save({ ...current, values: { ...current.values, [field.key]: entry }, skips });
    },
    remove(key) {
      const { [key]: _gone, ...values } = current.values;
      save({ ...current, values });
    },
    dropPurposes(purposes) {
      const values = Object.fromEntries(
        Object.entries(current.values).filter(([, entry]) => !purposes.has(entry.purpose)),
      );
      save({ ...current, values });
    },
    skip(field) {
      const until = now() + (field.coolingOffDays ?? 30) * DAY_MS;
      save({ ...current, skips: { ...current.skips, [field.key]: until } });
    },
    skippedUntil(key) {
      const until = current.skips?.[key];
      return until !== undefined && until > now() ? until : undefined;
    },
    useVisitorId(visitorId) {
      if (current.visitorId === visitorId) return;
      const { visitorId: _old, ...rest } = current;
      save(visitorId === undefined ? rest : { ...rest, visitorId });
    },
    update(change) {
      save(change(current));
    },
    clear() {
      current = { version: 1, values: {} };
      store.remove(KEY);
    },
    persist() {
      if (canStore()) store.write(KEY, current);
      else store.remove(KEY);
    },
  };
}

/** Reads an untrusted record: anything malformed is dropped, expired values never come back. */
export function load(value: unknown, now: number, onCorrupt?: () => void): DeviceRecord {
  if (value === undefined) return { version: 1, values: {} };
  if (!isRecord(value) || value['version'] !== 1 || !isRecord(value['values'])) {
    onCorrupt?.();
    return { version: 1, values: {} };
  }
  const values: Record<string, StoredValue> = {};
  for (const [key, entry] of entriesOf(value['values'])) {
    if (
      isRecord(entry) &&
      'value' in entry &&
      typeof entry['collectedAt'] === 'number' &&
      typeof entry['expiresAt'] === 'number' &&
      typeof entry['purpose'] === 'string' &&
      typeof entry['source'] === 'string' &&
      entry['expiresAt'] > now
    ) {
      values[key] = entry as unknown as StoredValue;
    }
  }
  const skips = isRecord(value['skips']) ? numbers(value['skips'], (until) => until > now) : undefined;
  const impressions = isRecord(value['impressions']) ? impressionsOf(value['impressions']) : undefined;
  const measured = isRecord(value['measured']) ? (value['measured'] as DeviceRecord['measured']) : undefined;
  return {
    version: 1,
    values,
    ...(typeof value['visitorId'] === 'string' ? { visitorId: value['visitorId'] } : {}),
    ...(skips ? { skips } : {}),
    ...(impressions ? { impressions } : {}),
    ...(measured ? { measured } : {}),
  };
}

// JSON.parse makes "__proto__" an own key; assigning it to a plain object would set that object's
// prototype instead (storage is input: another script or extension can write it), so it is dropped.
function entriesOf(value: Record<string, unknown>): [string, unknown][] {
  return Object.entries(value).filter(([key]) => key !== '__proto__');
}

function numbers(value: Record<string, unknown>, keep: (n: number) => boolean): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, n] of entriesOf(value)) if (typeof n === 'number' && keep(n)) out[key] = n;
  return out;
}

function impressionsOf(value: Record<string, unknown>): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [key, times] of entriesOf(value)) {
    if (Array.isArray(times)) out[key] = times.filter((time): time is number => typeof time === 'number');
  }
  return out;
}
