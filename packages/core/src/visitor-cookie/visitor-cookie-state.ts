import { purposeStatus } from '../consent/purpose-status.js';
import type { ConsentState, Field, Profile, ProfileValue, Purpose } from '../types.js';

/** The cookie format version: the value's prefix (`1.`). A reader refuses any other. */
export const VISITOR_COOKIE_VERSION = 1;

/** The longest cookie value written or read: one cookie stays far below every browser's limit. */
export const VISITOR_COOKIE_MAX_LENGTH = 3072;

/** What Candor's first-party cookie carries: the visitor's choice and what it allows to keep. */
export interface VisitorCookieState {
  readonly consent: ConsentState;
  /** Only values of granted purposes, and the visitor id only once a storing purpose is granted. */
  readonly profile: Profile;
  /** The snapshot version the choice was last decided under; `null` when none was loaded. */
  readonly snapshotVersion: number | null;
}

/** The parts of a snapshot that say which purpose each field serves. */
export interface CookieRules {
  readonly purposes: readonly Purpose[];
  readonly fields: readonly Field[];
}

const STORING_CLASSES = new Set<Purpose['class']>(['behavioural', 'measurement', 'cross_site']);

/** A purpose the visitor granted explicitly and that is in effect now (GPC, DNT and objection count). */
function grantedByChoice(purpose: Purpose | undefined, consent: ConsentState): boolean {
  if (purpose === undefined || !Object.hasOwn(consent.purposes, purpose.id)) return false;
  return consent.purposes[purpose.id]?.status === 'granted' && purposeStatus(purpose, consent).granted;
}

/**
 * The golden rule applied to what may be stored: a profile value survives only when its field is in
 * the snapshot and its purpose was granted by the visitor; the visitor id survives only when a
 * purpose that stores or counts was granted. Frequency-cap impressions are never carried.
 */
export function keepGranted(state: VisitorCookieState, rules: CookieRules): VisitorCookieState {
  const { purposes, fields } = lookups(rules);
  // Each purpose is judged once per call: a profile holds many values of few purposes.
  const granted = new Map<string, boolean>();
  const grantedPurpose = (id: string): boolean => {
    let answer = granted.get(id);
    if (answer === undefined) {
      answer = grantedByChoice(purposes.get(id), state.consent);
      granted.set(id, answer);
    }
    return answer;
  };
  const kept: [string, ProfileValue][] = [];
  for (const entry of Object.entries(state.profile.values)) {
    const field = fields.get(entry[0]);
    if (field !== undefined && grantedPurpose(field.purpose)) kept.push(entry);
  }
  // fromEntries, not assignment: a key such as "__proto__" from a cookie stays a plain own key.
  const values: Record<string, ProfileValue> = Object.fromEntries(kept);
  const identified = rules.purposes.some((purpose) => STORING_CLASSES.has(purpose.class) && grantedPurpose(purpose.id));
  const visitorId = identified ? state.profile.visitorId : undefined;
  return {
    consent: state.consent,
    profile: { version: 1, values, ...(visitorId === undefined ? {} : { visitorId }) },
    snapshotVersion: state.snapshotVersion,
  };
}

interface RuleLookups {
  readonly purposes: ReadonlyMap<string, Purpose>;
  readonly fields: ReadonlyMap<string, Field>;
}

// Built once per snapshot's purpose and field lists, not once per request: a server reads the
// cookie on every request against the same snapshot.
const lookupCache = new WeakMap<readonly Purpose[], WeakMap<readonly Field[], RuleLookups>>();

function lookups(rules: CookieRules): RuleLookups {
  let byFields = lookupCache.get(rules.purposes);
  if (byFields === undefined) {
    byFields = new WeakMap();
    lookupCache.set(rules.purposes, byFields);
  }
  let found = byFields.get(rules.fields);
  if (found === undefined) {
    found = {
      purposes: new Map(rules.purposes.map((purpose) => [purpose.id, purpose])),
      fields: new Map(rules.fields.map((field) => [field.key, field])),
    };
    byFields.set(rules.fields, found);
  }
  return found;
}

/** Whether the visitor has answered at all: at least one purpose chosen (a refusal is a choice). */
export function choiceMade(consent: ConsentState): boolean {
  return Object.keys(consent.purposes).length > 0;
}
