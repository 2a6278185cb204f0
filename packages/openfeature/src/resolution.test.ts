import type { Decision, DecisionReason } from '@candor/core';
import { describe, expect, it } from 'vitest';
import { resolveDecision } from './resolution.js';

function decision(reason: DecisionReason, variant: string | null): Decision {
  return {
    id: 'd1',
    slot: 'hero',
    at: 0,
    snapshotVersion: 3,
    reason,
    errorCode: reason === 'ERROR' ? 'SNAPSHOT_INVALID' : null,
    kind: 'declared',
    variant: variant === null ? null : { id: variant, name: variant, content: { type: 'class', className: 'x' } },
    experienceId: variant === null ? null : 'hero-dev',
    audienceIds: [],
    segment: null,
    enrolled: false,
    allocation: variant === null ? null : 'fixed',
    signals: [],
    trace: [],
  };
}

describe('resolveDecision: a Candor decision as OpenFeature resolution details', () => {
  it.each([
    ['TARGETING_MATCH', 'dev', 'dev', 'TARGETING_MATCH'],
    ['SPLIT', 'b', 'b', 'SPLIT'],
    ['HOLDOUT', null, 'fallback', 'SPLIT'],
    ['DEFAULT', null, 'fallback', 'DEFAULT'],
    ['PERSONALIZATION_OFF', null, 'fallback', 'DISABLED'],
  ] as const)('%s with variant %s → value %s, reason %s', (reason, variant, value, openFeatureReason) => {
    const details = resolveDecision(decision(reason, variant), 'fallback', undefined);
    expect(details).toMatchObject({ value, reason: openFeatureReason, flagMetadata: { candorReason: reason } });
    expect(details.variant).toBe(variant ?? undefined);
    expect(details.errorCode).toBeUndefined();
  });

  it('a failed decision is an error with the default value and Candor error code', () => {
    expect(resolveDecision(decision('ERROR', null), 'fallback', undefined)).toMatchObject({
      value: 'fallback',
      reason: 'ERROR',
      errorCode: 'GENERAL',
      errorMessage: expect.stringContaining('SNAPSHOT_INVALID'),
    });
  });

  it('an unknown slot is FLAG_NOT_FOUND', () => {
    expect(resolveDecision(undefined, 'fallback', undefined)).toMatchObject({
      value: 'fallback',
      errorCode: 'FLAG_NOT_FOUND',
    });
  });

  it('the explanation, once loaded, is in the metadata', () => {
    const details = resolveDecision(decision('TARGETING_MATCH', 'dev'), 'fallback', 'You said you are a developer.');
    expect(details.flagMetadata).toMatchObject({
      explanation: 'You said you are a developer.',
      experienceId: 'hero-dev',
      snapshotVersion: 3,
      decisionId: 'd1',
    });
  });
});
