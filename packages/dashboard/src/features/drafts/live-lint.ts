import { lint, type LintDraft, type LintFinding } from '@candor/core';
import { draftInLanguages, type DraftKind } from '@candor/schema';
import type { WholeDraft } from '@candor/schema';

const ENTITY: Readonly<Record<DraftKind, string>> = {
  purposes: 'purpose',
  fields: 'field',
  audiences: 'audience',
  experiences: 'experience',
  metrics: 'metric',
  placements: 'placement',
};

/** The id property of each kind (a field's is its key). */
export function entityId(kind: DraftKind, entity: unknown): string {
  const record = entity as Record<string, unknown>;
  return String((kind === 'fields' ? record['key'] : record['id']) ?? '');
}

/** The draft as it would be with `entity` saved (replacing `previousId`, or its own id). */
export function draftWith(draft: WholeDraft, kind: DraftKind, entity: unknown, previousId?: string): WholeDraft {
  const id = previousId ?? entityId(kind, entity);
  const list = (draft[kind] ?? []) as readonly unknown[];
  const index = list.findIndex((item) => entityId(kind, item) === id);
  const next = index === -1 ? [...list, entity] : list.map((item, at) => (at === index ? entity : item));
  return { ...draft, [kind]: next };
}

/**
 * Lints the draft as it would be with this unsaved entity, in the browser with core's linter (the
 * same one publish runs, on the site's languages as written), and returns the findings about this
 * entity. Without `site`, every language is checked.
 */
export function liveFindings(
  draft: WholeDraft,
  kind: DraftKind,
  entity: unknown,
  previousId?: string,
  site?: Parameters<typeof draftInLanguages>[1],
): LintFinding[] {
  const id = entityId(kind, entity);
  const next = draftWith(draft, kind, entity, previousId);
  const checked = site === undefined ? next : draftInLanguages(next, site, { onlyUnwritten: true });
  return lint(checked as unknown as LintDraft).filter(
    (finding) => finding.location.entity === ENTITY[kind] && finding.location.id === id,
  );
}
