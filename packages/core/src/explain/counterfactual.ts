import type { VisibleSignal } from '../consent/visible-profile.js';
import type { decideSlots } from '../decide/decide.js';
import type { Decision } from '../decide/decision.js';
import type { PreparedSnapshot } from '../snapshot/prepare-snapshot.js';
import type { ConsentState, DecisionContext, Language, Profile } from '../types.js';

/** The signals whose removal changes the decision, and what the visitor would then see. */
export interface Flip {
  /** One signal when one suffices; all of them when only removing them together changes anything. */
  readonly signals: readonly VisibleSignal[];
  readonly alternative: 'standard' | 'other';
}

/** Visitor state a counterfactual re-decides from. */
export interface DecisionInputs {
  readonly prepared: PreparedSnapshot;
  readonly profile: Profile | undefined;
  readonly consent: ConsentState;
  readonly context: DecisionContext;
  /** The engine's pipeline, passed in so a bundle that already holds it lends it (see `DecisionEngine`). */
  readonly decideSlots: typeof decideSlots;
  /** The landing sentence of a split-URL test, lent by the engine (see `DecisionEngine`). */
  readonly landing?: ((decision: Decision, context: DecisionContext, language: Language) => string | null) | undefined;
}

// Declared answers first: they are what a visitor can most easily change.
const ORDER = { declared: 0, observed: 1, inferred: 2, context: 3 } as const;

/**
 * Re-decide the slot without each signal in turn (the actual engine, not a guess) and return the
 * first signal whose absence changes what the visitor sees. When no single signal does (an `$or`
 * with two matching branches), the flip is removing all of them; when even that changes nothing,
 * there is no counterfactual to offer.
 */
export function findFlip(decision: Decision, inputs: DecisionInputs): Flip | null {
  const ordered = [...decision.signals].sort((a, b) => ORDER[a.source] - ORDER[b.source]);
  if (ordered.length === 0) return null;
  const attempts = ordered.length > 1 ? [...ordered.map((signal) => [signal]), ordered] : [ordered];
  for (const without of attempts) {
    const other = redecide(decision.slot, inputs, without);
    if (other.variant?.id !== decision.variant?.id)
      return { signals: without, alternative: other.variant ? 'other' : 'standard' };
  }
  return null;
}

function redecide(slot: string, inputs: DecisionInputs, without: readonly VisibleSignal[]): Decision {
  const removed = new Set(without.map((signal) => signal.key));
  const values = Object.fromEntries(Object.entries(inputs.profile?.values ?? {}).filter(([key]) => !removed.has(key)));
  const attributes = Object.fromEntries(Object.entries(inputs.context.attributes).filter(([key]) => !removed.has(key)));
  const profile: Profile | undefined = inputs.profile && { ...inputs.profile, values };
  const [decision] = inputs.decideSlots(inputs.prepared, profile, inputs.consent, { ...inputs.context, attributes }, [
    slot,
  ]);
  return decision as Decision;
}
