import { DEFAULT_PURPOSES } from '@candor/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../src/store.js';
import { createConsentMachine, REASK_AFTER_MS, REFUSAL_KEPT_MS, type BrowserSignals } from '../src/consent/consent.js';

function machine(options: { signals?: BrowserSignals; now?: () => number; policy?: string } = {}) {
  const store = memoryStore();
  let policy = options.policy ?? 'p1';
  const create = () =>
    createConsentMachine({
      store,
      purposes: () => DEFAULT_PURPOSES,
      policyVersion: () => policy,
      signals: options.signals ?? { gpc: false, dnt: false },
      now: options.now ?? (() => 1000),
    });
  return { store, create, setPolicy: (next: string) => (policy = next) };
}

describe('consent state machine (docs/privacy.md §5)', () => {
  it('starts pending, and pending means every optional purpose is denied', () => {
    const view = machine().create().view();
    expect(view.phase).toBe('pending');
    expect(view.granted).toEqual({
      essential: true,
      contextual: true,
      personalization: false,
      measurement: false,
      sync: false,
    });
  });

  it('stores nothing before a choice (B1)', () => {
    const { store, create } = machine();
    create().view();
    expect(store.data.size).toBe(0);
  });

  it('"Reject all" never objects to contextual use; only an explicit choice does', () => {
    const { create } = machine();
    const consent = create();
    consent.choose('reject_all', { personalization: false, measurement: false, sync: false }, 'prompt');
    expect(consent.view().granted['contextual']).toBe(true);
    consent.choose('custom', { contextual: false }, 'preference_center');
    expect(consent.view().granted['contextual']).toBe(false);
  });

  it('under GPC, "Accept all" grants measurement but never profiling', () => {
    const consent = machine({ signals: { gpc: true, dnt: false } }).create();
    consent.choose('accept_all', { personalization: true, measurement: true, sync: true }, 'prompt');
    expect(consent.view().granted).toMatchObject({ personalization: false, sync: false, measurement: true });
  });

  it('under GPC, a granular grant made after the signal counts', () => {
    let now = 1000;
    const consent = machine({ signals: { gpc: true, dnt: false }, now: () => now }).create();
    now = 2000;
    consent.choose('custom', { personalization: true }, 'preference_center');
    expect(consent.view().granted['personalization']).toBe(true);
  });

  it('under GPC, a CMP’s answer counts like "Accept all": measurement yes, profiling never (docs/consent.md)', () => {
    let now = 1000;
    const consent = machine({ signals: { gpc: true, dnt: false }, now: () => now }).create();
    now = 2000;
    consent.choose('custom', { personalization: true, measurement: true, sync: true }, 'cmp:cookieconsent');
    expect(consent.view().granted).toMatchObject({ personalization: false, sync: false, measurement: true });
  });

  it('re-asks after 13 months of consent, keeps a refusal at least 6 months (B11)', () => {
    let now = 0;
    const m = machine({ now: () => now });
    const consent = m.create();
    consent.choose('accept_all', { personalization: true, measurement: true, sync: true }, 'prompt');
    now = REASK_AFTER_MS - 1;
    expect(m.create().needsPrompt()).toBe(false);
    now = REASK_AFTER_MS;
    expect(m.create().needsPrompt()).toBe(true);
    const refusing = machine({ now: () => now });
    const start = now;
    refusing.create().choose('reject_all', {}, 'prompt');
    now = start + REFUSAL_KEPT_MS - 1;
    expect(refusing.create().needsPrompt()).toBe(false);
  });

  it('asks again when the policy version changes', () => {
    const m = machine();
    m.create().choose('accept_all', { personalization: true }, 'prompt');
    m.setPolicy('p2');
    const consent = m.create();
    expect(consent.needsPrompt()).toBe(true);
    expect(consent.view().granted['personalization']).toBe(false);
  });

  it('"stop personalizing me" is absolute until a profiling purpose is granted again', () => {
    const m = machine();
    const consent = m.create();
    consent.choose('accept_all', { personalization: true, measurement: true, sync: true }, 'prompt');
    consent.object('preference_center');
    expect(consent.view().state.objectsToPersonalization).toBe(true);
    expect(consent.view().granted['personalization']).toBe(false);
  });

  it('treats corrupt stored consent as no choice and says so', () => {
    const store = memoryStore();
    store.data.set('consent', '{"version":1}');
    let corrupt = 0;
    const consent = createConsentMachine({
      store,
      purposes: () => DEFAULT_PURPOSES,
      policyVersion: () => 'p1',
      signals: { gpc: false, dnt: false },
      now: () => 1,
      onCorrupt: () => (corrupt += 1),
    });
    expect(consent.view().phase).toBe('pending');
    expect(corrupt).toBe(1);
  });

  it('never reads a malformed stored choice as a grant (decideVerified trusts this state)', () => {
    const store = memoryStore();
    const record = { version: 1, policyVersion: 'p1', decidedAt: 1, signals: {}, history: [] };
    store.data.set('consent', JSON.stringify({ ...record, purposes: { personalization: 'granted' } }));
    let corrupt = 0;
    const consent = createConsentMachine({
      store,
      purposes: () => DEFAULT_PURPOSES,
      policyVersion: () => 'p1',
      signals: { gpc: false, dnt: false },
      now: () => 1,
      onCorrupt: () => (corrupt += 1),
    });
    expect(consent.view().granted['personalization']).toBe(false);
    expect(consent.view().state.purposes).toEqual({});
    expect(corrupt).toBe(1);
  });

  it('property: a browser signal can only turn purposes off, never on', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('personalization', 'measurement', 'sync', 'contextual'), fc.boolean()),
        fc.boolean(),
        (choices, dnt) => {
          const plain = machine().create();
          plain.choose('custom', choices, 'api');
          const signalled = machine({ signals: { gpc: !dnt, dnt } }).create();
          signalled.choose('custom', choices, 'api');
          for (const [id, on] of Object.entries(signalled.view().granted)) {
            if (on) expect(plain.view().granted[id]).toBe(true);
          }
        },
      ),
    );
  });
});
