import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { purposesToAsk, type Purpose, type PurposeChoice, type PurposeClass } from '../index.js';

const CLASSES: readonly PurposeClass[] = ['essential', 'contextual', 'behavioural', 'measurement', 'cross_site'];
const needsAnswer = (purpose: Purpose): boolean => purpose.class !== 'essential' && purpose.class !== 'contextual';
const text = { en: 'x', 'zh-Hant': 'x' };
const version = fc.constantFrom('a', 'b', 'c').map((letter) => letter.repeat(64));

/** A snapshot's purposes, each with a text version or (published before versions) none. */
const purposesArb = fc
  .uniqueArray(
    fc.record({
      id: fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5', 'p6'),
      class: fc.constantFrom(...CLASSES),
      textVersion: fc.option(version, { nil: undefined }),
    }),
    { selector: (purpose) => purpose.id, maxLength: 6 },
  )
  .map((list) =>
    list.map(({ textVersion, ...rest }): Purpose => ({
      ...rest,
      name: text,
      description: text,
      legalBasis: 'consent',
      ...(textVersion === undefined ? {} : { textVersion }),
    })),
  );

/** A stored choice over some of those ids, each answer with the version it answered or none (old state). */
const answersArb = fc.dictionary(
  fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5', 'p6'),
  fc
    .record({
      status: fc.constantFrom('granted' as const, 'denied' as const),
      at: fc.nat(),
      textVersion: fc.option(version, { nil: undefined }),
    })
    .map(({ textVersion, ...rest }): PurposeChoice => ({
      ...rest,
      ...(textVersion === undefined ? {} : { textVersion }),
    })),
);

describe('purposesToAsk (re-consent when purposes change)', () => {
  it('asks nothing before any choice: the first prompt asks everything', () => {
    fc.assert(
      fc.property(purposesArb, (purposes) => {
        expect(purposesToAsk(purposes, undefined)).toEqual([]);
      }),
    );
  });

  it('never asks a purpose whose answered version is the current one', () => {
    fc.assert(
      fc.property(purposesArb, answersArb, (purposes, answers) => {
        const asked = new Set(purposesToAsk(purposes, answers).map((p) => p.id));
        for (const purpose of purposes) {
          const answer = answers[purpose.id];
          if (answer !== undefined && answer.textVersion === purpose.textVersion)
            expect(asked.has(purpose.id)).toBe(false);
        }
      }),
    );
  });

  it('always asks a changed or new purpose that needs an answer, and only those', () => {
    fc.assert(
      fc.property(purposesArb, answersArb, (purposes, answers) => {
        const expected = purposes.filter((purpose) => {
          if (!needsAnswer(purpose)) return false;
          const answer = answers[purpose.id];
          if (answer === undefined) return true;
          return (
            answer.textVersion !== undefined &&
            purpose.textVersion !== undefined &&
            answer.textVersion !== purpose.textVersion
          );
        });
        expect(purposesToAsk(purposes, answers)).toEqual(expected);
      }),
    );
  });

  it('never asks an essential or contextual purpose, whatever changed', () => {
    fc.assert(
      fc.property(purposesArb, answersArb, (purposes, answers) => {
        expect(purposesToAsk(purposes, answers).every(needsAnswer)).toBe(true);
      }),
    );
  });

  it('reads an answer stored without a version as answering the current text', () => {
    const purpose: Purpose = {
      id: 'ads',
      class: 'behavioural',
      name: text,
      description: text,
      legalBasis: 'consent',
      textVersion: 'a'.repeat(64),
    };
    expect(purposesToAsk([purpose], { ads: { status: 'granted', at: 1 } })).toEqual([]);
    expect(purposesToAsk([purpose], { ads: { status: 'granted', at: 1, textVersion: 'b'.repeat(64) } })).toEqual([
      purpose,
    ]);
  });
});
