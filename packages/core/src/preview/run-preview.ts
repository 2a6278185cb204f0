import { createExplainer } from '../explain/explain.js';
import { decide } from '../decide/decide.js';
import type { Decision } from '../decide/decision.js';
import type { Explanation } from '../explain/explanation.js';
import type { AttributeValue, ConsentState, Language, Profile, Snapshot } from '../types.js';

/** A sample visitor an admin sets up to see what they would see. */
export interface SampleVisitor {
  /** Values by field key; context fields become request attributes, the rest on-device profile values. */
  readonly values: Readonly<Record<string, AttributeValue>>;
  /** Purpose id → granted; a purpose not listed is pending, which means denied. */
  readonly granted: Readonly<Record<string, boolean>>;
  readonly gpc: boolean;
  readonly language: Language;
  /** The pseudonymous id bucketing hashes; change it to land in another bucket. */
  readonly visitorId: string;
}

/** One slot's outcome with the exact "Why am I seeing this?" text. */
export interface PreviewRow {
  readonly slot: string;
  readonly decision: Decision;
  readonly explanation: Explanation;
}

/** Every slot an experience writes to, sorted. */
export function slotsOf(snapshot: Pick<Snapshot, 'experiences'>): string[] {
  const slots = new Set<string>();
  for (const experience of snapshot.experiences)
    for (const variant of experience.variants) for (const slot of Object.keys(variant.content)) slots.add(slot);
  return [...slots].sort();
}

const DAY = 86_400_000;

/**
 * Runs `decide` and `explain` exactly as the SDK would (for the dashboard's preview and the visual editor), for a sample visitor.
 * Consent was given a minute ago; GPC, when on, arrived after it (so it overrides profiling grants).
 */
export function runPreview(snapshot: Snapshot, visitor: SampleVisitor, now: number): PreviewRow[] {
  const values: Record<string, Profile['values'][string]> = {};
  const attributes: Record<string, AttributeValue> = {};
  for (const field of snapshot.fields) {
    const value = visitor.values[field.key];
    if (value === undefined || value === '') continue;
    if (field.source === 'context') attributes[field.key] = value;
    else
      values[field.key] = {
        value,
        source: field.source,
        collectedAt: now - DAY,
        expiresAt: now + field.retentionDays * DAY,
      };
  }
  const consent: ConsentState = {
    purposes: Object.fromEntries(
      Object.entries(visitor.granted).map(([id, granted]) => [
        id,
        { status: granted ? 'granted' : 'denied', at: now - 60_000 } as const,
      ]),
    ),
    signals: visitor.gpc ? { gpc: { since: now - 1000 } } : {},
    recordId: 'preview',
    policyVersion: snapshot.site.policyVersion,
  };
  const profile: Profile = { version: 1, visitorId: visitor.visitorId, values };
  const context = { now, attributes, languages: [visitor.language], slots: slotsOf(snapshot) };
  const decisions = decide(snapshot, profile, consent, context);
  const why = createExplainer({ snapshot, profile, consent, context }, { language: visitor.language });
  return decisions.map((decision) => ({ slot: decision.slot, decision, explanation: why(decision) }));
}
