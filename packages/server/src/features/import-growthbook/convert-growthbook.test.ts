import type { Field } from '@candor/core';
import { describe, expect, it } from 'vitest';
import { ROLE_FIELD } from '../../testing/fixtures.js';
import { convertGrowthBook } from './convert-growthbook.js';
import { GrowthBookPayload } from './growthbook-payload.js';

const HEALTH_FIELD = { ...ROLE_FIELD, key: 'condition', category: 'S.health', options: [] } as Field;
const FIELDS: readonly Field[] = [ROLE_FIELD as Field, HEALTH_FIELD];

function convert(rules: readonly unknown[], extra: Record<string, unknown> = {}) {
  return convertGrowthBook(
    GrowthBookPayload.parse({ features: { banner: { defaultValue: 'off', rules } }, ...extra }),
    {
      fields: FIELDS,
    },
  );
}

const EXPERIMENT = { variations: ['a', 'b'] };

describe('GrowthBook import: what cannot carry over is listed, never dropped', () => {
  it.each([
    ['undeclared_attribute', { condition: { country: 'TW' }, force: 'on' }, /"country"/],
    ['sensitive_attribute', { condition: { condition: 'diabetes' }, force: 'on' }, /S\.health/],
    ['unsupported_operator', { condition: { role: { $fuzzy: 'dev' } }, force: 'on' }, /\$fuzzy/],
    ['hash_attribute', { ...EXPERIMENT, hashAttribute: 'company' }, /"company"/],
    ['unsupported_hash_version', { ...EXPERIMENT, hashVersion: 3 }, /hash version 3/],
    ['unsupported_property', { ...EXPERIMENT, parentConditions: [{ id: 'x', condition: {} }] }, /parentConditions/],
    ['unsupported_property', { ...EXPERIMENT, filters: [{ seed: 's', ranges: [[0, 0.5]] }] }, /filters/],
    ['unsupported_property', { force: 'on', range: [0, 0.5] }, /range/],
    ['too_few_variations', { variations: ['only'] }, /two variations/],
    ['passthrough', { ...EXPERIMENT, meta: [{ key: 'a' }, { key: 'b', passthrough: true }] }, /passthrough/],
    ['value_too_large', { force: 'x'.repeat(5000) }, /4000/],
  ])('%s: the rule is skipped and the report says why and what to do', (code, rule, detail) => {
    const result = convert([rule, { force: 'fallback' }]);
    expect(result.skipped).toHaveLength(1);
    const [item] = result.skipped;
    expect(item).toMatchObject({ feature: 'banner', rule: 0, code });
    expect(item?.detail).toMatch(detail);
    expect(item?.fix.length).toBeGreaterThan(10);
    // The rule after it still carries over, in its own position.
    expect(result.drafts.experiences.map((experience) => experience.id)).toEqual(['banner.1']);
  });

  it('a feature whose key cannot name a slot is listed as a whole', () => {
    const result = convertGrowthBook(
      GrowthBookPayload.parse({ features: { 'has space': { rules: [{ force: 1 }] } } }),
      {
        fields: FIELDS,
      },
    );
    expect(result.skipped).toEqual([
      expect.objectContaining({ feature: 'has space', rule: null, code: 'invalid_key' }),
    ]);
    expect(result.drafts.experiences).toEqual([]);
  });

  it('top-level visual experiments are listed, their content does not carry over', () => {
    const result = convert([], { experiments: [{ key: 'homepage-redesign', variations: [{}, {}] }] });
    expect(result.skipped).toEqual([
      expect.objectContaining({ feature: 'homepage-redesign', rule: null, code: 'visual_experiment' }),
    ]);
  });

  it('a condition on the hash id itself is not a declared field, so it is listed', () => {
    const result = convert([{ condition: { id: { $in: ['a', 'b'] } }, force: 'on' }]);
    expect(result.skipped[0]).toMatchObject({ code: 'undeclared_attribute' });
  });

  it('weights GrowthBook leaves partly unassigned carry over with a note counting the buckets that move', () => {
    const result = convert([{ ...EXPERIMENT, weights: [0.5, 0.495], hashVersion: 2 }]);
    expect(result.skipped).toEqual([]);
    // GrowthBook: a below 0.5, b below 0.995, nobody above. Candor: a below 0.5/0.995 ≈ 0.50251, so
    // buckets 5000–5025 (26) change arm, and 9950–9999 (50) are enrolled instead of falling through.
    expect(result.notes).toEqual([
      expect.objectContaining({ rule: 0, detail: expect.stringMatching(/^76 of 10,000/) }),
    ]);
  });

  it('sticky-bucketing properties are ignored with a note; GrowthBook ignores them too without sticky bucketing', () => {
    const result = convert([{ ...EXPERIMENT, fallbackAttribute: 'deviceId', bucketVersion: 2 }]);
    expect(result.skipped).toEqual([]);
    expect(result.notes[0]?.detail).toMatch(/fallbackAttribute, bucketVersion/);
  });

  it('an --id-attribute names the attribute that holds the Candor visitor id', () => {
    const result = convertGrowthBook(
      GrowthBookPayload.parse({ features: { banner: { rules: [{ ...EXPERIMENT, hashAttribute: 'candorId' }] } } }),
      { fields: FIELDS, idAttribute: 'candorId' },
    );
    expect(result.skipped).toEqual([]);
    expect(result.drafts.experiences[0]).toMatchObject({ seed: 'banner', hashVersion: 1, kind: 'experiment' });
  });

  it('variation keys from meta become variant ids, as GrowthBook reports them', () => {
    const result = convert([{ ...EXPERIMENT, key: 'banner-test', meta: [{ key: 'off', name: 'Off' }, { key: 'on' }] }]);
    expect(result.drafts.experiences[0]?.variants.map((variant) => [variant.id, variant.name])).toEqual([
      ['off', 'Off'],
      ['on', 'Variation 1'],
    ]);
    expect(result.drafts.experiences[0]?.seed).toBe('banner-test');
  });
});
