import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('CANDOR_PG_PARTITIONS', () => {
  it('is off unless set to "daily", and any other value stops the start with the variable named', () => {
    expect(loadConfig({}).pgPartitions).toBe('off');
    expect(loadConfig({ CANDOR_PG_PARTITIONS: 'off' }).pgPartitions).toBe('off');
    expect(loadConfig({ CANDOR_PG_PARTITIONS: 'daily' }).pgPartitions).toBe('daily');
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((value) => value !== 'daily' && value !== 'off'),
        (value) => {
          expect(() => loadConfig({ CANDOR_PG_PARTITIONS: value })).toThrow(/CANDOR_PG_PARTITIONS/);
        },
      ),
    );
  });
});
