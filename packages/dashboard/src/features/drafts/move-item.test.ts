import { describe, expect, it } from 'vitest';
import { moveItem } from './move-item.js';

describe('moveItem', () => {
  it('swaps an item with its neighbour up or down', () => {
    expect(moveItem(['a', 'b', 'c'], 1, -1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 1, 1)).toEqual(['a', 'c', 'b']);
  });
  it('leaves the list as it is at the ends and for an index outside it', () => {
    const items = ['a', 'b'];
    expect(moveItem(items, 0, -1)).toBe(items);
    expect(moveItem(items, 1, 1)).toBe(items);
    expect(moveItem(items, 5, -1)).toBe(items);
  });
  it('never changes the list it was given', () => {
    const items = Object.freeze(['a', 'b', 'c']);
    expect(moveItem(items, 2, -1)).toEqual(['a', 'c', 'b']);
    expect(items).toEqual(['a', 'b', 'c']);
  });
});
