import { describe, expect, it } from 'vitest';
import { walkCondition } from './condition-walk.js';

describe('walkCondition', () => {
  it('reads field paths through logical operators, with the expression each is tested with', () => {
    const facts = walkCondition({
      $or: [{ a: 1 }, { $not: { b: { $gt: 2 } } }],
      $nor: [{ c: 'x' }],
      $and: [{ d: null }],
    });
    expect(facts.reads).toEqual([
      { path: 'a', expression: 1, negated: false },
      { path: 'b', expression: { $gt: 2 }, negated: true },
      { path: 'c', expression: 'x', negated: true },
      { path: 'd', expression: null, negated: false },
    ]);
  });

  it('tracks negation through nested $not and $nor', () => {
    const facts = walkCondition({ $not: { $nor: [{ a: 1 }] }, $nor: [{ $not: { b: 1 } }, { c: 1 }] });
    expect(facts.reads.map((read) => [read.path, read.negated])).toEqual([
      ['a', false],
      ['b', false],
      ['c', true],
    ]);
  });

  it('prefixes paths inside $elemMatch with the array path', () => {
    expect(
      walkCondition({ items: { $elemMatch: { sku: 'x', qty: { $gt: 1 } } } }).reads.map((read) => read.path),
    ).toEqual(['items', 'items.sku', 'items.qty']);
  });

  it('tells condition-level from value-level unknown operators', () => {
    expect(walkCondition({ $text: 'x', a: { $near: 1, $or: [] } }).unknownOperators).toEqual([
      { path: '', operator: '$text', value: 'condition' },
      { path: 'a', operator: '$near', value: 'value' },
      { path: 'a', operator: '$or', value: 'value' },
    ]);
  });

  it('treats an object with a non-operator key as a literal, as the engine does', () => {
    const facts = walkCondition({ a: { $gt: 1, b: 'x@y.com' } });
    expect(facts.unknownOperators).toEqual([]);
    expect(facts.strings).toEqual([{ path: 'a', operator: '', value: 'x@y.com' }]);
  });

  it('collects lists, regexes and every string literal', () => {
    const facts = walkCondition({ a: { $in: ['x', 'y'], $regex: '^z' }, b: { $all: [{ $eq: 'w' }] } });
    expect(facts.lists).toEqual([
      { path: 'a', operator: '$in', value: ['x', 'y'] },
      { path: 'b', operator: '$all', value: [{ $eq: 'w' }] },
    ]);
    expect(facts.regexes).toEqual([{ path: 'a', operator: '$regex', value: '^z' }]);
    expect(facts.strings.map((site) => site.value)).toEqual(['x', 'y', '^z', 'w']);
  });

  it('stops on hostile depth instead of overflowing the stack', () => {
    let condition: Record<string, unknown> = { a: 1 };
    for (let i = 0; i < 100_000; i++) condition = { $and: [condition] };
    expect(walkCondition(condition).reads).toEqual([]);
  });

  it('reads nothing from a non-object', () => {
    expect(walkCondition('a').reads).toEqual([]);
    expect(walkCondition(null).reads).toEqual([]);
  });
});
