import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { trellisSnapshot } from '../../test/fixtures.js';
import type { AttributeValue, ConsentState, ProfileValue } from '../types.js';
import { fromBase64Url, toBase64Url } from './base64url.js';
import { keepGranted, VISITOR_COOKIE_MAX_LENGTH, type VisitorCookieState } from './visitor-cookie-state.js';
import { decodeVisitorCookie, encodeVisitorCookie, visitorCookieName } from './visitor-cookie.js';

const rules = trellisSnapshot();
const purposeIds = rules.purposes.map((purpose) => purpose.id);
const fieldKeys = rules.fields.map((field) => field.key);
const DAY = 86_400_000;

const time = fc.integer({ min: 0, max: 4_000_000_000_000 });
const attributeValue: fc.Arbitrary<AttributeValue> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.integer(),
  fc.boolean(),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
);
const profileValue: fc.Arbitrary<ProfileValue> = fc.record({
  value: attributeValue,
  source: fc.constantFrom('declared' as const, 'observed' as const, 'context' as const, 'inferred' as const),
  collectedAt: time,
  expiresAt: time,
});
const consentState: fc.Arbitrary<ConsentState> = fc
  .record(
    {
      purposes: fc.dictionary(
        fc.constantFrom(...purposeIds),
        fc.record({ status: fc.constantFrom('granted' as const, 'denied' as const), at: time }),
        { minKeys: 1 },
      ),
      signals: fc.record({ gpc: fc.record({ since: time }), dnt: fc.record({ since: time }) }, { requiredKeys: [] }),
      objectsToPersonalization: fc.constant(true as const),
      recordId: fc.string({ minLength: 1, maxLength: 40 }),
      policyVersion: fc.string({ minLength: 1, maxLength: 20 }),
    },
    { requiredKeys: ['purposes', 'signals'] },
  )
  .map((consent) => consent as ConsentState);
const state: fc.Arbitrary<VisitorCookieState> = fc.record({
  consent: consentState,
  profile: fc.record(
    {
      version: fc.constant(1 as const),
      values: fc.dictionary(fc.constantFrom(...fieldKeys, 'notAField'), profileValue),
      visitorId: fc.uuid(),
    },
    { requiredKeys: ['version', 'values'] },
  ),
  snapshotVersion: fc.option(fc.nat(), { nil: null }),
});

function cookieJson(value: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(value.slice(2), 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('visitor cookie', () => {
  it('is named after the site', () => {
    expect(visitorCookieName('shop')).toBe('candor_shop');
  });

  it('decodes what it encoded, with exactly the granted data kept', () => {
    fc.assert(
      fc.property(state, (x) => {
        const written = encodeVisitorCookie(x, rules);
        if (!written.ok) throw new Error(written.message);
        expect(written.value.startsWith('1.')).toBe(true);
        expect(written.trimmed).toEqual([]);
        expect(decodeVisitorCookie(written.value, rules)).toEqual({ choiceMade: true, state: keepGranted(x, rules) });
      }),
    );
  });

  it('is the identity on a state that holds only granted data', () => {
    fc.assert(
      fc.property(state, (generated) => {
        const x = keepGranted(generated, rules);
        const written = encodeVisitorCookie(x, rules);
        expect(written.ok && decodeVisitorCookie(written.value, rules)).toEqual({ choiceMade: true, state: x });
      }),
    );
  });

  it('never lets a value of an ungranted purpose survive encoding', () => {
    fc.assert(
      fc.property(state, (x) => {
        const written = encodeVisitorCookie(x, rules);
        if (!written.ok) throw new Error(written.message);
        const stored = Object.keys((cookieJson(written.value)['p'] as Record<string, unknown> | undefined) ?? {});
        for (const key of stored) {
          const purpose = rules.fields.find((field) => field.key === key)?.purpose ?? 'none';
          expect(x.consent.purposes[purpose]?.status, key).toBe('granted');
        }
        expect(stored).not.toContain('notAField');
      }),
    );
  });

  it('keeps no visitor id unless a purpose that stores or counts was granted', () => {
    const x: VisitorCookieState = {
      consent: {
        purposes: { contextual: { status: 'granted', at: 1 }, personalization: { status: 'denied', at: 1 } },
        signals: {},
      },
      profile: { version: 1, values: {}, visitorId: 'v-1' },
      snapshotVersion: 3,
    };
    const written = encodeVisitorCookie(x, rules);
    expect(written.ok && cookieJson(written.value)['i']).toBeUndefined();
  });

  it('writes nothing before a choice', () => {
    const written = encodeVisitorCookie(
      {
        consent: { purposes: {}, signals: {} },
        profile: { version: 1, values: {}, visitorId: 'v-1' },
        snapshotVersion: 1,
      },
      rules,
    );
    expect(written).toMatchObject({ ok: false, error: 'NO_CHOICE' });
  });

  it('drops a granted value when the visitor objects or GPC came after the grant', () => {
    const base: VisitorCookieState = {
      consent: { purposes: { personalization: { status: 'granted', at: 10 } }, signals: {} },
      profile: {
        version: 1,
        values: { role: { value: 'developer', source: 'declared', collectedAt: 10, expiresAt: 10 + DAY } },
      },
      snapshotVersion: 1,
    };
    const underGpc = { ...base, consent: { ...base.consent, signals: { gpc: { since: 20 } } } };
    const objecting = { ...base, consent: { ...base.consent, objectsToPersonalization: true } };
    for (const x of [underGpc, objecting]) {
      const written = encodeVisitorCookie(x, rules);
      expect(written.ok && cookieJson(written.value)['p']).toBeUndefined();
    }
  });

  it('leaves the oldest values out, and names them, to stay within the bound', () => {
    const long = 'x'.repeat(900);
    const values = Object.fromEntries(
      ['role', 'teamSize', 'viewedCategories', 'likelyBuyer'].map((key, index) => [
        key,
        { value: long, source: 'declared' as const, collectedAt: index, expiresAt: DAY },
      ]),
    );
    const written = encodeVisitorCookie(
      {
        consent: { purposes: { personalization: { status: 'granted', at: 1 } }, signals: {} },
        profile: { version: 1, values },
        snapshotVersion: 1,
      },
      rules,
    );
    if (!written.ok) throw new Error(written.message);
    expect(written.value.length).toBeLessThanOrEqual(VISITOR_COOKIE_MAX_LENGTH);
    expect(written.trimmed).toEqual(['role', 'teamSize']);
  });

  it('refuses, saying why, when the choices alone are too large', () => {
    const purposes = Object.fromEntries(
      Array.from({ length: 200 }, (_, index) => [
        `purpose-${index}-${'p'.repeat(10)}`,
        { status: 'denied' as const, at: 1 },
      ]),
    );
    const written = encodeVisitorCookie(
      { consent: { purposes, signals: {} }, profile: { version: 1, values: {} }, snapshotVersion: 1 },
      rules,
    );
    expect(written).toMatchObject({ ok: false, error: 'TOO_LARGE' });
  });

  it.each([
    ['absent', undefined, 'absent'],
    ['empty', '', 'absent'],
    ['another version', '2.e30', 'unsupported_version'],
    ['not base64url', '1.***', 'malformed'],
    ['not JSON', `1.${toBase64Url('{nope')}`, 'malformed'],
    ['no choice inside', `1.${toBase64Url('{"s":1,"c":{}}')}`, 'malformed'],
    ['a wrong status', `1.${toBase64Url('{"s":1,"c":{"personalization":["y",1]}}')}`, 'malformed'],
    [
      'a wrong source',
      `1.${toBase64Url('{"s":1,"c":{"personalization":["g",1]},"p":{"role":["a","x",1,2]}}')}`,
      'malformed',
    ],
    ['too long', `1.${'A'.repeat(VISITOR_COOKIE_MAX_LENGTH)}`, 'too_long'],
  ])('reads %s as no choice made', (_name, value, reason) => {
    expect(decodeVisitorCookie(value, rules)).toEqual({ choiceMade: false, reason });
  });

  it('drops forged values of purposes the cookie does not grant', () => {
    const forged = `1.${toBase64Url('{"s":1,"c":{"personalization":["d",1]},"p":{"role":["developer","declared",1,2]},"i":"v"}')}`;
    expect(decodeVisitorCookie(forged, rules)).toEqual({
      choiceMade: true,
      state: {
        consent: { purposes: { personalization: { status: 'denied', at: 1 } }, signals: {} },
        profile: { version: 1, values: {} },
        snapshotVersion: 1,
      },
    });
  });

  it('never throws on any input, and whatever it reads obeys the golden rule', () => {
    const wireLike = fc.oneof(
      fc.string(),
      fc.json().map((json) => `1.${toBase64Url(json)}`),
    );
    fc.assert(
      fc.property(wireLike, (value) => {
        const read = decodeVisitorCookie(value, rules);
        if (read.choiceMade) expect(keepGranted(read.state, rules)).toEqual(read.state);
      }),
    );
  });
});

describe('base64url', () => {
  it('round-trips any text and matches the platform encoder', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(toBase64Url(text)).toBe(Buffer.from(text, 'utf8').toString('base64url'));
        expect(fromBase64Url(toBase64Url(text))).toBe(text);
      }),
    );
  });

  it('refuses non-canonical input and invalid UTF-8', () => {
    expect(fromBase64Url('QR')).toBeUndefined(); // leftover bits set
    expect(fromBase64Url('wA')).toBeUndefined(); // 0xC0: an overlong start byte
    expect(fromBase64Url('A')).toBeUndefined();
  });
});
