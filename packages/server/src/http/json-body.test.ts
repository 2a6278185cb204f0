import { describe, expect, it } from 'vitest';
import { jsonDepth } from './json-body.js';

describe('jsonDepth', () => {
  it('counts array and object nesting as JSON.parse would build it', () => {
    expect(jsonDepth('1')).toBe(0);
    expect(jsonDepth('{"a":[1,{"b":[]}]}')).toBe(4);
    expect(jsonDepth('[[[]],[]]')).toBe(3);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDepth('{"a":"[[[{{{"}')).toBe(1);
    expect(jsonDepth('{"a":"\\"[[[","b":[]}')).toBe(2);
    expect(jsonDepth('["\\\\",[]]')).toBe(2);
  });
});
