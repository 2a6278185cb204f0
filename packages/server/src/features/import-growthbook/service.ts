import { lint, type LintDraft, type LintFinding } from '@candor/core';
import { SavedGroupsDraft, siteLanguages } from '@candor/schema';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { EXPERIENCE_ORDER_KIND, loadDraft, parseDraft, SAVED_GROUPS_KIND, saveDraft } from '../drafts/service.js';
import type { SiteRecord } from '../sites/store.js';
import { convertGrowthBook } from './convert-growthbook.js';
import { GrowthBookPayload } from './growthbook-payload.js';
import type { ImportResult } from './import-report.js';

/** The largest payload file the importer reads. */
export const MAX_PAYLOAD_BYTES = 5_000_000;

/** Parses a GrowthBook payload file's text, or throws an error that says how to get a usable one. */
export function parseGrowthBookPayload(text: string): GrowthBookPayload {
  if (text.length > MAX_PAYLOAD_BYTES) {
    throw new AppError('validation_failed', `The payload is over ${MAX_PAYLOAD_BYTES} bytes; import it in parts.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('validation_failed', 'The file is not JSON; save the response of your GrowthBook SDK endpoint.');
  }
  const parsed = GrowthBookPayload.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'validation_failed',
      `This is not a GrowthBook features payload (${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}); save the response of your GrowthBook SDK endpoint.`,
    );
  }
  if (parsed.data.encryptedFeatures !== undefined && Object.keys(parsed.data.features).length === 0) {
    throw new AppError(
      'validation_failed',
      'The features are encrypted; turn encryption off for the export, or decrypt them first.',
    );
  }
  return parsed.data;
}

/** The outcome of importing into a site. */
export interface SiteImport {
  readonly result: ImportResult;
  /** The linter's findings on the site's draft with the import in it, as publish will judge it. */
  readonly findings: readonly LintFinding[];
  readonly saved: boolean;
}

/** A site's draft with the imported entities added (an entity with the same id is replaced). */
export function mergeImport(draft: LintDraft, { drafts }: ImportResult): LintDraft {
  const importedIds = new Set([...drafts.audiences, ...drafts.experiences].map((entity) => entity.id));
  return {
    ...draft,
    audiences: [...draft.audiences.filter((audience) => !importedIds.has(audience.id)), ...drafts.audiences],
    experiences: [
      ...draft.experiences.filter((experience) => !importedIds.has(experience.id)),
      ...(drafts.experiences as unknown as LintDraft['experiences']),
    ],
    savedGroups: { ...draft.savedGroups, ...drafts.savedGroups },
  };
}

/**
 * Converts a payload against a site's declared fields and lints the result. Unless `dryRun`, the
 * drafts are saved (and audited) after every one of them validated: publishing stays a separate,
 * linted step, as for any draft.
 */
export async function importIntoSite(
  context: AppContext,
  site: SiteRecord,
  payload: GrowthBookPayload,
  options: { readonly dryRun: boolean; readonly idAttribute?: string; readonly actor: string },
): Promise<SiteImport> {
  const draft = await loadDraft(context, site.id);
  const result = convertGrowthBook(payload, {
    fields: draft.fields,
    ...(options.idAttribute === undefined ? {} : { idAttribute: options.idAttribute }),
  });
  const merged = mergeImport(draft, result);
  const findings = lint(merged);
  if (options.dryRun) return { result, findings, saved: false };
  const languages = siteLanguages(site.settings);
  const writes: [kind: string, id: string, body: unknown][] = [
    ...result.drafts.audiences.map(
      (audience) => ['audiences', audience.id, parseDraft('audiences', audience.id, audience, languages)] as const,
    ),
    ...result.drafts.experiences.map(
      (experience) =>
        ['experiences', experience.id, parseDraft('experiences', experience.id, experience, languages)] as const,
    ),
  ].map(([kind, id, body]) => [kind, id, body]);
  if (Object.keys(result.drafts.savedGroups).length > 0) {
    const groups = SavedGroupsDraft.safeParse(merged.savedGroups);
    if (!groups.success) {
      throw new AppError(
        'validation_failed',
        `The saved groups cannot be imported (${groups.error.issues[0]?.message ?? 'invalid'}); rename them with letters, digits, "_", "-" or "." and import again.`,
      );
    }
    writes.push([SAVED_GROUPS_KIND, 'all', groups.data]);
  }
  // The imported rules keep GrowthBook's order after the site's own experiences.
  writes.push([EXPERIENCE_ORDER_KIND, 'all', merged.experiences.map((experience) => experience.id)]);
  for (const [kind, id, body] of writes) await saveDraft(context, site.id, kind, id, body, options.actor);
  return { result, findings, saved: true };
}
