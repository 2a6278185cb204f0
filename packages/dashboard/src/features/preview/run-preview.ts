import { SNAPSHOT_SCHEMA_VERSION, type Snapshot } from '@candor/core';
import { draftInLanguages, type WholeDraft } from '@candor/schema';

// The preview itself runs in core so the visual editor's server route gives the same answer.
export { runPreview, slotsOf } from '@candor/core';
export type { PreviewRow, SampleVisitor } from '@candor/core';

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
