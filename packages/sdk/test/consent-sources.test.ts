// Consent sources (issue 15 items 1–3, docs/consent.md): the pure mappings from a CMP's answer to
// Candor grants, and `connect`'s promise never to wait. TC strings come from the real @iabtcf/core.
import { DEFAULT_PURPOSES, type Purpose } from '@candor/core';
import { GVL, Segment, TCModel, TCString } from '@iabtcf/core';
import { describe, expect, it } from 'vitest';
import type { CandorError } from '../src/events.js';
import { connect, notice } from '../src/consent-sources/connect-source.js';
import type { CallbackSource } from '../src/consent-sources/contract.js';
import { consentModeAdapter, readConsentMode } from '../src/consent-sources/consent-mode-source.js';
import { readGppPing } from '../src/consent-sources/gpp-source.js';
import { parseSiteMap, purposeGrants } from '../src/consent-sources/purpose-grants.js';
import { lacksDisclosedVendors, readTcData, tcfRequirements } from '../src/consent-sources/tcf-source.js';

const site = parseSiteMap('{"analytics":"measurement","marketing":["personalization","sync"]}');

describe('purposeGrants: a purpose is granted only when every category it needs is', () => {
  it('maps site categories to purposes, and a category the CMP does not name is not granted', () => {
    expect(purposeGrants(DEFAULT_PURPOSES, { analytics: true }, site ?? (() => []))).toEqual({
      personalization: false,
      measurement: true,
      sync: false,
    });
  });
  it('denies a purpose with no mapping, and leaves an unmapped contextual purpose to legitimate interest', () => {
    const grants = purposeGrants(DEFAULT_PURPOSES, { anything: true }, () => []);
    expect(grants).toEqual({ personalization: false, measurement: false, sync: false });
  });
  it('needs all of a purpose’s categories (sync = TCF P1 + P5)', () => {
    const categories = { 'consent:1': false, 'consent:5': true, 'consent:6': true, 'consent:8': true };
    expect(purposeGrants(DEFAULT_PURPOSES, categories, tcfRequirements)).toMatchObject({
      personalization: true,
      measurement: true,
      sync: false,
    });
  });
  it('refuses a map that is not an object of category → purpose id(s)', () => {
    for (const raw of ['', '[]', '{"a":1}', '{"a":[2]}', 'null', '{bad'])
      expect(parseSiteMap(raw), raw).toBeUndefined();
  });
});

describe('Consent Mode dataLayer', () => {
  it('keeps hearing updates after another tag replaces dataLayer.push', () => {
    const win = {} as Window & { dataLayer?: unknown[] };
    let heard = 0;
    const seenByTag: unknown[] = [];
    const off = consentModeAdapter(win, undefined).subscribe(() => (heard += 1));
    const layer = win.dataLayer as unknown[];
    layer.push(['consent', 'default', { analytics_storage: 'denied' }]);
    // What a tag does when it loads: its own push, which still appends.
    layer.push = function push(...items: unknown[]) {
      seenByTag.push(...items);
      return Array.prototype.push.apply(layer, items);
    };
    layer.push(['consent', 'update', { analytics_storage: 'granted' }]);
    expect(heard).toBe(2);
    expect(seenByTag).toHaveLength(1);
    expect(readConsentMode(layer).kind).toBe('decided');
    off();
    layer.push(['consent', 'update', { analytics_storage: 'denied' }]);
    expect(heard).toBe(2);
    expect(seenByTag).toHaveLength(2);
  });

  const args = (...values: unknown[]) => values;
  it('counts only update commands as the visitor’s choice; a default is undecided', () => {
    expect(readConsentMode([])).toEqual({ kind: 'absent' });
    expect(readConsentMode([args('consent', 'default', { analytics_storage: 'denied' })])).toEqual({
      kind: 'undecided',
    });
    expect(
      readConsentMode([
        args('consent', 'default', { analytics_storage: 'denied', personalization_storage: 'denied' }),
        { event: 'gtm.js' },
        args('consent', 'update', { analytics_storage: 'granted' }),
      ]),
    ).toEqual({ kind: 'decided', categories: { analytics_storage: true, personalization_storage: false } });
  });
});

/** A minimal vendor list: @iabtcf/core encodes only against one. */
function vendorList(): GVL {
  const named = (n: number) =>
    Object.fromEntries(
      Array.from({ length: n }, (_, i) => [String(i + 1), { id: i + 1, name: `P${i + 1}`, description: '' }]),
    );
  return new GVL({
    gvlSpecificationVersion: 3,
    vendorListVersion: 1,
    tcfPolicyVersion: 4,
    lastUpdated: '2026-01-01T00:00:00Z',
    purposes: named(11),
    specialPurposes: named(3),
    features: named(3),
    specialFeatures: named(2),
    vendors: {},
    stacks: {},
  } as never);
}

function tcString(consents: number[], options: { created?: Date; disclosed?: boolean } = {}): string {
  const model = new TCModel(vendorList());
  model.cmpId = 10;
  model.cmpVersion = 1;
  model.purposeConsents.set(consents);
  model.vendorsDisclosed.set([1]);
  if (options.created) model.created = options.created;
  const segments = options.disclosed === false ? [Segment.CORE] : [Segment.CORE, Segment.VENDORS_DISCLOSED];
  return TCString.encode(model, { segments });
}

describe('TCF v2.2 / v2.3 reader', () => {
  const tcData = (tc: string, consents: number[]) => ({
    gdprApplies: true,
    eventStatus: 'useractioncomplete',
    tcString: tc,
    purpose: { consents: Object.fromEntries(consents.map((n) => [n, true])), legitimateInterests: { 11: true } },
  });
  it('maps the TCF table of docs/consent.md: P5+P6 personalization, P8 measurement, P1+P5 sync, P11 contextual', () => {
    const reading = readTcData(tcData(tcString([1, 5, 6, 8]), [1, 5, 6, 8]));
    expect(reading.kind).toBe('decided');
    if (reading.kind !== 'decided') return;
    expect(purposeGrants(DEFAULT_PURPOSES, reading.categories, tcfRequirements)).toEqual({
      contextual: true,
      personalization: true,
      measurement: true,
      sync: true,
    });
  });
  it('a site purpose without TCF purposes cannot be mapped and stays denied', () => {
    const extra: Purpose = { ...DEFAULT_PURPOSES[3]!, id: 'newsletter', tcf: { purposes: [], specialPurposes: [] } };
    const reading = readTcData(tcData(tcString([1, 5, 6, 8]), [1, 5, 6, 8]));
    if (reading.kind !== 'decided') throw new Error('expected a decided reading');
    expect(purposeGrants([extra], reading.categories, tcfRequirements)).toEqual({ newsletter: false });
  });
  it('TCF v2.3: a string created from 2026-03-01 without disclosedVendors grants nothing', () => {
    expect(lacksDisclosedVendors(tcString([8], { created: new Date('2026-03-02'), disclosed: false }))).toBe(true);
    expect(lacksDisclosedVendors(tcString([8], { created: new Date('2026-03-02') }))).toBe(false);
    expect(lacksDisclosedVendors(tcString([8], { created: new Date('2026-02-01'), disclosed: false }))).toBe(false);
    expect(readTcData(tcData(tcString([8], { disclosed: false }), [8])).kind).toBe('invalid');
  });
  it('before the visitor chose (or where GDPR does not apply) nothing is decided', () => {
    expect(readTcData(undefined)).toEqual({ kind: 'absent' });
    expect(readTcData({ gdprApplies: true, eventStatus: 'cmpuishown' })).toEqual({ kind: 'undecided' });
    expect(readTcData({ gdprApplies: false, eventStatus: 'tcloaded' })).toEqual({ kind: 'undecided' });
  });
});

describe('GPP reader', () => {
  it('US sections: a sale or sharing opt-out (or GPC) denies profiling; nothing else can be mapped', () => {
    const reading = readGppPing({
      signalStatus: 'ready',
      parsedSections: { usnat: { SaleOptOut: 2, SharingOptOut: 1, TargetedAdvertisingOptOut: 2, Gpc: false } },
    });
    expect(reading).toEqual({ kind: 'decided', categories: { 'us:sale': true, 'us:sharing': false } });
    const gpc = readGppPing({ signalStatus: 'ready', parsedSections: { usca: { SaleOptOut: 2, Gpc: true } } });
    expect(gpc).toEqual({ kind: 'decided', categories: { 'us:sale': false, 'us:sharing': false } });
  });
  it('the EU TCF section reads like __tcfapi', () => {
    const consents = Array.from({ length: 24 }, (_, i) => [0, 4, 5, 7].includes(i));
    const reading = readGppPing({ signalStatus: 'ready', parsedSections: { tcfeuv2: { PurposeConsents: consents } } });
    if (reading.kind !== 'decided') throw new Error('expected a decided reading');
    expect(purposeGrants(DEFAULT_PURPOSES, reading.categories, tcfRequirements)).toMatchObject({
      personalization: true,
      measurement: true,
      sync: true,
    });
  });
  it('a CMP still loading its signal has not decided', () => {
    expect(readGppPing({ signalStatus: 'not ready' })).toEqual({ kind: 'undecided' });
  });
});

describe('connect: a consent source never makes a decision wait', () => {
  /** A window whose one timer the test fires by hand: "later" without sleeping. */
  function fakeWindow() {
    const timers: (() => void)[] = [];
    const win = {
      setTimeout: (fn: () => void) => timers.push(fn),
      clearTimeout: () => undefined,
      setInterval: () => 0,
      clearInterval: () => undefined,
    } as unknown as Window;
    return { win, fireTimers: () => timers.splice(0).forEach((fn) => fn()) };
  }
  function run(callback: CallbackSource | undefined, name = 'callback', map = '{"analytics":"measurement"}') {
    const { win, fireTimers } = fakeWindow();
    const grants: Readonly<Record<string, boolean>>[] = [];
    const errors: CandorError[] = [];
    connect({
      win,
      name,
      map,
      callback,
      purposes: DEFAULT_PURPOSES,
      onGrants: (granted) => grants.push(granted),
      onError: (error) => errors.push(error),
    });
    return { grants, errors, fireTimers };
  }

  it('a CMP that never answers is reported silent, and nothing is granted', () => {
    const { grants, errors, fireTimers } = run({ read: () => undefined, subscribe: () => undefined });
    expect(errors).toEqual([]);
    fireTimers();
    expect(grants).toEqual([]);
    expect(errors.map((e) => e.code)).toEqual(['CONSENT_SOURCE_SILENT']);
  });
  it('a later answer still applies, once per change', () => {
    let state: Record<string, boolean> | undefined;
    let notify = () => undefined as void;
    const { grants, fireTimers } = run({ read: () => state, subscribe: (fn) => void (notify = fn) });
    fireTimers();
    state = { analytics: true };
    notify();
    notify();
    state = { analytics: false };
    notify();
    expect(grants).toEqual([
      { personalization: false, measurement: true, sync: false },
      { personalization: false, measurement: false, sync: false },
    ]);
  });
  it('a CMP that throws is a CMP that has not answered', () => {
    const { errors, fireTimers } = run({
      read: () => {
        throw new Error('CMP broken');
      },
      subscribe: () => undefined,
    });
    fireTimers();
    expect(errors.map((e) => e.code)).toEqual(['CONSENT_SOURCE_SILENT']);
  });
  it('says what to fix: an unknown source, a missing callback, an unreadable map', () => {
    expect(run(undefined, 'onetrust').errors.map((e) => e.code)).toEqual(['CONSENT_SOURCE_FAILED']);
    expect(run(undefined).errors[0]?.message).toContain('candorConfig.consentSource');
    const bad = run({ read: () => undefined, subscribe: () => undefined }, 'callback', '{nope');
    expect(bad.errors.map((e) => e.code)).toEqual(['CONSENT_SOURCE_INVALID']);
    const typo = run({ read: () => undefined, subscribe: () => undefined }, 'callback', '{"a":"measurment"}');
    expect(typo.errors[0]?.message).toContain('measurment');
  });
  it('an empty map (site settings without one) means the source’s own table', () => {
    const { win } = fakeWindow();
    const grants: Readonly<Record<string, boolean>>[] = [];
    const host = Object.assign(win, { dataLayer: [['consent', 'update', { analytics_storage: 'granted' }]] });
    connect({
      win: host,
      name: 'consent-mode',
      map: '{}',
      purposes: DEFAULT_PURPOSES,
      onGrants: (g) => grants.push(g),
      onError: () => undefined,
    });
    expect(grants).toEqual([{ personalization: false, measurement: true, sync: false }]);
  });
  it('the ledger notice names the source and the mapping that made the grants', () => {
    expect(notice('tcf', DEFAULT_PURPOSES, tcfRequirements)).toBe(
      'cmp:tcf contextual=li:11,personalization=consent:5+consent:6,measurement=consent:8,sync=consent:1+consent:5',
    );
  });
});
