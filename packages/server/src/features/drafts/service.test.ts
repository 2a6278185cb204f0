import { describe, expect, it } from 'vitest';
import { orderExperiences } from './service.js';

describe('orderExperiences', () => {
  it('puts listed experiences first in list order, then the rest by id', () => {
    const ids = (list: { id: string }[]) => list.map((experience) => experience.id);
    const experiences = [{ id: 'c' }, { id: 'a' }, { id: 'd' }, { id: 'b' }];
    expect(ids(orderExperiences(experiences, ['d', 'b']))).toEqual(['d', 'b', 'a', 'c']);
    expect(ids(orderExperiences(experiences, []))).toEqual(['a', 'b', 'c', 'd']);
    expect(ids(orderExperiences(experiences, ['zzz', 'c']))).toEqual(['c', 'a', 'b', 'd']);
  });
});
