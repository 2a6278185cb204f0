import type { Decision } from '@candor/core';

/**
 * What a page needs from a server-side decision to render it and hydrate without a second
 * evaluation. It leaves out the decision's signals and trace: those hold the visitor's own values,
 * and HTML travels through caches and logs where personal data has no business.
 */
export type InitialDecision = Pick<
  Decision,
  'id' | 'slot' | 'snapshotVersion' | 'reason' | 'kind' | 'variant' | 'experienceId' | 'enrolled'
>;

/**
 * Trims server-side decisions (from core's `decide` or a server SDK) to what the client renders,
 * ready to serialise into `<CandorProvider initialDecisions>`.
 *
 * @example <CandorProvider initialDecisions={initialDecisions(decide(snapshot, profile, consent, context))} …>
 */
export function initialDecisions(decisions: readonly Decision[]): InitialDecision[] {
  return decisions.map((d) => ({
    id: d.id,
    slot: d.slot,
    snapshotVersion: d.snapshotVersion,
    reason: d.reason,
    kind: d.kind,
    variant: d.variant,
    experienceId: d.experienceId,
    enrolled: d.enrolled,
  }));
}
