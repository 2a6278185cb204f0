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
  const purposes = new Map(rules.purposes.map((purpose) => [purpose.id, purpose]));
  const fields = new Map(rules.fields.map((field) => [field.key, field]));
  const values: Record<string, ProfileValue> = Object.fromEntries(
    Object.entries(state.profile.values).filter(([key]) => {
      const field = fields.get(key);
      return field !== undefined && grantedByChoice(purposes.get(field.purpose), state.consent);
    }),
  );
  const identified = rules.purposes.some(
    (purpose) => STORING_CLASSES.has(purpose.class) && grantedByChoice(purpose, state.consent),
  );
  const visitorId = identified ? state.profile.visitorId : undefined;
  return {
    consent: state.consent,
    profile: { version: 1, values, ...(visitorId === undefined ? {} : { visitorId }) },
    snapshotVersion: state.snapshotVersion,
  };
}

/** Whether the visitor has answered at all: at least one purpose chosen (a refusal is a choice). */
export function choiceMade(consent: ConsentState): boolean {
  return Object.keys(consent.purposes).length > 0;
}
