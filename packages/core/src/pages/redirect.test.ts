import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Decision } from '../decide/decision.js';
import type { SlotContent } from '../types.js';
import { REDIRECT_MARKER, redirectedBy, redirectLocation } from './redirect.js';

function decisionOf(content: SlotContent | null, experienceId = 'exp1'): Decision {
  return {
    id: 'd.page:exp1',
    slot: 'page:exp1',
    at: 0,
    snapshotVersion: 1,
    reason: 'SPLIT',
    errorCode: null,
    kind: 'randomized',
    variant: content && { id: 'b', name: 'B', content },
    experienceId,
    audienceIds: [],
    segment: null,
    enrolled: true,
    allocation: 'fixed',
    signals: [],
    trace: [],
  };
}
const to = (target: string, carryQuery = true) => decisionOf({ type: 'redirect', to: target, carryQuery });

describe('redirectLocation', () => {
  it('sends to the target with the query carried over and the marker added', () => {
    expect(redirectLocation(to('/pricing-b'), '/pricing?plan=pro&utm_source=x')).toEqual({
      location: `/pricing-b?plan=pro&utm_source=x&${REDIRECT_MARKER}=exp1`,
      experienceId: 'exp1',
    });
    expect(redirectLocation(to('/b?plan=free'), '/a?plan=pro&x=1')?.location).toBe(
      `/b?plan=free&x=1&${REDIRECT_MARKER}=exp1`,
    );
    expect(redirectLocation(to('/b', false), '/a?plan=pro')?.location).toBe(`/b?${REDIRECT_MARKER}=exp1`);
    expect(redirectLocation(to('https://shop.example/b#f'), 'https://shop.example/a')?.location).toBe(
      `https://shop.example/b?${REDIRECT_MARKER}=exp1#f`,
    );
  });

  it('never redirects a URL carrying its own marker: following a redirect never loops', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\/[a-z/]{0,8}$/),
        fc.stringMatching(/^\/[a-z/]{0,8}$/),
        fc.stringMatching(/^([a-z]{1,3}=[a-z]{0,3}&?){0,3}$/),
        fc.boolean(),
        (target, current, query, carry) => {
          const first = redirectLocation(to(target, carry), query === '' ? current : `${current}?${query}`);
          if (first === null) return;
          expect(redirectedBy(first.location)).toBe('exp1');
          expect(redirectLocation(to(target, carry), first.location)).toBeNull();
        },
      ),
    );
  });

  it('never redirects to the page itself', () => {
    expect(redirectLocation(to('/a'), '/a')).toBeNull();
    expect(redirectLocation(to('/a'), '/a?x=1')).toBeNull();
    expect(redirectLocation(to('/a?x=1', false), '/a?x=1')).toBeNull();
    expect(redirectLocation(to('https://site.example/a'), 'https://SITE.example/a')).toBeNull();
  });

  it('refuses targets that are not a path or an http(s) URL, and non-redirect decisions', () => {
    for (const target of ['javascript:alert(1)', '//evil.example/x', 'data:text/html,x', 'relative']) {
      expect(redirectLocation(to(target), '/a')).toBeNull();
    }
    expect(redirectLocation(decisionOf(null), '/a')).toBeNull();
    expect(redirectLocation(decisionOf({ type: 'changes', changes: [] }), '/a')).toBeNull();
  });

  it('a marker for another experience does not stop this one', () => {
    expect(redirectLocation(to('/b'), `/a?${REDIRECT_MARKER}=other`)?.location).toBe(`/b?${REDIRECT_MARKER}=exp1`);
  });
});
