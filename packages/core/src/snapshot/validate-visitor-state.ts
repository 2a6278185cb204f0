import type { ConsentState, Profile, ProfileValue, PurposeChoice } from '../types.js';
import { isFiniteNumber, isRecord } from './guards.js';

/** A profile after checking: malformed entries are dropped and named, never trusted. */
export interface ProfileValidation {
  readonly profile: Profile | undefined;
  /** Set when the whole profile was unreadable: decisions then report ERROR. */
  readonly error?: string;
  /** Keys of entries that were dropped because they were malformed. */
  readonly dropped: readonly string[];
}

/** Read an untrusted on-device profile. `undefined`/`null` is a visitor with no profile. */
export function validateProfile(value: unknown): ProfileValidation {
  if (value === undefined || value === null) return { profile: undefined, dropped: [] };
  if (!isRecord(value) || value['version'] !== 1 || !isRecord(value['values'])) {
    return { profile: undefined, error: 'the profile must be { version: 1, values: {...} }', dropped: [] };
  }
  const stored = value['values'];
  const dropped = Object.keys(stored).filter((key) => !isProfileValue(stored[key]));
  // The common case, a well-formed profile, is read as is: no copy on the decision path.
  const values: Profile['values'] =
    dropped.length === 0
      ? (stored as Profile['values'])
      : (Object.fromEntries(Object.entries(stored).filter(([key]) => !dropped.includes(key))) as Record<
          string,
          ProfileValue
        >);
  const visitorId = typeof value['visitorId'] === 'string' ? value['visitorId'] : undefined;
  const impressions = isRecord(value['impressions']) ? readImpressions(value['impressions']) : undefined;
  return {
    profile: {
      version: 1,
      values,
      ...(visitorId === undefined ? {} : { visitorId }),
      ...(impressions === undefined ? {} : { impressions }),
    },
    dropped,
  };
}

function isProfileValue(entry: unknown): boolean {
  return (
    isRecord(entry) && 'value' in entry && isFiniteNumber(entry['collectedAt']) && isFiniteNumber(entry['expiresAt'])
  );
}

function readImpressions(value: Record<string, unknown>): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [id, times] of Object.entries(value)) {
    if (Array.isArray(times)) out[id] = times.filter(isFiniteNumber);
  }
  return out;
}

const PENDING: ConsentState = { purposes: {}, signals: {} };

/** Read an untrusted consent state; anything unreadable counts as pending, which means denied. */
export function validateConsent(value: unknown): { consent: ConsentState; error?: string } {
  if (!isRecord(value))
    return value === undefined ? { consent: PENDING } : { consent: PENDING, error: 'consent must be an object' };
  const purposes: Record<string, PurposeChoice> = {};
  if (isRecord(value['purposes'])) {
    for (const [id, choice] of Object.entries(value['purposes'])) {
      if (
        isRecord(choice) &&
        (choice['status'] === 'granted' || choice['status'] === 'denied') &&
        isFiniteNumber(choice['at'])
      ) {
        purposes[id] = { status: choice['status'], at: choice['at'] };
      }
    }
  }
  const signals = isRecord(value['signals']) ? value['signals'] : {};
  const since = (signal: unknown): { since: number } | undefined =>
    isRecord(signal) && isFiniteNumber(signal['since']) ? { since: signal['since'] } : undefined;
  const gpc = since(signals['gpc']);
  const dnt = since(signals['dnt']);
  return {
    consent: {
      purposes,
      signals: { ...(gpc ? { gpc } : {}), ...(dnt ? { dnt } : {}) },
      ...(value['objectsToPersonalization'] === true ? { objectsToPersonalization: true } : {}),
      ...(typeof value['recordId'] === 'string' ? { recordId: value['recordId'] } : {}),
      ...(typeof value['policyVersion'] === 'string' ? { policyVersion: value['policyVersion'] } : {}),
    },
  };
}
