import { describe, expect, it } from 'vitest';
import { declaredField, text } from '../../test/lint-draft-fixtures.js';
import { readDraft, type FieldView } from './draft-view.js';
import { isAgeLike, isMinorAge, selectsMinors } from './minor-targeting.js';

const view = (label: ReturnType<typeof text>): FieldView =>
  readDraft({ fields: [declaredField('n', label)] }).fields[0] as FieldView;

describe('isAgeLike', () => {
  it.each(['age', 'visitor.age', 'ageGroup', 'age_range', 'estimatedAge'])('%j is the visitor’s age', (path) => {
    expect(isAgeLike(path, undefined)).toBe(true);
  });
  it.each(['accountAge', 'cacheAgeDays', 'page', 'usage', 'stage'])('%j is not', (path) => {
    expect(isAgeLike(path, undefined)).toBe(false);
  });
  it('a field labelled 年齡 or "Age group" is, whatever its key', () => {
    expect(isAgeLike('n', view(text('Years', '年齡')))).toBe(true);
    expect(isAgeLike('n', view(text('Age group', '組別')))).toBe(true);
  });
});

describe('isMinorAge', () => {
  it.each([0, 17, 17.9, '15', '13-17', '13 to 17', 'under 18', 'u16', '<18', '未滿18', '未成年'])(
    '%j is a minor',
    (value) => {
      expect(isMinorAge(value)).toBe(true);
    },
  );
  it.each([18, 40, -1, '18', '18-24', 'under 21', 'adult', null, true])('%j is not', (value) => {
    expect(isMinorAge(value)).toBe(false);
  });
});

describe('selectsMinors', () => {
  it.each([
    { $lt: 18 },
    { $lt: '16' },
    { $lte: 18 },
    { $lt: 65 },
    { $gte: 13, $lt: 30 },
    { $eq: 12 },
    { $in: [30, 15] },
    { $ini: ['13-17'] },
    16,
  ])('%j does', (expression) => {
    expect(selectsMinors(expression)).toBe(true);
  });
  it.each([
    { $lt: 0 },
    { $gte: 18, $lt: 65 },
    { $gt: 17, $lte: 30 },
    { $gte: 18 },
    { $gt: 12 },
    { $nin: [16] },
    { $ne: 16 },
    [16, 17],
    30,
  ])('%j does not', (expression) => {
    expect(selectsMinors(expression)).toBe(false);
  });
});
