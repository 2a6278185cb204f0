import type { InitialDecision } from './initial-decision.js';

/** The decisions a page shows, by slot. */
export type ShownDecisions = ReadonlyMap<string, InitialDecision>;

/** Indexes decisions by slot (the last one for a slot wins, as in core's output order). */
export function bySlot(decisions: readonly InitialDecision[] = []): ShownDecisions {
  return new Map(decisions.map((decision) => [decision.slot, decision]));
}

/**
 * Whether a browser decision would change what a slot shows: another variant or experience, or
 * content from a newer snapshot. A fresh timestamp or id alone changes nothing on screen.
 */
export function changesWhatIsShown(shown: InitialDecision | undefined, made: InitialDecision): boolean {
  if (!shown) return true;
  if ((made.snapshotVersion ?? -1) > (shown.snapshotVersion ?? -1)) return true;
  return (made.variant?.id ?? null) !== (shown.variant?.id ?? null) || made.experienceId !== shown.experienceId;
}

/**
 * The decisions to show after the browser's engine decided again. The server's decision stays (same
 * object, so nothing re-renders) until the browser decides something that shows differently:
 * consent or an answer changed, a newer snapshot arrived, or the server saw other inputs. Then the
 * browser's decision wins, because it is the one the "Why?" dialog explains.
 * Returns `shown` itself when nothing changes.
 */
export function followDecisions(shown: ShownDecisions, made: readonly InitialDecision[]): ShownDecisions {
  let next: Map<string, InitialDecision> | undefined;
  for (const decision of made) {
    if (!changesWhatIsShown(shown.get(decision.slot), decision)) continue;
    next ??= new Map(shown);
    next.set(decision.slot, decision);
  }
  return next ?? shown;
}
