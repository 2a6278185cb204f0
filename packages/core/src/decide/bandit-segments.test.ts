import { describe, expect, it } from 'vitest';
import { consentOf, contextOf, profileOf, stored, trellisSnapshot } from '../../test/fixtures.js';
import { decide, validateSnapshot, type BanditSegment, type Decision, type Profile, type Snapshot } from '../index.js';

/** The fixture's bandit (`buyer-nudge`, 70/30 overall) with per-audience segments. */
function withSegments(segments: readonly BanditSegment[], allocation: 'bandit' | 'fixed' = 'bandit'): Snapshot {
  const snapshot = trellisSnapshot();
  return {
    ...snapshot,
    experiences: snapshot.experiences.map((experience) =>
      experience.id === 'buyer-nudge' ? { ...experience, allocation, segments } : experience,
    ),
  };
}

const sidebar = (snapshot: Snapshot, profile: Profile, granted = ['personalization', 'measurement']): Decision =>
  decide(snapshot, profile, consentOf(granted), contextOf()).find((decision) => decision.slot === 'sidebar')!;

const buyer = (i: number, extra: Record<string, unknown> = {}) =>
  profileOf({ likelyBuyer: stored(true, 'inferred'), ...extra } as never, `seg${i}`);

describe('per-audience bandit segments', () => {
  // Developers learned that "See plans" works for them; everyone else keeps the experience's 70/30.
  const snapshot = withSegments([{ audience: 'developers', weights: { demo: 0, pricing: 1 } }]);

  it("splits a visitor in a segment's audience by that segment's weights, and says which segment", () => {
    for (let i = 0; i < 300; i++) {
      const decision = sidebar(snapshot, buyer(i, { role: 'developer' }));
      expect(decision).toMatchObject({ allocation: 'bandit', segment: 'developers', reason: 'SPLIT' });
      expect(decision.variant?.id).toBe('pricing');
    }
  });

  it('shows the data the segment read among the signals, since it shaped the split', () => {
    const decision = sidebar(snapshot, buyer(1, { role: 'developer' }));
    expect(decision.signals.map((signal) => signal.key).sort()).toEqual(['likelyBuyer', 'role']);
  });

  it("splits everyone else by the experience's own weights, with no segment", () => {
    let demo = 0;
    for (let i = 0; i < 3000; i++) {
      const decision = sidebar(snapshot, buyer(i, { role: 'designer' }));
      expect(decision.segment).toBeNull();
      if (decision.variant?.id === 'demo') demo++;
    }
    // 70 % within 4 standard errors of a binomial share at n = 3000 (±3.3 points).
    expect(Math.abs(demo / 3000 - 0.7)).toBeLessThan(0.034);
  });

  it('takes the first matching segment, in order', () => {
    const ordered = withSegments([
      { audience: 'leaders', weights: { demo: 1, pricing: 0 } },
      { audience: 'developers', weights: { demo: 0, pricing: 1 } },
    ]);
    // A developer on a team of 80 is in both audiences: the first listed wins.
    const decision = sidebar(ordered, buyer(3, { role: 'developer', teamSize: 80 }));
    expect(decision).toMatchObject({ segment: 'leaders', variant: { id: 'demo' } });
  });

  it("uses the variants' own weights for a segment not learned yet", () => {
    const unlearned = withSegments([{ audience: 'developers' }]);
    const first = sidebar(unlearned, buyer(7, { role: 'developer' }));
    const plain = sidebar(trellisSnapshot(), buyer(7, { role: 'developer' }));
    expect(first.segment).toBe('developers');
    expect(first.variant?.id).toBe(plain.variant?.id);
  });

  it("never matches a segment on data the visitor did not grant: the segment's field is simply not there", () => {
    // Partners (cross-site) are not granted: the segment on partnerSegment cannot apply.
    const partners = withSegments([{ audience: 'partner-enterprise', weights: { demo: 0, pricing: 1 } }]);
    for (let i = 0; i < 100; i++) {
      const granted = sidebar(partners, buyer(i, { partnerSegment: 'enterprise' }), [
        'personalization',
        'measurement',
        'partners',
      ]);
      expect(granted.segment).toBe('partner-enterprise');
      const ungranted = sidebar(partners, buyer(i, { partnerSegment: 'enterprise' }));
      const without = sidebar(partners, buyer(i));
      expect(ungranted.segment).toBeNull();
      expect(ungranted.variant).toEqual(without.variant);
      expect(ungranted.signals).toEqual(without.signals);
    }
  });

  it('ignores segments on a fixed split: only bandits learn per audience', () => {
    const fixed = withSegments([{ audience: 'developers', weights: { demo: 0, pricing: 1 } }], 'fixed');
    expect(sidebar(fixed, buyer(1, { role: 'developer' })).segment).toBeNull();
  });

  it('is refused by snapshot validation when a segment names no audience or carries a negative weight', () => {
    expect(validateSnapshot(withSegments([{ audience: 'developers', weights: { demo: 2 } }])).ok).toBe(true);
    expect(validateSnapshot(withSegments([{ audience: '' }])).ok).toBe(false);
    expect(validateSnapshot(withSegments([{ audience: 'developers', weights: { demo: -1 } }])).ok).toBe(false);
  });
});
