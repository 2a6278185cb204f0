import {
  SNAPSHOT_SCHEMA_VERSION,
  createExplainer,
  decide,
  type AttributeValue,
  type ConsentState,
  type Decision,
  type Explanation,
  type Profile,
  type Snapshot,
} from '@candor/core';
import type { Language } from '../../api/types.js';
import { draftInLanguages, type WholeDraft } from '@candor/schema';

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

/**
 * Turns a draft into the snapshot publish would freeze (unsigned; for previews only): every text in
 * every language, a language the site does not write reading its default language's, as publish does.
 */
export function draftSnapshot(draft: WholeDraft, site: Snapshot['site'], now: number): Snapshot {
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    version: 0,
    publishedAt: now,
    site,
    // zod infers optional properties as `?: T | undefined`, core's types as `?: T`; the values are the same.
    ...(draftInLanguages(draft, site) as unknown as Pick<
      Snapshot,
      'purposes' | 'fields' | 'audiences' | 'experiences' | 'metrics' | 'savedGroups'
    >),
  };
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
 * Runs core's `decide` and `explain` in the browser exactly as the SDK would, for a sample visitor.
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
