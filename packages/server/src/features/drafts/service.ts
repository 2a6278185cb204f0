import type { LintDraft } from '@candor/core';
import { DRAFT_KINDS, DRAFT_SCHEMAS, missingTexts, SavedGroupsDraft, type DraftKind, Language } from '@candor/schema';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';

/** The saved-groups document lives beside the entities, under this kind and id. */
export const SAVED_GROUPS_KIND = 'savedGroups';
/** The experience priority list (first experience per slot wins) lives beside the entities too. */
export const EXPERIENCE_ORDER_KIND = 'experienceOrder';

/** Orders experiences by the priority list; ones the list does not name follow, by id. */
export function orderExperiences<T extends { id: string }>(experiences: readonly T[], order: readonly string[]): T[] {
  const rank = new Map(order.map((id, index) => [id, index]));
  const position = (experience: T): number => rank.get(experience.id) ?? Number.MAX_SAFE_INTEGER;
  return [...experiences].sort((a, b) => position(a) - position(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const ID_PROPERTY: Readonly<Record<DraftKind, 'id' | 'key'>> = {
  purposes: 'id',
  fields: 'key',
  audiences: 'id',
  experiences: 'id',
  metrics: 'id',
  placements: 'id',
};

/**
 * Validates one draft entity against its kind's schema and the site's languages (its required
 * texts written in each, `missingTexts`); the id in the URL must match the body.
 */
export function parseDraft(
  kind: DraftKind,
  id: string,
  body: unknown,
  languages: readonly (typeof Language.options)[number][] = Language.options,
): unknown {
  const result = DRAFT_SCHEMAS[kind].safeParse(body);
  const untranslated = result.success ? missingTexts(kind, result.data, languages) : [];
  if (!result.success || untranslated.length > 0) {
    const errors = result.success
      ? untranslated.map((problem) => ({ path: `body.${problem.path}`, message: problem.message }))
      : result.error.issues.map((issue) => ({
          path: `body.${issue.path.join('.')}`,
          message: issue.message,
        }));
    throw new AppError(
      'validation_failed',
      `This ${kind.slice(0, -1)} is invalid: ${errors
        .slice(0, 3)
        .map((e) => `${e.path}: ${e.message}`)
        .join('; ')}`,
      { errors },
    );
  }
  const bodyId = (result.data as Record<string, unknown>)[ID_PROPERTY[kind]];
  if (bodyId !== id) {
    throw new AppError(
      'validation_failed',
      `The URL names "${id}" but the body's ${ID_PROPERTY[kind]} is "${String(bodyId)}".`,
    );
  }
  return result.data;
}

/** Whether a URL segment names a draft kind. */
export function isDraftKind(kind: string): kind is DraftKind {
  return (DRAFT_KINDS as readonly string[]).includes(kind);
}

/** Reads a site's whole draft in the shape the linter and the snapshot want, entities in a stable order. */
export async function loadDraft(context: AppContext, siteId: string): Promise<LintDraft> {
  const rows = await context.storage.listDrafts(siteId);
  const of = (kind: string): unknown[] => rows.filter((row) => row.kind === kind).map((row) => row.body);
  const groups = rows.find((row) => row.kind === SAVED_GROUPS_KIND)?.body;
  const savedGroups = groups === undefined ? undefined : SavedGroupsDraft.parse(groups);
  const order = rows.find((row) => row.kind === EXPERIENCE_ORDER_KIND)?.body;
  const experiences = orderExperiences(
    of('experiences') as { id: string }[],
    Array.isArray(order) ? order.filter((id): id is string => typeof id === 'string') : [],
  );
  return {
    purposes: of('purposes') as LintDraft['purposes'],
    fields: of('fields') as LintDraft['fields'],
    audiences: of('audiences') as LintDraft['audiences'],
    experiences: experiences as unknown as LintDraft['experiences'],
    metrics: of('metrics') as LintDraft['metrics'],
    ...(savedGroups === undefined ? {} : { savedGroups }),
    placements: of('placements') as NonNullable<LintDraft['placements']>,
  };
}

/**
 * Stores one draft and audits the change with its before and after: the one way drafts are
 * written, by the admin API and by the demo seed alike. Returns the previous body, if any.
 */
export async function saveDraft(
  context: AppContext,
  siteId: string,
  kind: string,
  id: string,
  body: unknown,
  actor: string,
): Promise<unknown> {
  const before = await context.storage.getDraft(siteId, kind, id);
  await context.storage.putDraft(siteId, kind, id, body, context.clock());
  await context.storage.appendAudit({
    at: context.clock(),
    actor,
    action: before === undefined ? 'draft.create' : 'draft.update',
    siteId,
    // Site-wide drafts (saved groups, experience order) have the single id 'all'.
    target: id === 'all' ? kind : `${kind}/${id}`,
    before: before?.body ?? null,
    after: body,
  });
  return before?.body;
}
