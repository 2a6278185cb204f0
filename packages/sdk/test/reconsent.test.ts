import { DEFAULT_PURPOSES, type Purpose } from '@candor/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createConsentMachine } from '../src/consent/consent.js';
import { memoryStore } from '../src/store.js';

const v = (letter: string): string => letter.repeat(64);
/** The default purposes as a publish stamps them: every text with a version. */
const versioned = (changes: Readonly<Record<string, string>> = {}): Purpose[] =>
  DEFAULT_PURPOSES.map((purpose) => ({ ...purpose, textVersion: changes[purpose.id] ?? v('a') }));
const OPTIONAL = ['personalization', 'measurement', 'sync'] as const;

function setup(signals = { gpc: false, dnt: false }) {
  const store = memoryStore();
  let purposes: readonly Purpose[] = versioned();
  const create = () =>
    createConsentMachine({
      store,
      purposes: () => purposes,
      policyVersion: () => 'p1',
      signals,
      now: () => 1000,
    });
  return { store, create, publish: (next: readonly Purpose[]) => (purposes = next) };
}

describe('re-consent when a purpose changes', () => {
  it('asks again only the changed purpose, denies it meanwhile, and keeps the others in force', () => {
    const { create, publish } = setup();
    create().choose('accept_all', { personalization: true, measurement: true, sync: true }, 'prompt');
    publish(versioned({ measurement: v('b') }));
    const consent = create();
    expect(consent.needsPrompt()).toBe(true);
    const view = consent.view();
    expect(view.phase).toBe('decided');
    expect(view.reask).toEqual(['measurement']);
    expect(view.granted).toMatchObject({ personalization: true, sync: true, measurement: false });
  });

  it('a reprompt answers only what was asked, records the new version, and sends it to the ledger', () => {
    const { create, publish } = setup();
    create().choose('reject_all', { personalization: false, measurement: false, sync: false }, 'prompt');
    publish(versioned({ sync: v('c') }));
    const consent = create();
    const change = consent.choose('reprompt', { sync: true }, 'prompt');
    expect(change.purposes).toEqual({ personalization: 'denied', measurement: 'denied', sync: 'granted' });
    expect(change.purposeVersions).toEqual({ sync: v('c') });
    expect(consent.needsPrompt()).toBe(false);
    expect(consent.view().reask).toEqual([]);
  });

  it('asks about a purpose added after the choice, and only that one', () => {
    const { create, publish } = setup();
    create().choose('accept_all', { personalization: true, measurement: true, sync: true }, 'prompt');
    const added: Purpose = { ...(DEFAULT_PURPOSES[2] as Purpose), id: 'newsletter', textVersion: v('d') };
    publish([...versioned(), added]);
    expect(create().view().reask).toEqual(['newsletter']);
  });

  it('reads a choice stored before versions existed as answering the current texts', () => {
    const { store, create, publish } = setup();
    publish(DEFAULT_PURPOSES);
    create().choose('accept_all', { personalization: true, measurement: true, sync: true }, 'prompt');
    expect(JSON.stringify(store.data.get('consent'))).not.toContain('textVersion');
    publish(versioned({ measurement: v('b') }));
    const consent = create();
    expect(consent.needsPrompt()).toBe(false);
    expect(consent.view().granted).toMatchObject({ personalization: true, measurement: true, sync: true });
  });

  it('tells the ledger which text was read only for choices made in Candor’s own UI', () => {
    const { create } = setup();
    expect(create().choose('accept_all', { measurement: true }, 'prompt').purposeVersions).toEqual({
      personalization: v('a'),
      measurement: v('a'),
      sync: v('a'),
    });
    expect(create().choose('custom', { measurement: true }, 'cmp:tcf').purposeVersions).toBeUndefined();
    expect(create().choose('custom', { measurement: true }, 'api').purposeVersions).toBeUndefined();
  });

  it('never re-asks or sets aside an answer a CMP or the page API gave: re-consent is theirs there', () => {
    const { create, publish } = setup();
    create().choose('custom', { personalization: true, measurement: true, sync: true }, 'cmp:klaro');
    publish(versioned({ measurement: v('b') }));
    const consent = create();
    expect(consent.needsPrompt()).toBe(false);
    expect(consent.view().granted).toMatchObject({ personalization: true, measurement: true, sync: true });
  });

  it('property: never re-asks an unchanged purpose, always re-asks a changed one', () => {
    const change = fc.dictionary(fc.constantFrom(...OPTIONAL), fc.constantFrom(v('a'), v('b'), v('c')));
    const first = fc.dictionary(fc.constantFrom(...OPTIONAL), fc.boolean());
    fc.assert(
      fc.property(first, change, fc.boolean(), (choices, changes, gpc) => {
        const { create, publish } = setup({ gpc, dnt: false });
        create().choose('custom', choices, 'prompt');
        const before = create().view().granted;
        publish(versioned(changes));
        const view = create().view();
        const changed = OPTIONAL.filter((id) => (changes[id] ?? v('a')) !== v('a'));
        expect([...view.reask].sort()).toEqual([...changed].sort());
        for (const id of OPTIONAL) expect(view.granted[id]).toBe(changed.includes(id) ? false : before[id]);
      }),
    );
  });
});
