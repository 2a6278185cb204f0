import type { LintDraft } from '@candor/core';
import { DRAFT_KINDS, DRAFT_SCHEMAS, SavedGroupsDraft, type DraftKind } from '@candor/schema';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';

/** The saved-groups document lives beside the entities, under this kind and id. */
export const SAVED_GROUPS_KIND = 'savedGroups';

const ID_PROPERTY: Readonly<Record<DraftKind, 'id' | 'key'>> = {
  purposes: 'id',
  fields: 'key',
  audiences: 'id',
  experiences: 'id',
  metrics: 'id',
};

/** Validates one draft entity against its kind's schema; the id in the URL must match the body. */
export function parseDraft(kind: DraftKind, id: string, body: unknown): unknown {
  const result = DRAFT_SCHEMAS[kind].safeParse(body);
  if (!result.success) {
    const errors = result.error.issues.map((issue) => ({
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
  // Experiences keep their priority order (DESIGN: first experience per slot wins) by an explicit
  // `priority` kept outside the entity; until the dashboard sets one, id order is the order.
  return {
    purposes: of('purposes') as LintDraft['purposes'],
    fields: of('fields') as LintDraft['fields'],
    audiences: of('audiences') as LintDraft['audiences'],
    experiences: of('experiences') as LintDraft['experiences'],
    metrics: of('metrics') as LintDraft['metrics'],
    ...(savedGroups === undefined ? {} : { savedGroups }),
  };
}
