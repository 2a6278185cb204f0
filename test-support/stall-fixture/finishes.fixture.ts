import { expect, it } from 'vitest';

it('finishes', () => {
  expect(1 + 1).toBe(2);
});
