import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consentOf, NOW, profileOf, trellisSnapshot } from '../../test/fixtures.js';
import { createExplainer, decide, type Decision, type Experience, type Snapshot } from '../index.js';
import { REDIRECT_MARKER, redirectLocation } from './redirect.js';

const base = trellisSnapshot();
const splitUrl: Experience = {
  id: 'pricing-split',
  name: 'Pricing page test',
  kind: 'experiment',
  audiences: [],
  variants: [
    { id: 'control', name: 'Control', content: {} },
    {
      id: 'b',
      name: 'New pricing page',
      content: { 'page:pricing-split': { type: 'redirect', to: '/pricing-b', carryQuery: true } },
    },
  ],
  holdout: 0,
  coverage: 1,
  allocation: 'fixed',
  hashVersion: 2,
  seed: 'pricing-split',
  goals: ['signup'],
  pages: [{ type: 'path', pattern: '/pricing' }],
};
const banner: Experience = {
  id: 'blog-banner',
  name: 'Blog banner',
  kind: 'personalization',
  audiences: [],
  variants: [
    {
      id: 'v',
      name: 'V',
      content: { 'page:blog-banner': { type: 'changes', changes: [{ op: 'hide', selector: '.promo' }] } },
    },
  ],
  holdout: 0,
  coverage: 1,
  allocation: 'fixed',
  hashVersion: 2,
  seed: 'blog-banner',
  goals: [],
  pages: [
    { type: 'path', pattern: '/blog/**' },
    { type: 'regex', pattern: '^/news\\?' },
  ],
};
const snapshot: Snapshot = { ...base, experiences: [...base.experiences, splitUrl, banner] };
const consent = consentOf(['measurement', 'personalization']);
const pageDecision = (url: string | undefined, slot: string, visitorId = 'v-1'): Decision =>
  decide(snapshot, profileOf({}, visitorId), consent, {
    now: NOW,
    attributes: {},
    languages: ['en'],
    ...(url === undefined ? {} : { url }),
  }).find((decision) => decision.slot === slot) as Decision;

describe('decide: the page step', () => {
  it('an experience with pages decides only on a matching URL; its trace names the page step otherwise', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\/[a-z/]{0,12}$/), fc.boolean(), (path, query) => {
        const url = query ? `${path}?x=1` : path;
        const decision = pageDecision(url, 'page:blog-banner');
        const onBlog = path.startsWith('/blog/');
        expect(decision.experienceId).toBe(onBlog ? 'blog-banner' : null);
        if (!onBlog)
          expect(decision.trace).toContainEqual({ experienceId: 'blog-banner', step: 'page', passed: false });
      }),
    );
    expect(pageDecision('/news?id=3', 'page:blog-banner').experienceId).toBe('blog-banner');
  });

  it('a caller that gives no URL gets no page gate (server-side flags)', () => {
    expect(pageDecision(undefined, 'page:blog-banner').experienceId).toBe('blog-banner');
  });

  it('experiences without pages decide the same whatever the URL', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\/[a-z/?=]{0,12}$/), fc.string({ maxLength: 6 }), (url, visitorId) => {
        const withUrl = pageDecision(url, 'cta', visitorId);
        const without = pageDecision(undefined, 'cta', visitorId);
        expect(withUrl.variant?.id ?? null).toBe(without.variant?.id ?? null);
      }),
    );
  });
});

describe('split-URL redirects', () => {
  const redirected = (): { visitorId: string; decision: Decision } => {
    for (let i = 0; ; i++) {
      const decision = pageDecision('/pricing?plan=pro', 'page:pricing-split', `v-${i}`);
      if (decision.variant?.id === 'b') return { visitorId: `v-${i}`, decision };
    }
  };

  it('the landing page re-derives the redirect, does not redirect again, and its "Why?" says the visitor was sent there', () => {
    const { visitorId, decision } = redirected();
    const target = redirectLocation(decision, '/pricing?plan=pro');
    expect(target?.location).toBe(`/pricing-b?plan=pro&${REDIRECT_MARKER}=pricing-split`);
    const landingUrl = target?.location ?? '';
    const landing = pageDecision(landingUrl, 'page:pricing-split', visitorId);
    expect(landing.variant?.id).toBe('b');
    expect(redirectLocation(landing, landingUrl)).toBeNull();
    for (const language of ['en', 'zh-Hant'] as const) {
      const why = createExplainer(
        {
          snapshot,
          profile: profileOf({}, visitorId),
          consent,
          context: { now: NOW, attributes: {}, url: landingUrl },
        },
        { language },
      )(landing);
      expect(why.text.mainReason).toMatch(
        language === 'en' ? /^You were sent to this page/ : /您從開啟的頁面被轉送到此頁面/,
      );
    }
  });

  it('without the marker, the same landing URL is not explained as a redirect', () => {
    const { visitorId } = redirected();
    const context = { now: NOW, attributes: {}, url: '/pricing-b' };
    const landing = pageDecision('/pricing-b', 'page:pricing-split', visitorId);
    expect(landing.experienceId).toBeNull();
    const why = createExplainer(
      { snapshot, profile: profileOf({}, visitorId), consent, context },
      { language: 'en' },
    )(landing);
    expect(why.text.mainReason).not.toMatch(/sent to this page/);
  });
});
