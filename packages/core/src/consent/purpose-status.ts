import type { ConsentState, Purpose } from '../types.js';

/** Why a purpose is on or off for this visitor right now. */
export type PurposeStatusReason =
  /** Essential purposes cannot be refused. */
  | 'essential'
  /** The visitor said yes. */
  | 'granted'
  /** The visitor said no. */
  | 'denied'
  /** No choice yet: pending means denied. */
  | 'pending'
  /** Contextual use is on until the visitor objects. */
  | 'not_objected'
  /** Global Privacy Control turned it off (a grant before the signal does not count). */
  | 'gpc'
  /** Do Not Track turned it off. */
  | 'dnt'
  /** "Stop personalizing me": absolute. */
  | 'objection';

/** Whether a purpose may be used, and why. */
export interface PurposeStatus {
  readonly granted: boolean;
  readonly reason: PurposeStatusReason;
}

// Statuses are compared, never mutated: share one object per outcome (decide runs this per purpose per call).
const STATUS: Readonly<Record<PurposeStatusReason, PurposeStatus>> = {
  essential: { granted: true, reason: 'essential' },
  granted: { granted: true, reason: 'granted' },
  not_objected: { granted: true, reason: 'not_objected' },
  denied: { granted: false, reason: 'denied' },
  pending: { granted: false, reason: 'pending' },
  gpc: { granted: false, reason: 'gpc' },
  dnt: { granted: false, reason: 'dnt' },
  objection: { granted: false, reason: 'objection' },
};

const SIGNAL_SENSITIVE = new Set<Purpose['class']>(['behavioural', 'cross_site']);

/**
 * The effective status of one purpose (docs/privacy.md §1–2). Pending means denied. Under GPC or DNT,
 * behavioural purposes are off unless granted explicitly after the signal was first seen, and
 * cross-site purposes are off, full stop: GPC forbids sale and sharing whatever came before.
 */
export function purposeStatus(purpose: Purpose, consent: ConsentState): PurposeStatus {
  if (purpose.class === 'essential') return STATUS.essential;
  const choice = Object.hasOwn(consent.purposes, purpose.id) ? consent.purposes[purpose.id] : undefined;
  if (purpose.class === 'contextual') {
    return choice?.status === 'denied' ? STATUS.denied : STATUS.not_objected;
  }
  if (purpose.class === 'behavioural' && consent.objectsToPersonalization === true) {
    return STATUS.objection;
  }
  if (choice?.status === 'denied') return STATUS.denied;
  if (SIGNAL_SENSITIVE.has(purpose.class)) {
    // A signal outranks "pending" so the visitor is told the signal is honoured.
    const { gpc, dnt } = consent.signals;
    const overriddenBy = (since: number): boolean =>
      purpose.class === 'cross_site' || choice === undefined || choice.at < since;
    if (gpc && overriddenBy(gpc.since)) return STATUS.gpc;
    if (dnt && overriddenBy(dnt.since)) return STATUS.dnt;
  }
  if (choice === undefined) return STATUS.pending;
  return STATUS.granted;
}

/** The status of every purpose in a snapshot, by purpose id. */
export function purposeStatuses(
  purposes: readonly Purpose[],
  consent: ConsentState,
): ReadonlyMap<string, PurposeStatus> {
  return new Map(purposes.map((purpose) => [purpose.id, purposeStatus(purpose, consent)]));
}
