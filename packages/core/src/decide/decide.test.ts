import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consentOf, contextOf, DAY, NOW, profileOf, stored, trellisSnapshot } from '../../test/fixtures.js';
import {
  decide,
  decideVerified,
  toOpenFeatureReason,
  type Decision,
  type DecisionErrorDetail,
  type Profile,
  type Snapshot,
} from '../index.js';

const snapshot = trellisSnapshot();
const bySlot = (decisions: Decision[]): Record<string, Decision> =>
  Object.fromEntries(decisions.map((decision) => [decision.slot, decision]));
const hero = (profile: unknown, consent: unknown, attributes = {}): Decision =>
  bySlot(decide(snapshot, profile, consent, contextOf(attributes)))['hero'] as Decision;

describe('decide: audiences see only granted data', () => {
  it('personalizes from a declared answer when personalization is granted', () => {
    const decision = hero(profileOf({ role: 'developer' }), consentOf(['personalization']));
    expect(decision).toMatchObject({ reason: 'TARGETING_MATCH', kind: 'declared', experienceId: 'hero-developers' });
    expect(decision.variant?.id).toBe('dev-hero');
    expect(decision.enrolled).toBe(false);
    expect(decision.signals.map((signal) => signal.key)).toEqual(['role']);
  });

  it('treats pending consent as denied: personalization is off', () => {
    const decision = hero(profileOf({ role: 'developer' }), { purposes: {}, signals: {} });
    expect(decision).toMatchObject({ reason: 'PERSONALIZATION_OFF', variant: null, signals: [] });
  });

  it('honours an explicit denial', () => {
    const consent = { purposes: { personalization: { status: 'denied', at: NOW - DAY } }, signals: {} };
    expect(hero(profileOf({ role: 'developer' }), consent).reason).toBe('PERSONALIZATION_OFF');
  });

  it('under GPC ignores a grant given before the signal and honours one given after it', () => {
    const before = consentOf(['personalization'], { signals: { gpc: { since: NOW - DAY / 2 } } });
    const after = consentOf(['personalization'], { signals: { gpc: { since: NOW - 2 * DAY } } });
    expect(hero(profileOf({ role: 'developer' }), before).reason).toBe('PERSONALIZATION_OFF');
    expect(hero(profileOf({ role: 'developer' }), after).variant?.id).toBe('dev-hero');
  });

  it('under DNT behaves like GPC', () => {
    const consent = consentOf(['personalization'], { signals: { dnt: { since: NOW - DAY / 2 } } });
    expect(hero(profileOf({ role: 'developer' }), consent).reason).toBe('PERSONALIZATION_OFF');
  });

  it('makes "stop personalizing me" absolute', () => {
    const consent = consentOf(['personalization'], { objectsToPersonalization: true });
    expect(hero(profileOf({ role: 'developer' }), consent).reason).toBe('PERSONALIZATION_OFF');
  });

  it('never sees a sensitive field, even when its purpose is granted', () => {
    const decision = hero(profileOf({ healthCondition: 'asthma' }), consentOf(['personalization']));
    expect(decision.experienceId).toBeNull();
    expect(decision.trace).toContainEqual({ experienceId: 'hero-sensitive', step: 'audience', passed: false });
  });

  it('drops expired values and values past their field retention', () => {
    const expired = {
      value: 'developer',
      source: 'declared' as const,
      collectedAt: NOW - 10 * DAY,
      expiresAt: NOW - 1,
    };
    const pastRetention = {
      value: 'developer',
      source: 'declared' as const,
      collectedAt: NOW - 200 * DAY,
      expiresAt: NOW + DAY,
    };
    expect(hero(profileOf({ role: expired }), consentOf(['personalization'])).variant).toBeNull();
    expect(hero(profileOf({ role: pastRetention }), consentOf(['personalization'])).variant).toBeNull();
  });

  it('drops a value of the wrong type instead of matching on it', () => {
    expect(hero(profileOf({ teamSize: '500' }), consentOf(['personalization'])).variant).toBeNull();
    expect(hero(profileOf({ teamSize: 500 }), consentOf(['personalization'])).variant?.id).toBe('leader-hero');
  });

  it('refuses third-party data under GPC even when its purpose was granted after the signal', () => {
    const profile = profileOf({ partnerSegment: stored('enterprise', 'observed') });
    expect(hero(profile, consentOf(['partners'])).variant?.id).toBe('partner-hero');
    const gpc = consentOf(['partners'], { signals: { gpc: { since: NOW - 3 * DAY } } });
    expect(hero(profile, gpc).variant).toBeNull();
  });
});

describe('decide: without consent only contextual variants apply', () => {
  it('applies a contextual experience with no consent and no storage', () => {
    const decisions = bySlot(decide(snapshot, undefined, undefined, contextOf({ utmCampaign: 'spring-sale' })));
    expect(decisions['banner']).toMatchObject({ reason: 'TARGETING_MATCH', kind: 'contextual', enrolled: false });
    expect(decisions['banner']?.variant?.id).toBe('spring');
  });

  it('enrols nobody in an experiment without measurement consent', () => {
    const decisions = bySlot(decide(snapshot, profileOf({}, 'visitor-1'), consentOf(['personalization']), contextOf()));
    expect(decisions['cta']).toMatchObject({ reason: 'DEFAULT', variant: null, enrolled: false });
    expect(decisions['cta']?.trace).toEqual([{ experienceId: 'cta-test', step: 'enrolment', passed: false }]);
  });

  it('needs a pseudonymous id as well as measurement consent to enrol', () => {
    const decisions = bySlot(decide(snapshot, profileOf({}), consentOf(['measurement']), contextOf()));
    expect(decisions['cta']?.enrolled).toBe(false);
  });

  it('splits visitors who allow measurement, deterministically', () => {
    const first = bySlot(decide(snapshot, profileOf({}, 'visitor-42'), consentOf(['measurement']), contextOf()))['cta'];
    const again = bySlot(decide(snapshot, profileOf({}, 'visitor-42'), consentOf(['measurement']), contextOf()))['cta'];
    expect(first).toMatchObject({ reason: 'SPLIT', kind: 'randomized', enrolled: true });
    expect(again?.variant?.id).toBe(first?.variant?.id);
  });
});

describe('decide: holdout, split, namespaces, caps and schedules', () => {
  it('keeps about the holdout share on default content', () => {
    const consent = consentOf(['personalization', 'measurement']);
    let holdout = 0;
    const n = 4000;
    for (let i = 0; i < n; i++) {
      const decision = hero(profileOf({ role: 'developer' }, `v${i}`), consent);
      if (decision.reason === 'HOLDOUT') {
        holdout++;
        expect(decision.variant).toBeNull();
        expect(decision.enrolled).toBe(true);
      } else {
        expect(decision).toMatchObject({ reason: 'SPLIT', enrolled: true });
      }
    }
    // 10% holdout; 4 standard errors of a binomial share at n = 4000 is about ±1.9 points.
    expect(Math.abs(holdout / n - 0.1)).toBeLessThan(0.019);
  });

  it('follows the published weights of a bandit', () => {
    const consent = consentOf(['personalization', 'measurement']);
    const counts = { demo: 0, pricing: 0 };
    for (let i = 0; i < 4000; i++) {
      const profile = profileOf({ likelyBuyer: stored(true, 'inferred') }, `b${i}`);
      const decision = bySlot(decide(snapshot, profile, consent, contextOf()))['sidebar'];
      expect(decision?.allocation).toBe('bandit');
      counts[decision?.variant?.id as 'demo' | 'pricing']++;
    }
    expect(Math.abs(counts.demo / 4000 - 0.7)).toBeLessThan(0.03);
  });

  it('keeps visitors outside a namespace slice out of the experiment', () => {
    const narrowed = {
      ...snapshot,
      experiences: snapshot.experiences.map((e) =>
        e.id === 'cta-test' ? { ...e, namespace: ['cta', 0, 0.5] as const } : e,
      ),
    };
    const outcomes = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const decision = bySlot(decide(narrowed, profileOf({}, `n${i}`), consentOf(['measurement']), contextOf()))['cta'];
      outcomes.add(decision?.trace[0]?.step ?? '');
    }
    expect(outcomes).toEqual(new Set(['namespace', 'assignment']));
  });

  it("stops interruptive content at its frequency cap, counted from the visitor's own history", () => {
    const consent = consentOf(['personalization']);
    const base = profileOf({ viewedCategories: stored(['docs'], 'observed') }, 'visitor-7');
    const popup = (impressions: number[]): Decision | undefined =>
      bySlot(decide(snapshot, { ...base, impressions: { 'docs-popup': impressions } }, consent, contextOf()))['popup'];
    expect(popup([NOW - DAY])?.variant?.id).toBe('newsletter');
    expect(popup([NOW - DAY, NOW - 2 * DAY])?.variant).toBeNull();
    expect(popup([NOW - 8 * DAY, NOW - 9 * DAY])?.variant?.id).toBe('newsletter');
  });

  it('does not show capped interruptive content when there is nowhere to count impressions', () => {
    const profile = profileOf({ viewedCategories: stored(['docs'], 'observed') });
    const decision = bySlot(decide(snapshot, profile, consentOf(['personalization']), contextOf()))['popup'];
    expect(decision?.trace).toEqual([{ experienceId: 'docs-popup', step: 'frequency_cap', passed: false }]);
  });

  it('runs a scheduled experience only inside its window', () => {
    const at = (now: number): Decision | undefined =>
      bySlot(decide(snapshot, undefined, undefined, { ...contextOf(), now }))['footer'];
    expect(at(1_785_000_000_000)?.variant?.id).toBe('summer');
    expect(at(1_790_000_000_000)?.variant).toBeNull();
    expect(at(NOW)?.trace[0]?.step).toBe('schedule');
  });

  it('returns a decision for every slot on the page, including ones no experience targets', () => {
    const decisions = decide(snapshot, undefined, undefined, contextOf({}, ['nav']));
    expect(decisions.map((decision) => decision.slot)).toContain('nav');
    expect(bySlot(decisions)['nav']).toMatchObject({ reason: 'DEFAULT', variant: null, trace: [] });
  });
});

describe('decide: bad input never throws', () => {
  const collect = (): { errors: DecisionErrorDetail[]; onError: (detail: DecisionErrorDetail) => void } => {
    const errors: DecisionErrorDetail[] = [];
    return { errors, onError: (detail) => errors.push(detail) };
  };

  it.each([
    ['null', null],
    ['a string', 'snapshot'],
    ['an empty object', {}],
    ['experiences that are not a list', { ...trellisSnapshot(), experiences: 'x' }],
    [
      'a variant without content',
      { ...trellisSnapshot(), experiences: [{ ...trellisSnapshot().experiences[1], variants: [{ id: 'x' }] }] },
    ],
  ])('answers ERROR for %s', (_name, bad) => {
    const { errors, onError } = collect();
    const decisions = decide(bad, undefined, undefined, contextOf({}, ['hero']), { onError });
    expect(decisions).toEqual([
      expect.objectContaining({ slot: 'hero', reason: 'ERROR', errorCode: 'SNAPSHOT_INVALID', variant: null }),
    ]);
    expect(errors[0]?.code).toBe('SNAPSHOT_INVALID');
  });

  it('refuses an unknown major schema version', () => {
    const { errors, onError } = collect();
    const [decision] = decide({ ...snapshot, schemaVersion: '2.0' }, undefined, undefined, contextOf({}, ['hero']), {
      onError,
    });
    expect(decision).toMatchObject({ reason: 'ERROR', errorCode: 'SNAPSHOT_VERSION_UNSUPPORTED' });
    expect(errors[0]?.message).toMatch(/update the SDK/);
  });

  it('reads a newer minor version of the same major', () => {
    const [decision] = decide({ ...snapshot, schemaVersion: '1.9' }, undefined, undefined, contextOf({}, ['hero']));
    expect(decision?.reason).not.toBe('ERROR');
  });

  it('answers ERROR for an unreadable profile, and drops single malformed values', () => {
    const { errors, onError } = collect();
    expect(decide(snapshot, 'garbage', undefined, contextOf(), { onError })[0]?.errorCode).toBe('PROFILE_INVALID');
    const partly = { version: 1, values: { role: stored('developer'), teamSize: { value: 9 } } };
    expect(hero(partly, consentOf(['personalization'])).variant?.id).toBe('dev-hero');
    decide(snapshot, partly, consentOf(['personalization']), contextOf(), { onError });
    expect(errors.map((error) => error.code)).toEqual(['PROFILE_INVALID', 'PROFILE_INVALID']);
  });

  it('treats unreadable consent as pending', () => {
    const { errors, onError } = collect();
    const decisions = bySlot(decide(snapshot, profileOf({ role: 'developer' }), 42, contextOf(), { onError }));
    expect(decisions['hero']?.reason).toBe('PERSONALIZATION_OFF');
    expect(errors[0]?.code).toBe('CONSENT_INVALID');
  });

  it('makes an over-deep condition never match and reports it', () => {
    let deep: Record<string, unknown> = { role: 'developer' };
    for (let i = 0; i < 40; i++) deep = { $and: [deep] };
    const bad = {
      ...snapshot,
      audiences: snapshot.audiences.map((a) => (a.id === 'developers' ? { ...a, condition: deep } : a)),
    };
    const { errors, onError } = collect();
    const decisions = bySlot(
      decide(bad, profileOf({ role: 'developer' }), consentOf(['personalization']), contextOf(), { onError }),
    );
    expect(decisions['hero']?.variant).toBeNull();
    expect(errors).toContainEqual({
      code: 'CONDITION_INVALID',
      message: 'audience developers never matches: condition is too deep',
    });
  });

  it('keeps prototype-polluting keys inert', () => {
    const entry = (value: string): string =>
      `{"value":"${value}","source":"declared","collectedAt":${NOW - DAY},"expiresAt":9e15}`;
    const polluted = JSON.parse(
      `{"version":1,"__proto__":{"visitorId":"x"},"values":{"__proto__":${entry('x')},"role":${entry('developer')}}}`,
    ) as unknown;
    const decision = hero(polluted, consentOf(['personalization']));
    expect(decision.variant?.id).toBe('dev-hero');
    expect(({} as Record<string, unknown>)['value']).toBeUndefined();
  });

  it('survives an onError hook that throws', () => {
    expect(() =>
      decide(null, undefined, undefined, contextOf({}, ['hero']), {
        onError: () => {
          throw new Error('hook');
        },
      }),
    ).not.toThrow();
  });
});

describe('decideVerified: a signed snapshot is not checked again', () => {
  it('decides like decide on a well-formed snapshot, profile and consent', () => {
    const profile = profileOf({ role: 'developer' }, 'visitor-1') as Profile;
    const consent = consentOf(['personalization', 'measurement']);
    expect(decideVerified(snapshot, profile, consent, contextOf())).toEqual(
      decide(snapshot, profile, consent, contextOf()),
    );
  });

  it('skips the ReDoS scan the server ran before signing, but an invalid pattern still never matches', () => {
    const withRegex = (pattern: string): Snapshot => ({
      ...snapshot,
      audiences: snapshot.audiences.map((a) =>
        a.id === 'developers' ? { ...a, condition: { role: { $regex: pattern } } } : a,
      ),
    });
    const profile = profileOf({ role: 'developer' }) as Profile;
    const consent = consentOf(['personalization']);
    const heroOf = (decisions: Decision[]) => bySlot(decisions)['hero']?.variant?.id ?? null;
    // A nested quantifier: decide refuses it at run time; decideVerified trusts the publish-time lint.
    expect(heroOf(decide(withRegex('^(d+)+eveloper$'), profile, consent, contextOf()))).toBeNull();
    expect(heroOf(decideVerified(withRegex('^(d+)+eveloper$'), profile, consent, contextOf()))).toBe('dev-hero');
    expect(heroOf(decideVerified(withRegex('(unclosed'), profile, consent, contextOf()))).toBeNull();
  });

  it('never throws: a snapshot that breaks the pipeline yields ERROR decisions and onError', () => {
    const errors: DecisionErrorDetail[] = [];
    const broken = { ...snapshot, experiences: 'x' } as unknown as Snapshot;
    const decisions = decideVerified(broken, undefined, consentOf([]), contextOf({}, ['hero']), {
      onError: (detail) => errors.push(detail),
    });
    expect(decisions).toEqual([expect.objectContaining({ slot: 'hero', reason: 'ERROR', errorCode: 'GENERAL' })]);
    expect(errors[0]?.code).toBe('GENERAL');
  });
});

describe('decide: the golden rule, as a property', () => {
  const ungrantedOrExpired = fc.record({
    healthCondition: fc.string(),
    partnerSegment: fc.constantFrom('enterprise', 'smb', ''),
    viewedCategories: fc.array(fc.constantFrom('docs', 'pricing', 'blog')),
    likelyBuyer: fc.boolean(),
    teamSize: fc.integer({ min: 0, max: 1000 }),
  });

  it('no change to an ungranted field ever changes a decision', () => {
    // Only contextual data is granted (by default); personalization, measurement and partners are pending.
    const consent = consentOf([]);
    const baseline = decide(snapshot, profileOf({}, 'visitor-1'), consent, contextOf({ utmCampaign: 'spring-sale' }));
    fc.assert(
      fc.property(ungrantedOrExpired, fc.constantFrom('developer', 'manager', 'founder'), (values, role) => {
        const profile = profileOf(
          { ...values, role, viewedCategories: stored(values.viewedCategories, 'observed') },
          'visitor-1',
        );
        const decisions = decide(snapshot, profile, consent, contextOf({ utmCampaign: 'spring-sale' }));
        expect(strip(decisions)).toEqual(strip(baseline));
      }),
      { numRuns: 200 },
    );
  });

  it('no change to an expired field ever changes a decision', () => {
    const consent = consentOf(['personalization', 'measurement', 'partners']);
    const expired = (value: unknown) => ({
      value,
      source: 'declared',
      collectedAt: NOW - 40 * DAY,
      expiresAt: NOW - DAY,
    });
    const baseline = decide(snapshot, profileOf({}, 'visitor-2'), consent, contextOf());
    fc.assert(
      fc.property(ungrantedOrExpired, fc.constantFrom('developer', 'manager'), (values, role) => {
        const entries = Object.entries({ ...values, role }).map(([key, value]) => [key, expired(value)]);
        const profile = { version: 1, visitorId: 'visitor-2', values: Object.fromEntries(entries) };
        expect(strip(decide(snapshot, profile, consent, contextOf()))).toEqual(strip(baseline));
      }),
      { numRuns: 200 },
    );
  });
});

function strip(decisions: Decision[]): unknown {
  return decisions.map(({ slot, reason, variant, experienceId, signals, enrolled }) => ({
    slot,
    reason,
    variant: variant?.id ?? null,
    experienceId,
    signals: signals.map((signal) => signal.key),
    enrolled,
  }));
}

describe('reasons map onto OpenFeature', () => {
  it.each([
    ['TARGETING_MATCH', 'TARGETING_MATCH'],
    ['SPLIT', 'SPLIT'],
    ['HOLDOUT', 'SPLIT'],
    ['DEFAULT', 'DEFAULT'],
    ['PERSONALIZATION_OFF', 'DISABLED'],
    ['ERROR', 'ERROR'],
  ] as const)('%s → %s', (reason, openFeature) => {
    expect(toOpenFeatureReason(reason)).toBe(openFeature);
  });
});
