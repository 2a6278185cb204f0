import { describe, expect, it } from 'vitest';
import { consentOf, contextOf, DAY, NOW, profileOf, stored, trellisSnapshot } from '../../test/fixtures.js';
import {
  decide,
  explain,
  type ConsentState,
  type DecisionContext,
  type Explanation,
  type Language,
  type Profile,
} from '../index.js';

const snapshot = trellisSnapshot();

function explainSlot(
  slot: string,
  profile: Profile | undefined,
  consent: ConsentState | undefined,
  context: DecisionContext = contextOf(),
  language?: Language,
): Explanation {
  const decision = decide(snapshot, profile, consent, context).find((candidate) => candidate.slot === slot);
  if (!decision) throw new Error(`no decision for ${slot}`);
  return explain(decision, { snapshot, profile, consent, context }, language ? { language } : {});
}

describe('explain: a declared answer', () => {
  const profile = profileOf({ role: 'developer' });
  const consent = consentOf(['personalization'], { recordId: 'c_123', policyVersion: '2026-10' });

  it('names the data, its value as given, source, time, purpose and expiry', () => {
    const explanation = explainSlot('hero', profile, consent);
    expect(explanation.kind).toBe('declared');
    expect(explanation.signals).toEqual([
      expect.objectContaining({
        key: 'role',
        label: 'role',
        value: 'Developer',
        rawValue: 'developer',
        source: 'declared',
        purposeId: 'personalization',
        origin: 'this_site_only',
        collectedAt: NOW - DAY,
      }),
    ]);
    expect(explanation.text.signals[0]).toBe(
      'role: Developer. You told us on Nov 28, 2026, this site only. Used for Personalization, kept until Dec 29, 2026.',
    );
  });

  it('gives the main reason in plain words, in English and Traditional Chinese', () => {
    expect(explainSlot('hero', profile, consent).text.mainReason).toBe(
      "You're seeing this because you told us your role is Developer.",
    );
    expect(explainSlot('hero', profile, consent, contextOf(), 'zh-Hant').text.mainReason).toBe(
      '您看到這個內容，是因為您告訴我們您的職務是「開發人員」。',
    );
  });

  it('follows the page then browser language when none is given', () => {
    const context = { ...contextOf(), languages: ['zh-TW', 'en'] };
    expect(explainSlot('hero', profile, consent, context).language).toBe('zh-Hant');
  });

  it("speaks only the site's languages: an English-only site explains in English to a zh-TW browser", () => {
    const englishOnly = { ...snapshot, site: { ...snapshot.site, languages: ['en'] as const } };
    const context = { ...contextOf(), languages: ['zh-TW', 'en'] };
    const [decision] = decide(englishOnly, profile, consent, context).filter((item) => item.slot === 'hero');
    const inputs = { snapshot: englishOnly, profile, consent, context };
    expect(explain(decision!, inputs).text.mainReason).toBe(
      "You're seeing this because you told us your role is Developer.",
    );
    expect(explain(decision!, inputs, { language: 'zh-Hant' }).language).toBe('en');
  });

  it('computes the counterfactual by re-deciding without the answer', () => {
    expect(explainSlot('hero', profile, consent).counterfactual).toEqual({
      change: 'remove_answer',
      fields: ['role'],
      alternative: 'standard',
      text: "If you remove what you told us about your role, you'll see the standard version.",
    });
  });

  it('offers every control, with edit pointing at the answer', () => {
    const actions = explainSlot('hero', profile, consent).controls.map((control) => control.action);
    expect(actions).toEqual([
      'edit_answer',
      'stop_using',
      'see_standard',
      'withdraw_consent',
      'see_all_data',
      'download',
      'delete',
    ]);
    expect(explainSlot('hero', profile, consent).controls[0]).toMatchObject({ field: 'role', label: 'Edit my answer' });
  });

  it('says what was not used and carries the proof', () => {
    const explanation = explainSlot('hero', profile, consent);
    expect(explanation.excluded.map((item) => item.code)).toEqual([
      'sensitive',
      'ungranted',
      'not_measured',
      'no_other_sites',
    ]);
    expect(explanation.text.excluded[1]).toBe("Data for Partner offers was not used, because you haven't allowed it.");
    expect(explanation.consent).toEqual({ recordId: 'c_123', policyVersion: '2026-10' });
    expect(explanation.text.proof).toBe('Consent record c_123, privacy policy version 2026-10.');
    expect(explanation.text.decidedBy).toBe('Decided by Trellis for Personalization (legal basis: your consent).');
  });
});

describe('explain: which signal mattered most', () => {
  it('picks the signal whose removal changes the outcome', () => {
    // leaders = role in [manager, founder] OR teamSize >= 50: only the role branch matches here.
    const profile = profileOf({ role: 'manager', teamSize: 10 });
    const explanation = explainSlot('hero', profile, consentOf(['personalization']));
    expect(explanation.signals.map((signal) => signal.key)).toEqual(['role']);
    expect(explanation.mainSignal).toBe('role');
  });

  it('when either of two answers suffices, names both and says removing both is needed', () => {
    const profile = profileOf({ role: 'manager', teamSize: 80 });
    const explanation = explainSlot('hero', profile, consentOf(['personalization']));
    expect(explanation.signals.map((signal) => signal.key)).toEqual(['role', 'teamSize']);
    expect(explanation.mainSignal).toBeNull();
    expect(explanation.text.mainReason).toBe(
      "You're seeing this because you told us your role is Manager and your team size is 80.",
    );
    expect(explanation.counterfactual).toMatchObject({
      change: 'remove_answer',
      fields: ['role', 'teamSize'],
      alternative: 'standard',
    });
    expect(explanation.counterfactual.text).toBe(
      "If you remove what you told us about your role and team size, you'll see the standard version.",
    );
    const zh = explainSlot('hero', profile, consentOf(['personalization']), contextOf(), 'zh-Hant');
    expect(zh.text.mainReason).toBe('您看到這個內容，是因為您告訴我們您的職務是「經理」和您的團隊規模是「80」。');
  });
});

describe('explain: every kind of decision explains itself', () => {
  it('contextual', () => {
    const explanation = explainSlot('banner', undefined, undefined, contextOf({ utmCampaign: 'spring-sale' }));
    expect(explanation.kind).toBe('contextual');
    expect(explanation.text.mainReason).toBe(
      "You're seeing this because of this visit (campaign: spring-sale). Nothing is stored about you.",
    );
    expect(explanation.counterfactual.change).toBe('other_visit');
    expect(explanation.controls.map((control) => control.action)).not.toContain('stop_using');
  });

  it('behavioural (seen on this site)', () => {
    const profile = { ...profileOf({ viewedCategories: stored(['docs', 'blog'], 'observed') }, 'v1'), impressions: {} };
    const explanation = explainSlot('popup', profile, consentOf(['personalization']));
    expect(explanation.kind).toBe('behavioural');
    expect(explanation.text.mainReason).toBe(
      "You're seeing this because of your activity on this site (pages you viewed: docs and blog).",
    );
    expect(explanation.counterfactual.text).toBe(
      "If you delete your pages you viewed data, you'll see the standard version.",
    );
  });

  it('randomized split and bandit never claim more than they know', () => {
    const consent = consentOf(['personalization', 'measurement']);
    const split = explainSlot('cta', profileOf({}, 'visitor-9'), consent);
    expect(split.kind).toBe('randomized');
    expect(split.text.mainReason).toMatch(/picked at random/);
    expect(split.counterfactual).toMatchObject({ change: 'other_group', alternative: 'other' });
    expect(split.purposes.map((purpose) => purpose.id)).toEqual(['measurement']);
    const bandit = explainSlot('sidebar', profileOf({ likelyBuyer: stored(true, 'inferred') }, 'visitor-9'), consent);
    // The likely-buyers audience read the inference: it is named before the bandit's random part.
    expect(bandit.text.mainReason).toBe(
      "You're seeing this because this site inferred from your activity here that your likely buyer is yes. This version is performing best for visitors like you so far, so more visitors see it. Which version you get is still partly random.",
    );
  });

  it('default content', () => {
    const explanation = explainSlot('cta', undefined, undefined);
    expect(explanation.reason).toBe('DEFAULT');
    expect(explanation.text.mainReason).toBe(
      "You're seeing the standard version. Nothing about you was used to choose it.",
    );
    expect(explanation.counterfactual.change).toBe('none');
  });

  it('personalization off: not allowed, GPC, objection', () => {
    const profile = profileOf({ role: 'developer' });
    expect(explainSlot('hero', profile, undefined).text.mainReason).toBe(
      "You're seeing the standard version because you haven't allowed personalization.",
    );
    expect(explainSlot('hero', profile, undefined).counterfactual.change).toBe('allow_personalization');
    const gpc = explainSlot('hero', profile, consentOf(['personalization'], { signals: { gpc: { since: NOW } } }));
    expect(gpc.text.mainReason).toMatch(/Global Privacy Control/);
    expect(gpc.text.excluded).toContain(
      'Opt-Out Preference Signal Honored: no data from other sites and no profiling for marketing.',
    );
    const gpcZh = explainSlot(
      'hero',
      profile,
      consentOf([], { signals: { gpc: { since: NOW } } }),
      contextOf(),
      'zh-Hant',
    );
    expect(gpcZh.text.excluded).toContain('已遵循退出偏好訊號：不使用來自其他網站的資料，也不為行銷建立個人檔案。');
    const objection = explainSlot('hero', profile, consentOf(['personalization'], { objectsToPersonalization: true }));
    expect(objection.text.mainReason).toBe(
      "You're seeing the standard version because you asked us to stop personalizing for you.",
    );
  });

  it('error: "personalization is unavailable right now"', () => {
    const context = contextOf({}, ['hero']);
    const [decision] = decide({ broken: true }, undefined, undefined, context);
    const explanation = explain(decision!, {
      snapshot: { broken: true },
      profile: undefined,
      consent: undefined,
      context,
    });
    expect(explanation.text.mainReason).toBe(
      "Personalization is unavailable right now, so you're seeing the standard version.",
    );
    expect(
      explain(
        decision!,
        { snapshot: { broken: true }, profile: undefined, consent: undefined, context },
        { language: 'zh-Hant' },
      ).text.mainReason,
    ).toBe('個人化功能目前無法使用，因此您看到的是標準版本。');
  });
});

describe('explain: a personalization measured against a holdout (issue 10, defect 2)', () => {
  // hero-developers: audience role = developer, one variant, 10% holdout. "Accept all" grants
  // measurement, so the visitor is enrolled and hashed into the variant or the holdout.
  const consent = consentOf(['personalization', 'measurement']);
  const visitorIn = (reason: 'SPLIT' | 'HOLDOUT'): Profile => {
    for (let i = 0; i < 200; i++) {
      const profile = profileOf({ role: 'developer' }, `h${i}`);
      if (explainSlot('hero', profile, consent).reason === reason) return profile;
    }
    throw new Error(`no visitor among 200 got ${reason}`);
  };

  it('the visitor who got the variant is told the data that made them eligible and that a share is held out', () => {
    const profile = visitorIn('SPLIT');
    const explanation = explainSlot('hero', profile, consent);
    expect(explanation.variant?.id).toBe('dev-hero');
    expect(explanation.signals.map((signal) => signal.key)).toEqual(['role']);
    expect(explanation.text.mainReason).toBe(
      "You're seeing this because you told us your role is Developer. A small share of visitors who match, picked at random, see the standard version instead, so we can measure whether this helps.",
    );
    expect(explanation.text.mainReason).not.toMatch(/doesn't depend on who you are/);
    expect(explanation.counterfactual).toEqual({
      change: 'remove_answer',
      fields: ['role'],
      alternative: 'standard',
      text: "If you remove what you told us about your role, you'll see the standard version.",
    });
    const zh = explainSlot('hero', profile, consent, contextOf(), 'zh-Hant');
    expect(zh.text.mainReason).toBe(
      '您看到這個內容，是因為您告訴我們您的職務是「開發人員」。符合條件的訪客中，有一小部分會被隨機選中、改為看到標準版本，讓我們衡量這個內容是否真的有幫助。',
    );
    expect(zh.text.counterfactual).toBe('如果您移除告訴我們的職務，您將看到標準版本。');
  });

  it('the held-out visitor is told the same data made them eligible, and why they see the standard version', () => {
    const profile = visitorIn('HOLDOUT');
    const explanation = explainSlot('hero', profile, consent);
    expect(explanation.variant).toBeNull();
    expect(explanation.signals.map((signal) => signal.key)).toEqual(['role']);
    expect(explanation.text.mainReason).toBe(
      "Content here is chosen for visitors like you, because you told us your role is Developer. You're seeing the standard version because you're in a small share of those visitors, picked at random, so we can measure whether personalizing helps.",
    );
    // Removing the role shows the standard version too: no data counterfactual to offer.
    expect(explanation.counterfactual).toMatchObject({ change: 'leave_holdout', alternative: 'other' });
    expect(explanation.counterfactual.fields).toBeUndefined();
    expect(explainSlot('hero', profile, consent, contextOf(), 'zh-Hant').text.mainReason).toBe(
      '這裡的內容是為與您相似的訪客挑選的，因為您告訴我們您的職務是「開發人員」。您看到的是標準版本，因為您被隨機分到這些訪客中的一小部分，讓我們衡量個人化是否真的有幫助。',
    );
  });

  it('a holdout without an audience says so without claiming any data', () => {
    const everyone = {
      ...snapshot,
      experiences: [{ ...snapshot.experiences[1]!, audiences: [], holdout: 0.5 }],
    };
    const context = contextOf();
    for (let i = 0; i < 50; i++) {
      const profile = profileOf({}, `e${i}`);
      const decision = decide(everyone, profile, consent, context).find((candidate) => candidate.slot === 'hero')!;
      const explanation = explain(decision, { snapshot: everyone, profile, consent, context });
      expect(explanation.signals).toEqual([]);
      expect(explanation.text.mainReason).toBe(
        decision.reason === 'HOLDOUT'
          ? "You're seeing the standard version because you're in a share of visitors, picked at random, so we can measure whether personalizing helps."
          : 'A share of visitors, picked at random, see the standard version instead, so we can measure whether this helps.',
      );
    }
  });
});

describe('explain: a visitor value is data, not markup', () => {
  it('passes an answer with HTML through as plain text for the SDK to render as text', () => {
    const snapshotWithFreeText = {
      ...snapshot,
      audiences: [...snapshot.audiences, { id: 'any-role', name: 'Any role', condition: { role: { $exists: true } } }],
      experiences: [{ ...snapshot.experiences[1]!, id: 'any', audiences: ['any-role'], holdout: 0 }],
    };
    const profile = profileOf({ role: '<img src=x onerror=alert(1)>' });
    const consent = consentOf(['personalization']);
    const context = contextOf();
    const [decision] = decide(snapshotWithFreeText, profile, consent, context);
    const explanation = explain(decision!, { snapshot: snapshotWithFreeText, profile, consent, context });
    expect(explanation.signals[0]?.value).toBe('<img src=x onerror=alert(1)>');
  });
});
