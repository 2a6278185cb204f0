import type { FieldDraft, QuestionPlacementDraft, WholeDraft } from '@candor/schema';
import type { z } from 'zod';

/** A placement as parsed by the schema the server validates with. */
export type Placement = z.infer<typeof QuestionPlacementDraft>;

/** One page pattern as the form edits it. */
export interface PagePatternValues {
  type: 'path' | 'regex';
  pattern: string;
}

/** What the placement editor's inputs hold. */
export interface PlacementFormValues {
  id: string;
  field: string;
  selector: string;
  position: Placement['position'];
  pages: PagePatternValues[];
}

/** The form of an existing placement, or the empty form of a new one (asked after the element). */
export function placementToForm(placement: Placement | undefined): PlacementFormValues {
  return {
    id: placement?.id ?? '',
    field: placement?.field ?? '',
    selector: placement?.selector ?? '',
    position: placement?.position ?? 'after',
    pages: (placement?.pages ?? []).map((page) => ({ type: page.type, pattern: page.pattern })),
  };
}

/**
 * The placement a form describes. Blank page rows are dropped, and no rows at all leaves `pages`
 * out, which the SDK reads as every page; properties the form does not edit pass through.
 */
export function formToPlacement(form: PlacementFormValues, original?: Placement): Placement {
  const { pages: _pages, ...kept } = original ?? ({} as Partial<Placement>);
  const pages = form.pages
    .map((page) => ({ type: page.type, pattern: page.pattern.trim() }))
    .filter((page) => page.pattern !== '');
  return {
    ...kept,
    id: form.id.trim(),
    field: form.field,
    selector: form.selector.trim(),
    position: form.position,
    ...(pages.length === 0 ? {} : { pages }),
  };
}

/** Fields a placement can ask for: only one with a question has anything to show a visitor. */
export function askableFields(draft: Pick<WholeDraft, 'fields'>): FieldDraft[] {
  return draft.fields.filter((field) => field.question !== undefined);
}
