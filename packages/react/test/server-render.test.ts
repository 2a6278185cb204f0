// The provider on the server: it renders the decisions it is given and nothing else. Node has no
// window, document or localStorage, so any reach for them during render would throw here.
import type { Decision } from '@candor/core';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { CandorProvider, CandorSlot, useConsent, useDecision, WhyButton } from '../src/index.js';
import { initialDecisions } from '../src/server.js';

const SPRING: Decision = {
  id: '7.abc.offer',
  slot: 'offer',
  at: 1_760_000_000_000,
  snapshotVersion: 7,
  reason: 'TARGETING_MATCH',
  errorCode: null,
  kind: 'contextual',
  variant: {
    id: 'spring',
    name: 'Spring offer',
    content: { type: 'text', text: { en: 'Spring sale: 20% off', 'zh-Hant': '春季特賣：八折' } },
  },
  experienceId: 'offer-spring',
  audienceIds: ['spring'],
  segment: null,
  enrolled: false,
  allocation: 'fixed',
  // Only the value matters here (it must not reach the HTML), so the field it came from is left out.
  signals: [{ key: 'utmCampaign', value: 'spring-sale', source: 'context' } as unknown as Decision['signals'][number]],
  trace: [{ experienceId: 'offer-spring', step: 'assignment', passed: true }],
};
const options = { siteKey: 'shop', api: 'https://candor.example' };

function ConsentPhase(): string {
  return `consent:${useConsent().phase}`;
}
function Reason(): string {
  return `reason:${useDecision('offer')?.reason ?? 'none'}`;
}

function page(language: 'en' | 'zh-Hant') {
  return createElement(
    CandorProvider,
    { options, initialDecisions: initialDecisions([SPRING]), language },
    createElement(CandorSlot, { slot: 'offer', as: 'p', fallback: 'Our offer' }),
    createElement(WhyButton, { slot: 'offer' }),
    createElement(CandorSlot, { slot: 'banner', fallback: 'Default banner' }),
    createElement(WhyButton, { slot: 'banner' }),
    createElement(ConsentPhase),
    createElement(Reason),
  );
}

describe('CandorProvider on the server', () => {
  it('renders the decided variant in the first HTML, with no browser globals at hand', () => {
    expect(typeof window).toBe('undefined');
    const html = renderToString(page('en'));
    expect(html).toContain('<p data-candor-react-slot="offer" data-candor-variant="spring">Spring sale: 20% off</p>');
    expect(html).toContain('<div data-candor-react-slot="banner">Default banner</div>');
    expect(html).toContain('reason:TARGETING_MATCH');
    // The device's choice is unknown to the server: nothing pretends otherwise.
    expect(html).toContain('consent:unknown');
  });

  it('puts "Why?" only beside a decided slot, in the page language', () => {
    const en = renderToString(page('en'));
    expect(en.match(/data-candor-react-why="/g)).toHaveLength(1);
    expect(en).toContain('aria-label="Why am I seeing this?"');
    const zh = renderToString(page('zh-Hant'));
    expect(zh).toContain('春季特賣：八折');
    expect(zh).toContain('為什麼？');
    expect(zh).toContain('aria-label="為什麼我會看到這個？"');
  });

  it('serialises no signal values or trace into the page (initialDecisions keeps what rendering needs)', () => {
    const [trimmed] = initialDecisions([SPRING]);
    expect(Object.keys(trimmed ?? {}).sort()).toEqual(
      ['enrolled', 'experienceId', 'id', 'kind', 'reason', 'slot', 'snapshotVersion', 'variant'].sort(),
    );
    expect(JSON.stringify(trimmed)).not.toContain('spring-sale');
  });
});
