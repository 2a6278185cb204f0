// Issue 7, "Hostile input": the snapshot, profile and consent state reach core from the network and
// from localStorage. Whatever they hold — a valid snapshot with one value swapped for garbage,
// prototype keys, any JSON at all — validation and decisions never throw, every slot still gets a
// decision, and no global prototype is touched.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createExplainer, decide, validateConsent, validateProfile, validateSnapshot } from '../src/index.js';
import { consentOf, contextOf, profileOf, trellisSnapshot } from './fixtures.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const HOSTILE: Json[] = [
  null,
  -1,
  1e308,
  '',
  '__proto__',
  'constructor',
  '(a+)+$',
  '<script>alert(1)</script>',
  [],
  {},
  JSON.parse('{"__proto__":{"polluted":true}}') as Json,
  JSON.parse('{"constructor":{"prototype":{"polluted":true}}}') as Json,
  { $regex: '(a|a)*b' },
  { $where: 'polluted' },
];

const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
);

/** Every path into a JSON tree, so a mutation can land anywhere. */
function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const here = prefix.length === 0 ? [] : [prefix];
  if (Array.isArray(value)) return [...here, ...value.flatMap((item, i) => pathsOf(item, [...prefix, i]))];
  if (value !== null && typeof value === 'object')
    return [...here, ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key]))];
  return here;
}

function replaced(root: Json, path: readonly (string | number)[], next: Json): Json {
  const copy = JSON.parse(JSON.stringify(root)) as Json;
  let node = copy as Record<string | number, Json>;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, Json>;
  const last = path[path.length - 1];
  if (last !== undefined) node[last] = next;
  return copy;
}

const base = trellisSnapshot() as unknown as Json;
const paths = pathsOf(base);
const slots = ['hero', 'promo', 'sidebar'];

function assertDecides(snapshot: unknown, profile: unknown, consent: unknown): void {
  const context = contextOf({ utmCampaign: 'spring-sale' }, slots);
  const decisions = decide(snapshot, profile, consent, context, { onError: () => undefined });
  const decided = new Set(decisions.map((decision) => decision.slot));
  for (const slot of slots) expect(decided.has(slot), slot).toBe(true);
  const why = createExplainer({ snapshot, profile, consent, context } as never);
  for (const decision of decisions) expect(why(decision).slot).toBe(decision.slot);
}

describe('core under hostile snapshot, profile and consent input', () => {
  afterEach(() => {
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('has a valid starting point, so the mutations below are the only thing wrong', () => {
    expect(validateSnapshot(base).ok).toBe(true);
    expect(paths.length).toBeGreaterThan(100);
  });

  it('never throws when any one value of a valid snapshot is replaced by garbage', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: paths.length - 1 }), hostileValue, (index, value) => {
        const snapshot = replaced(base, paths[index] ?? [], value);
        const validation = validateSnapshot(snapshot);
        expect(typeof validation.ok).toBe('boolean');
        assertDecides(snapshot, profileOf({ role: 'developer' }, 'visitor-1'), consentOf(['personalization']));
      }),
      { numRuns: 400, seed: 7 },
    );
  });

  it('never throws on arbitrary JSON as snapshot, profile or consent state', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 4 }), (junk, other) => {
        expect(validateSnapshot(junk).ok).toBe(false);
        validateProfile(junk);
        validateConsent(junk);
        assertDecides(junk, other, junk);
        assertDecides(base, junk, other);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('reads prototype keys in a profile or consent state as data, never as the prototype', () => {
    const entry = '{"value":"developer","source":"declared","collectedAt":1,"expiresAt":9e15}';
    const profile = JSON.parse(`{"version":1,"values":{"__proto__":${entry},"constructor":${entry}}}`) as unknown;
    const validation = validateProfile(profile);
    expect(Object.getPrototypeOf(validation.profile?.values)).toBe(Object.prototype);
    const consent = JSON.parse(
      '{"purposes":{"__proto__":{"status":"granted","at":1}},"signals":{"__proto__":{"gpc":false}}}',
    ) as unknown;
    const state = validateConsent(consent).consent;
    // `__proto__` is not a purpose anyone declared: nothing is granted by it.
    expect(Object.values(state.purposes).every((purpose) => purpose.status !== 'granted')).toBe(true);
    assertDecides(base, profile, consent);
  });
});
