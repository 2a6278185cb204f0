import { toOpenFeatureReason, type Decision } from '@candor/core';
// From OpenFeature's shared core, so the web and the server provider use this one mapping.
import { ErrorCode, type FlagMetadata, type ResolutionDetails } from '@openfeature/core';

/**
 * How a Candor decision answers a string flag: the variant key as the value (the caller's default
 * for the page's default content), Candor's reason mapped once by core, and what the decision was
 * made of in the metadata. An unknown slot is FLAG_NOT_FOUND; a decision that failed is ERROR.
 * Never throws (code habit 2).
 */
export function resolveDecision(
  decision: Decision | undefined,
  defaultValue: string,
  explanation: string | undefined,
): ResolutionDetails<string> {
  if (decision === undefined) {
    return {
      value: defaultValue,
      reason: 'ERROR',
      errorCode: ErrorCode.FLAG_NOT_FOUND,
      errorMessage: 'no slot or experience of that name in the published snapshot; publish one or check the key',
    };
  }
  const flagMetadata: FlagMetadata = {
    candorReason: decision.reason,
    kind: decision.kind,
    enrolled: decision.enrolled,
    decisionId: decision.id,
    ...(decision.experienceId === null ? {} : { experienceId: decision.experienceId }),
    ...(decision.snapshotVersion === null ? {} : { snapshotVersion: decision.snapshotVersion }),
    ...(explanation === undefined ? {} : { explanation }),
  };
  if (decision.reason === 'ERROR') {
    return {
      value: defaultValue,
      reason: 'ERROR',
      errorCode: ErrorCode.GENERAL,
      errorMessage: `Candor showed default content: ${decision.errorCode ?? 'GENERAL'}`,
      flagMetadata,
    };
  }
  return {
    value: decision.variant?.id ?? defaultValue,
    ...(decision.variant ? { variant: decision.variant.id } : {}),
    reason: toOpenFeatureReason(decision.reason),
    flagMetadata,
  };
}

/** The answer to a flag asked for as another type than a string: variant keys are strings. */
export function typeMismatch<T>(defaultValue: T): ResolutionDetails<T> {
  return {
    value: defaultValue,
    reason: 'ERROR',
    errorCode: ErrorCode.TYPE_MISMATCH,
    errorMessage: 'a Candor flag is a variant key: evaluate it with getStringValue/getStringDetails',
  };
}
