import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PURPOSES, purposeStatus, type ConsentState, type Purpose, type PurposeClass } from '../index.js';

const purpose = (cls: PurposeClass): Purpose => ({ ...(DEFAULT_PURPOSES[0] as Purpose), id: cls, class: cls });
const consent = (extra: Partial<ConsentState> = {}): ConsentState => ({ purposes: {}, signals: {}, ...extra });

describe('purposeStatus (docs/privacy.md §1–2)', () => {
  it('keeps essential purposes on, whatever the visitor chose', () => {
    const denied = consent({ purposes: { essential: { status: 'denied', at: 1 } }, signals: { gpc: { since: 0 } } });
    expect(purposeStatus(purpose('essential'), denied)).toEqual({ granted: true, reason: 'essential' });
  });

  it('treats pending as denied for every consent-based class', () => {
    for (const cls of ['behavioural', 'measurement', 'cross_site'] as const) {
      expect(purposeStatus(purpose(cls), consent())).toEqual({ granted: false, reason: 'pending' });
    }
  });

  it('keeps contextual on until the visitor objects', () => {
    expect(purposeStatus(purpose('contextual'), consent()).granted).toBe(true);
    const objected = consent({ purposes: { contextual: { status: 'denied', at: 5 } } });
    expect(purposeStatus(purpose('contextual'), objected)).toEqual({ granted: false, reason: 'denied' });
  });

  it('lets GPC override a behavioural grant made before the signal, not one made after', () => {
    const grantAt = (at: number): ConsentState =>
      consent({ purposes: { behavioural: { status: 'granted', at } }, signals: { gpc: { since: 100 } } });
    expect(purposeStatus(purpose('behavioural'), grantAt(99))).toEqual({ granted: false, reason: 'gpc' });
    expect(purposeStatus(purpose('behavioural'), grantAt(100))).toEqual({ granted: true, reason: 'granted' });
  });

  it('never allows cross-site purposes under GPC or DNT', () => {
    const after = (signals: ConsentState['signals']): ConsentState =>
      consent({ purposes: { cross_site: { status: 'granted', at: 500 } }, signals });
    expect(purposeStatus(purpose('cross_site'), after({ gpc: { since: 100 } })).reason).toBe('gpc');
    expect(purposeStatus(purpose('cross_site'), after({ dnt: { since: 100 } })).reason).toBe('dnt');
    expect(purposeStatus(purpose('cross_site'), after({})).granted).toBe(true);
  });

  it("leaves measurement to the visitor's choice under GPC (aggregate, no sale or profiling)", () => {
    const granted = consent({
      purposes: { measurement: { status: 'granted', at: 1 } },
      signals: { gpc: { since: 100 } },
    });
    expect(purposeStatus(purpose('measurement'), granted).granted).toBe(true);
  });

  it('makes an objection to personalization absolute', () => {
    const objecting = consent({
      purposes: { behavioural: { status: 'granted', at: 1 } },
      objectsToPersonalization: true,
    });
    expect(purposeStatus(purpose('behavioural'), objecting)).toEqual({ granted: false, reason: 'objection' });
  });

  it('property: a signal can only ever turn purposes off, never on', () => {
    const classes = fc.constantFrom<PurposeClass>(
      'essential',
      'contextual',
      'behavioural',
      'measurement',
      'cross_site',
    );
    const choice = fc.option(
      fc.record({ status: fc.constantFrom('granted' as const, 'denied' as const), at: fc.nat(1000) }),
      { nil: undefined },
    );
    fc.assert(
      fc.property(classes, choice, fc.nat(1000), fc.boolean(), (cls, made, since, useGpc) => {
        const purposes = made ? { [cls]: made } : {};
        const without = purposeStatus(purpose(cls), consent({ purposes }));
        const signals = useGpc ? { gpc: { since } } : { dnt: { since } };
        const withSignal = purposeStatus(purpose(cls), consent({ purposes, signals }));
        expect(withSignal.granted && !without.granted).toBe(false);
      }),
    );
  });
});
