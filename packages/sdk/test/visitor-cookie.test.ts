import {
  cookieValue,
  CORE_BASE64URL,
  decodeVisitorCookie,
  encodeVisitorCookie,
  DEFAULT_PURPOSES,
  keepGranted,
  VISITOR_COOKIE_MAX_AGE_DAYS,
  type ConsentState,
  type Field,
  type ProfileValue,
  type VisitorCookieState,
} from '@candor/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createConsentMachine } from '../src/consent/consent.js';
import { PLATFORM_BASE64URL } from '../src/consent/platform-base64url.js';
import { choiceTime, cookieAssignment, mergeValues, readVisitorCookie } from '../src/consent/visitor-cookie.js';
import type { StoredValue } from '../src/profile/profile-store.js';
import { memoryStore } from '../src/store.js';

const text = { en: 'x', 'zh-Hant': 'x' };
const field = (key: string, purpose: string): Field => ({
  key,
  type: 'string',
  source: 'declared',
  purpose,
  category: 'none',
  origin: 'first_party',
  retentionDays: 30,
  label: text,
  whyWeAsk: text,
  whatYouGet: text,
});
const fields = [
  field('role', 'personalization'),
  field('region', 'contextual'),
  field('visits', 'measurement'),
  field('team', 'sync'),
];
const rules = { purposes: DEFAULT_PURPOSES, fields };
const optional = DEFAULT_PURPOSES.filter((p) => p.class !== 'essential').map((p) => p.id);
const time = fc.integer({ min: 1, max: 4_000_000_000_000 });

const value: fc.Arbitrary<ProfileValue> = fc.record({
  value: fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean()),
  source: fc.constantFrom('declared' as const, 'observed' as const),
  collectedAt: time,
  expiresAt: time,
});
const consent = (minKeys: number): fc.Arbitrary<ConsentState> =>
  fc
    .record(
      {
        purposes: fc.dictionary(
          fc.constantFrom(...optional),
          fc.record({ status: fc.constantFrom('granted' as const, 'denied' as const), at: time }),
          { minKeys },
        ),
        signals: fc.record({ gpc: fc.record({ since: time }), dnt: fc.record({ since: time }) }, { requiredKeys: [] }),
        objectsToPersonalization: fc.constant(true as const),
        policyVersion: fc.constantFrom('p1', 'p2'),
      },
      { requiredKeys: ['purposes', 'signals'] },
    )
    .map((state) => state as ConsentState);
const state = (minKeys: number): fc.Arbitrary<VisitorCookieState> =>
  fc.record({
    consent: consent(minKeys),
    profile: fc.record(
      {
        version: fc.constant(1 as const),
        values: fc.dictionary(fc.constantFrom(...fields.map((f) => f.key), 'notAField'), value),
        visitorId: fc.uuid(),
      },
      { requiredKeys: ['version', 'values'] },
    ),
    snapshotVersion: fc.option(fc.nat(), { nil: null }),
  });

/** What the browser keeps after `document.cookie = assignment`: the value, or nothing when Max-Age=0. */
function jar(assignment: string): string {
  return /Max-Age=0(;|$)/.test(assignment) ? '' : (assignment.split(';')[0] ?? '');
}
const read = (assignment: string) => decodeVisitorCookie(cookieValue(jar(assignment), 'candor_shop'), rules);

describe("the browser's visitor cookie (docs/visitor-cookie.md)", () => {
  it('writes no cookie before a choice: the assignment only removes one', () => {
    fc.assert(
      fc.property(state(0), fc.boolean(), (x, secure) => {
        const noChoice = { ...x, consent: { ...x.consent, purposes: {} } };
        const assignment = cookieAssignment('shop', noChoice, rules, { secure });
        expect(assignment.startsWith('candor_shop=; ')).toBe(true);
        expect(assignment).toContain('Max-Age=0');
        expect(read(assignment)).toEqual({ choiceMade: false, reason: 'absent' });
      }),
    );
  });

  it('round-trips a choice: the cookie reads back as exactly the granted part of the state', () => {
    fc.assert(
      fc.property(state(1), (x) => {
        expect(read(cookieAssignment('shop', x, rules, { secure: true }))).toEqual({
          choiceMade: true,
          state: keepGranted(x, rules),
        });
      }),
    );
  });

  it('never carries a value of a purpose the visitor did not grant, nor an id without a storing grant', () => {
    fc.assert(
      fc.property(state(1), (x) => {
        const got = read(cookieAssignment('shop', x, rules, { secure: true }));
        if (!got.choiceMade) throw new Error('a choice must read back');
        for (const key of Object.keys(got.state.profile.values)) {
          const purpose = fields.find((f) => f.key === key)?.purpose ?? 'none';
          expect(x.consent.purposes[purpose]?.status).toBe('granted');
        }
        if (got.state.profile.visitorId !== undefined) {
          const storing = ['personalization', 'measurement', 'sync'].filter(
            (id) => x.consent.purposes[id]?.status === 'granted',
          );
          expect(storing.length).toBeGreaterThan(0);
        }
      }),
    );
  });

  it('writes the attributes @candor/node writes: Path=/, SameSite=Lax, Secure on https, never HttpOnly', () => {
    fc.assert(
      fc.property(state(1), fc.boolean(), (x, secure) => {
        const attributes = cookieAssignment('shop', x, rules, { secure }).split('; ').slice(1);
        expect(attributes).toEqual([
          'Path=/',
          `Max-Age=${VISITOR_COOKIE_MAX_AGE_DAYS * 86_400}`,
          'SameSite=Lax',
          ...(secure ? ['Secure'] : []),
        ]);
      }),
    );
    const shared = cookieAssignment(
      'shop',
      { consent: { purposes: {}, signals: {} }, profile: { version: 1, values: {} }, snapshotVersion: 1 },
      rules,
      {
        secure: true,
        domain: 'example.com',
      },
    );
    expect(shared).toBe('candor_shop=; Path=/; Max-Age=0; SameSite=Lax; Secure; Domain=example.com');
  });

  it('reads a forged or malformed cookie as no choice, never throwing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (junk) => {
        const got = decodeVisitorCookie(cookieValue(`other=1; candor_shop=${junk}`, 'candor_shop'), rules);
        if (got.choiceMade) expect(keepGranted(got.state, rules)).toEqual(got.state);
      }),
    );
    expect(cookieValue('candor_shopx=1; candor_shop=2', 'candor_shop')).toBe('2');
  });
});

describe("the platform's base64url agrees with core's, so both writers write one format", () => {
  it('encodes every string alike, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        expect(PLATFORM_BASE64URL.encode(text)).toBe(CORE_BASE64URL.encode(text));
      }),
    );
  });
  it('decodes, or refuses, every input alike: invalid UTF-8, padding, foreign characters', () => {
    const encodedBytes = fc.uint8Array({ maxLength: 120 }).map((bytes) => Buffer.from(bytes).toString('base64url'));
    const near = fc.string({
      unit: fc.constantFrom(...'AQgw-_+/= \n'.split(''), 'A', 'B', '7', '\u00e9'),
      maxLength: 40,
    });
    fc.assert(
      fc.property(fc.oneof(encodedBytes, near, fc.string({ maxLength: 40 })), (encoded) => {
        expect(PLATFORM_BASE64URL.decode(encoded)).toBe(CORE_BASE64URL.decode(encoded));
      }),
    );
    expect(PLATFORM_BASE64URL.decode(Buffer.from('\ufeff{}').toString('base64url'))).toBe('\ufeff{}');
  });
  it("reads what @candor/node (core's codec) wrote exactly as core does", () => {
    fc.assert(
      fc.property(state(1), (x) => {
        const written = encodeVisitorCookie(x, rules);
        if (!written.ok) throw new Error(written.message);
        expect(readVisitorCookie(`a=b; candor_shop=${written.value}`, 'shop', rules)).toEqual(
          decodeVisitorCookie(written.value, rules),
        );
      }),
    );
  });
});

describe('the newer choice wins (docs/visitor-cookie.md, "Browser and server together")', () => {
  const machine = (now: number) =>
    createConsentMachine({
      store: memoryStore(),
      purposes: () => DEFAULT_PURPOSES,
      policyVersion: () => 'p1',
      signals: { gpc: false, dnt: false },
      now: () => now,
    });

  it('a choice time is the latest purpose choice, 0 before any', () => {
    fc.assert(
      fc.property(consent(0), (c) => {
        const times = Object.values(c.purposes).map((choice) => choice.at);
        expect(choiceTime(c)).toBe(times.length === 0 ? 0 : Math.max(...times));
      }),
    );
  });

  it('adopting a cookie choice makes it the device choice, keeping signals seen here', () => {
    fc.assert(
      fc.property(consent(1), (c) => {
        const m = machine(Math.max(...Object.values(c.purposes).map((choice) => choice.at)) + 1);
        m.adopt({ ...c, policyVersion: 'p1' });
        const view = m.view();
        expect(view.phase).toBe('decided');
        expect(view.state.purposes).toEqual(c.purposes);
        expect(choiceTime(view.state)).toBe(choiceTime(c));
        expect(view.state.signals).toEqual(c.signals);
      }),
    );
  });

  it('merges values per field: the later collected wins, unknown fields and expired values are dropped', () => {
    const stored = (v: ProfileValue, purpose: string): StoredValue => ({ ...v, purpose });
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...fields.map((f) => f.key)), value),
        fc.dictionary(fc.constantFrom(...fields.map((f) => f.key), 'notAField'), value),
        time,
        (deviceValues, cookieValues, now) => {
          const device = Object.fromEntries(
            Object.entries(deviceValues).map(([k, v]) => [k, stored(v, fields.find((f) => f.key === k)!.purpose)]),
          );
          const merged = mergeValues(device, cookieValues, fields, now);
          expect(merged).not.toHaveProperty('notAField');
          for (const f of fields) {
            const fromCookie = cookieValues[f.key];
            const takeCookie =
              fromCookie !== undefined &&
              fromCookie.expiresAt > now &&
              (device[f.key] === undefined || fromCookie.collectedAt > device[f.key]!.collectedAt);
            expect(merged[f.key]).toEqual(takeCookie ? stored(fromCookie, f.purpose) : device[f.key]);
          }
        },
      ),
    );
  });
});
