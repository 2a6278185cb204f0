import { describe, expect, it } from 'vitest';
import {
  defaultValue,
  fromCondition,
  operandText,
  OPERATORS_BY_TYPE,
  parseOperand,
  toCondition,
} from './condition-model.js';

describe('condition builder ↔ JSON', () => {
  it('writes rules on distinct fields as one object and reads them back', () => {
    const group = {
      combinator: 'and' as const,
      rules: [
        { field: 'role', operator: '$eq' as const, value: 'developer' },
        { field: 'visits', operator: '$gte' as const, value: 3 },
      ],
    };
    const condition = toCondition(group);
    expect(condition).toEqual({ role: { $eq: 'developer' }, visits: { $gte: 3 } });
    expect(fromCondition(condition)).toEqual(group);
  });

  it('merges a range on one field and falls back to $and when an operator repeats', () => {
    expect(
      toCondition({
        combinator: 'and',
        rules: [
          { field: 'visits', operator: '$gte', value: 2 },
          { field: 'visits', operator: '$lt', value: 9 },
        ],
      }),
    ).toEqual({ visits: { $gte: 2, $lt: 9 } });
    const twice = toCondition({
      combinator: 'and',
      rules: [
        { field: 'tags', operator: '$in', value: ['a'] },
        { field: 'tags', operator: '$in', value: ['b'] },
      ],
    });
    expect(twice).toEqual({ $and: [{ tags: { $in: ['a'] } }, { tags: { $in: ['b'] } }] });
    expect(fromCondition(twice)?.rules).toHaveLength(2);
  });

  it('writes OR as $or and reads it back', () => {
    const group = {
      combinator: 'or' as const,
      rules: [
        { field: 'role', operator: '$eq' as const, value: 'developer' },
        { field: 'utm_source', operator: '$in' as const, value: ['newsletter', 'blog'] },
      ],
    };
    expect(fromCondition(toCondition(group))).toEqual(group);
  });

  it('reads shorthand equality and the empty condition (everyone)', () => {
    expect(fromCondition({ role: 'marketer' })).toEqual({
      combinator: 'and',
      rules: [{ field: 'role', operator: '$eq', value: 'marketer' }],
    });
    expect(fromCondition({})).toEqual({ combinator: 'and', rules: [] });
  });

  it('leaves conditions it cannot show faithfully to the JSON editor', () => {
    expect(fromCondition({ $not: { role: 'x' } })).toBeUndefined();
    expect(fromCondition({ $or: [{ a: 1, b: 2 }] })).toBeUndefined();
    expect(fromCondition({ role: { $elemMatch: { $eq: 'x' } } })).toBeUndefined();
    expect(fromCondition({ tags: ['a'] })).toBeUndefined();
    expect(fromCondition([])).toBeUndefined();
  });
});

describe('operators and operands fit the field type', () => {
  it('offers ordering only to numbers and list operators to lists', () => {
    expect(OPERATORS_BY_TYPE.number).toContain('$gt');
    expect(OPERATORS_BY_TYPE.string).not.toContain('$gt');
    expect(OPERATORS_BY_TYPE.boolean).toEqual(['$eq', '$exists']);
    expect(OPERATORS_BY_TYPE['string[]']).toContain('$all');
  });

  it('parses typed operands and prints them back', () => {
    expect(parseOperand('number', '$gte', '3')).toBe(3);
    expect(parseOperand('number', '$in', '1, 2')).toEqual([1, 2]);
    expect(parseOperand('string', '$in', 'a, b,,')).toEqual(['a', 'b']);
    expect(parseOperand('boolean', '$eq', 'false')).toBe(false);
    expect(parseOperand('string', '$exists', 'false')).toBe(false);
    expect(operandText(['a', 'b'])).toBe('a, b');
    expect(defaultValue('number', '$lt')).toBe(0);
    expect(defaultValue('string', '$nin')).toEqual([]);
  });
});
