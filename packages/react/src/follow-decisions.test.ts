import { describe, expect, it } from 'vitest';
import { bySlot, followDecisions } from './follow-decisions.js';
import type { InitialDecision } from './initial-decision.js';
import { renderedContent } from './slot-content.js';

const decision = (slot: string, variant: string | null, overrides: Partial<InitialDecision> = {}): InitialDecision => ({
  id: `1.server.${slot}`,
  slot,
  snapshotVersion: 3,
  reason: variant ? 'TARGETING_MATCH' : 'DEFAULT',
  kind: variant ? 'contextual' : 'none',
  variant: variant
    ? {
        id: variant,
        name: variant,
        content: { type: 'text', text: { en: `${variant} text`, 'zh-Hant': `${variant} 文字` } },
      }
    : null,
  experienceId: variant ? `exp-${slot}` : null,
  enrolled: false,
  ...overrides,
});

describe('followDecisions: the server decision stays until the browser shows something else', () => {
  it('keeps the very same decisions when the browser decides the same content (no re-render)', () => {
    const shown = bySlot([decision('hero', 'spring'), decision('banner', null)]);
    const again = [
      decision('hero', 'spring', { id: '1.browser.hero' }),
      decision('banner', null, { id: '1.browser.banner' }),
    ];
    expect(followDecisions(shown, again)).toBe(shown);
  });

  it('follows the browser where a consent choice changed the variant, and only there', () => {
    const shown = bySlot([decision('hero', 'spring'), decision('banner', null)]);
    const next = followDecisions(shown, [decision('hero', 'spring'), decision('banner', 'b', { enrolled: true })]);
    expect(next.get('banner')?.variant?.id).toBe('b');
    expect(next.get('hero')).toBe(shown.get('hero'));
  });

  it('follows a newer snapshot even for the same variant id (its content may have changed)', () => {
    const shown = bySlot([decision('hero', 'spring')]);
    expect(
      followDecisions(shown, [decision('hero', 'spring', { snapshotVersion: 4 })]).get('hero')?.snapshotVersion,
    ).toBe(4);
  });

  it('does not go back to an older snapshot the device still had cached while the variant is the same', () => {
    const shown = bySlot([decision('hero', 'spring')]);
    expect(followDecisions(shown, [decision('hero', 'spring', { snapshotVersion: 2 })])).toBe(shown);
  });

  it('takes a slot the server did not decide', () => {
    expect(followDecisions(bySlot([]), [decision('promo', 'p')]).get('promo')?.variant?.id).toBe('p');
  });
});

describe('renderedContent: what a slot can show on both sides', () => {
  it('picks text in the page language', () => {
    const content = { type: 'text', text: { en: 'Spring sale', 'zh-Hant': '春季特賣' } } as const;
    expect(renderedContent(content, 'zh-Hant', undefined)).toEqual({ kind: 'text', text: '春季特賣' });
  });

  it('keeps the fallback for HTML when the page gave no sanitiser, and sanitises when it did', () => {
    const content = { type: 'html', html: { en: '<b>Hi</b><script>x()</script>', 'zh-Hant': '<b>嗨</b>' } } as const;
    expect(renderedContent(content, 'en', undefined)).toEqual({ kind: 'fallback' });
    expect(renderedContent(content, 'en', (html) => html.replace(/<script>.*<\/script>/, ''))).toEqual({
      kind: 'html',
      html: '<b>Hi</b>',
    });
  });

  it('leaves attribute variants to the fallback (the wrapper attributes are the page markup)', () => {
    expect(renderedContent({ type: 'attributes', attributes: { href: '/x' } }, 'en', undefined)).toEqual({
      kind: 'fallback',
    });
  });
});
