import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AttributeValue, ConsentState, DecisionContext, Profile, ProfileValue, Snapshot } from '../src/index.js';

const specDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../spec');

/** A JSON file of the product contract in `spec/`. */
export function loadSpec<T>(relative: string): T {
  return JSON.parse(readFileSync(resolve(specDir, relative), 'utf8')) as T;
}

/** The shared example snapshot (spec/fixtures/trellis-snapshot.json); a fresh object per call. */
export function trellisSnapshot(): Snapshot {
  return loadSpec<Snapshot>('fixtures/trellis-snapshot.json');
}

/** 2026-11-29T12:00:00Z: inside every fixture value's lifetime. */
export const NOW = Date.UTC(2026, 10, 29, 12);
const DAY = 86_400_000;

/** A stored profile value collected a day ago, expiring in 30 days. */
export function stored(value: AttributeValue, source: ProfileValue['source'] = 'declared'): ProfileValue {
  return { value, source, collectedAt: NOW - DAY, expiresAt: NOW + 30 * DAY };
}

/** A profile from plain values (declared unless given as a ProfileValue). */
export function profileOf(values: Record<string, AttributeValue | ProfileValue>, visitorId?: string): Profile {
  const entries = Object.entries(values).map(([key, value]) => [key, isStored(value) ? value : stored(value)] as const);
  return { version: 1, values: Object.fromEntries(entries), ...(visitorId === undefined ? {} : { visitorId }) };
}

function isStored(value: AttributeValue | ProfileValue): value is ProfileValue {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'collectedAt' in value;
}

/** Consent granting the listed purposes a day ago, with optional signals. */
export function consentOf(granted: readonly string[], extra: Partial<ConsentState> = {}): ConsentState {
  return {
    purposes: Object.fromEntries(granted.map((id) => [id, { status: 'granted' as const, at: NOW - DAY }])),
    signals: {},
    ...extra,
  };
}

/** A decision context at NOW with the given context attributes. */
export function contextOf(
  attributes: DecisionContext['attributes'] = {},
  slots: readonly string[] = [],
): DecisionContext {
  return { now: NOW, attributes, slots, languages: ['en'] };
}

export { DAY };
