import { createFinding, type LintFinding } from './finding.js';
import type { LintContext } from './lint-context.js';
import type { PlacementView } from './draft-view.js';
import { PAGE_PATTERN_FIX, pagePatternProblem } from './page-patterns.js';
import { isStrictCategory, SENSITIVE_TAXONOMY } from './sensitive-taxonomy.js';

function lintPlacement(placement: PlacementView, context: LintContext): LintFinding[] {
  const field = context.draft.fields.find((candidate) => candidate.key === placement.field);
  const location = { entity: 'placement', id: placement.id, path: 'field' } as const;
  if (field === undefined) {
    return [
      createFinding({
        code: 'placement_unknown_field',
        severity: 'error',
        location,
        message: `Placed question '${placement.id}' asks for field '${placement.field}', which the draft does not declare, so nothing would be shown.`,
        fixHint: `Declare field '${placement.field}' with a question, or pick a declared field for '${placement.id}'.`,
      }),
    ];
  }
  const findings: LintFinding[] = [];
  if (field.question === undefined) {
    findings.push(
      createFinding({
        code: 'placement_field_without_question',
        severity: 'error',
        location,
        message: `Placed question '${placement.id}' asks for field '${field.key}', which has no question to show.`,
        fixHint: `Give field '${field.key}' a question in en and zh-Hant, or pick a field that has one.`,
      }),
    );
  }
  // Asking in the middle of a page draws more answers than a settings screen: the field's own
  // finding already covers its use, this one covers asking for it unprompted.
  for (const { category } of context.categoriesOf(field)) {
    const strict = isStrictCategory(category);
    findings.push(
      createFinding({
        code: 'placement_sensitive_field',
        severity: strict ? 'error' : 'warning',
        location: { ...location, path: category },
        category,
        message: `Placed question '${placement.id}' asks visitors for '${field.key}', which is or reveals ${SENSITIVE_TAXONOMY[category].description} (${category}).`,
        fixHint: strict
          ? `Remove '${placement.id}': sensitive categories may never be asked for to personalize.`
          : `Acknowledge, or remove '${placement.id}' so visitors are not asked for it on the page.`,
      }),
    );
  }
  return findings;
}

/** Page patterns run on the visitor's linear matcher: one it refuses would leave the question on no page. */
function lintPlacementPages(placement: PlacementView): LintFinding[] {
  return placement.pages.flatMap((page, index) => {
    const problem = pagePatternProblem(page);
    if (problem === null) return [];
    return [
      createFinding({
        code: 'condition_unsafe_regex',
        severity: 'error',
        location: { entity: 'placement', id: placement.id, path: `pages.${index}` },
        message: `Placed question '${placement.id}' is asked on pages matching '${page.pattern}', a ${page.type || 'page'} pattern the engine refuses (${problem.replace('_', ' ')}), so it would be asked on no page.`,
        fixHint: PAGE_PATTERN_FIX,
      }),
    ];
  });
}

/** Placed questions that would show nothing, or would ask visitors for sensitive or watch-listed data. */
export function lintPlacements(context: LintContext): LintFinding[] {
  return context.draft.placements.flatMap((placement) => [
    ...lintPlacement(placement, context),
    ...lintPlacementPages(placement),
  ]);
}
