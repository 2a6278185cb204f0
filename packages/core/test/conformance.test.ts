/**
 * GrowthBook's cross-SDK conformance suite (spec 0.8.0), read from ../shared at test time.
 * Every row of the evalCondition, hash, getBucketRange, chooseVariation, inNamespace and
 * getEqualWeights sections must pass so conditions and assignments carry over unchanged.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedFileAvailable } from '../../../test-support/shared-dir.js';
import {
  chooseVariation,
  evalCondition,
  getBucketRanges,
  getEqualWeights,
  hash,
  inNamespace,
  type BucketRange,
  type Namespace,
  type SavedGroups,
} from '../src/index.js';

const { path, available } = sharedFileAvailable('conformance/growthbook-cases.json');
interface Cases {
  evalCondition: [string, Record<string, unknown>, Record<string, unknown>, boolean, SavedGroups?][];
  hash: [string, string, number, number | null][];
  getBucketRange: [string, [number, number, number[] | null], BucketRange[]][];
  chooseVariation: [string, number, BucketRange[], number][];
  inNamespace: [string, string, Namespace, boolean][];
  getEqualWeights: [number, number[]][];
}
const cases: Cases = available
  ? (JSON.parse(readFileSync(path, 'utf8')) as Cases)
  : { evalCondition: [], hash: [], getBucketRange: [], chooseVariation: [], inNamespace: [], getEqualWeights: [] };

const round = (n: number): number => Math.round(n * 1e4) / 1e4;

describe.skipIf(!available)('GrowthBook conformance', () => {
  it.each(cases.evalCondition)('evalCondition: %s', (_name, condition, attributes, expected, savedGroups) => {
    expect(evalCondition(attributes, condition, savedGroups)).toBe(expected);
  });

  it.each(cases.hash)('hash(%j, %j, v%j)', (seed, value, version, expected) => {
    const result = hash(seed, value, version);
    expect(result === null ? null : round(result)).toBe(expected);
  });

  it.each(cases.getBucketRange)('getBucketRanges: %s', (_name, [n, coverage, weights], expected) => {
    const ranges = getBucketRanges(n, coverage, weights);
    expect(ranges.map(([a, b]) => [round(a), round(b)])).toEqual(expected.map(([a, b]) => [round(a), round(b)]));
  });

  it.each(cases.chooseVariation)('chooseVariation: %s', (_name, n, ranges, expected) => {
    expect(chooseVariation(n, ranges)).toBe(expected);
  });

  it.each(cases.inNamespace)('inNamespace: %s', (_name, id, namespace, expected) => {
    expect(inNamespace(id, namespace)).toBe(expected);
  });

  it.each(cases.getEqualWeights)('getEqualWeights(%j)', (n, expected) => {
    expect(getEqualWeights(n).map((w) => Math.round(w * 1e8) / 1e8)).toEqual(expected);
  });
});
