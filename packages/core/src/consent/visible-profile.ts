import type {
  AttributeValue,
  Attributes,
  ConsentState,
  DecisionContext,
  Field,
  FieldSource,
  Profile,
  Purpose,
} from '../types.js';
import { FORBIDDEN_PATH_SEGMENTS } from '../targeting/limits.js';
import { purposeStatus, type PurposeStatus } from './purpose-status.js';

const DAY_MS = 86_400_000;

/** One piece of data the engine may use, with where it came from. */
export interface VisibleSignal {
  readonly key: string;
  readonly field: Field;
  readonly value: AttributeValue;
  readonly source: FieldSource;
  /** Epoch ms; absent for context values, which belong to this visit. */
  readonly collectedAt?: number;
  readonly expiresAt?: number;
}

/** What the engine may see of a visitor: nothing else exists for it. */
export interface VisibleProfile {
  /** Attributes for conditions, nested by dotted field key. */
  readonly attributes: Attributes;
  readonly signals: ReadonlyMap<string, VisibleSignal>;
  /** Purposes whose fields were withheld because they are not granted. */
  readonly withheldPurposes: readonly string[];
  readonly statuses: ReadonlyMap<string, PurposeStatus>;
}

/** The snapshot parts visibility depends on. */
export interface VisibilityRules {
  readonly purposes: readonly Purpose[];
  readonly fields: readonly Field[];
}

/**
 * The golden rule (docs/privacy.md §9 principle 1): only fields whose purpose is granted, whose value has
 * not expired, that are not sensitive and, under GPC or DNT, not from third parties. Everything
 * else is absent, exactly as if it had never been collected. Values of the wrong type are dropped.
 */
export function visibleProfile(
  rules: VisibilityRules,
  profile: Profile | undefined,
  consent: ConsentState,
  context: DecisionContext,
): VisibleProfile {
  const statuses = new Map(rules.purposes.map((purpose) => [purpose.id, purposeStatus(purpose, consent)]));
  const attributes: Record<string, AttributeValue> = {};
  const signals = new Map<string, VisibleSignal>();
  const withheld = new Set<string>();
  const signalled = consent.signals.gpc !== undefined || consent.signals.dnt !== undefined;

  for (const field of rules.fields) {
    if (!statuses.get(field.purpose)?.granted) {
      withheld.add(field.purpose);
      continue;
    }
    if (field.category.startsWith('S.') || (signalled && field.origin === 'third_party')) continue;
    const signal =
      field.source === 'context' ? contextSignal(field, context) : storedSignal(field, profile, context.now);
    if (signal === undefined || !fitsType(field, signal.value)) continue;
    signals.set(field.key, signal);
    setPath(attributes, field.key, signal.value);
  }
  return { attributes, signals, withheldPurposes: [...withheld], statuses };
}

function contextSignal(field: Field, context: DecisionContext): VisibleSignal | undefined {
  if (!Object.hasOwn(context.attributes, field.key)) return undefined;
  const value = context.attributes[field.key];
  return value === undefined || value === null ? undefined : { key: field.key, field, value, source: 'context' };
}

function storedSignal(field: Field, profile: Profile | undefined, now: number): VisibleSignal | undefined {
  if (!profile || !Object.hasOwn(profile.values, field.key)) return undefined;
  const stored = profile.values[field.key];
  if (!stored || stored.value === null) return undefined;
  const retentionEnd = stored.collectedAt + field.retentionDays * DAY_MS;
  if (!(stored.expiresAt > now) || !(retentionEnd > now)) return undefined;
  return {
    key: field.key,
    field,
    value: stored.value,
    source: field.source,
    collectedAt: stored.collectedAt,
    expiresAt: Math.min(stored.expiresAt, retentionEnd),
  };
}

function fitsType(field: Field, value: AttributeValue): boolean {
  switch (field.type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'string[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
  }
}

function setPath(target: Record<string, AttributeValue>, key: string, value: AttributeValue): void {
  if (!key.includes('.')) {
    if (!FORBIDDEN_PATH_SEGMENTS.has(key)) target[key] = value;
    return;
  }
  const parts = key.split('.');
  if (parts.some((part) => FORBIDDEN_PATH_SEGMENTS.has(part))) return;
  let node: Record<string, AttributeValue> = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) {
      const created: Record<string, AttributeValue> = {};
      node[part] = created;
      node = created;
    } else {
      node = next as Record<string, AttributeValue>;
    }
  }
  node[parts[parts.length - 1] as string] = value;
}
