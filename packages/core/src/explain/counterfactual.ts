import type { VisibleSignal } from '../consent/visible-profile.js';
import { decideSlots } from '../decide/decide.js';
import type { Decision } from '../decide/decision.js';
import type { PreparedSnapshot } from '../snapshot/prepare-snapshot.js';
import type { ConsentState, DecisionContext, Profile } from '../types.js';

/** The signal whose removal changes the decision, and what the visitor would then see. */
export interface Flip {
  readonly signal: VisibleSignal;
  readonly alternative: 'standard' | 'other';
}

/** Visitor state a counterfactual re-decides from. */
export interface DecisionInputs {
  readonly prepared: PreparedSnapshot;
  readonly profile: Profile | undefined;
  readonly consent: ConsentState;
  readonly context: DecisionContext;
}

// Declared answers first: they are what a visitor can most easily change.
const ORDER = { declared: 0, observed: 1, inferred: 2, context: 3 } as const;

/**
 * Re-decide the slot without each signal in turn (the actual engine, not a guess) and return the
 * first signal whose absence changes what the visitor sees. When no single signal does (an `$or`
 * with two matching branches), the first signal stands for all of them and the alternative is
 * what the visitor sees without any of them.
 */
export function findFlip(decision: Decision, inputs: DecisionInputs): Flip | null {
  const ordered = [...decision.signals].sort((a, b) => ORDER[a.source] - ORDER[b.source]);
  const first = ordered[0];
  if (first === undefined) return null;
  for (const signal of ordered) {
    const other = redecide(decision.slot, inputs, [signal]);
    if (other.variant?.id !== decision.variant?.id) return { signal, alternative: other.variant ? 'other' : 'standard' };
  }
  const other = redecide(decision.slot, inputs, ordered);
  return { signal: first, alternative: other.variant ? 'other' : 'standard' };
}

function redecide(slot: string, inputs: DecisionInputs, without: readonly VisibleSignal[]): Decision {
  const removed = new Set(without.map((signal) => signal.key));
  const values = Object.fromEntries(Object.entries(inputs.profile?.values ?? {}).filter(([key]) => !removed.has(key)));
  const attributes = Object.fromEntries(Object.entries(inputs.context.attributes).filter(([key]) => !removed.has(key)));
  const profile: Profile | undefined = inputs.profile && { ...inputs.profile, values };
  const [decision] = decideSlots(inputs.prepared, profile, inputs.consent, { ...inputs.context, attributes }, [slot]);
  return decision as Decision;
}
