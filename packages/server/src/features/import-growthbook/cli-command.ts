import { readFileSync, statSync } from 'node:fs';
import type { LintFinding } from '@candor/core';
import type { AppContext } from '../../context.js';
import { requireSite } from '../sites/service.js';
import { convertGrowthBook } from './convert-growthbook.js';
import type { ImportResult } from './import-report.js';
import { importIntoSite, MAX_PAYLOAD_BYTES, parseGrowthBookPayload } from './service.js';

/** The usage line of `candor import-growthbook`. */
export const IMPORT_GROWTHBOOK_USAGE =
  'Usage: candor import-growthbook <file.json> [--site <siteKey>] [--dry-run] [--id-attribute <attribute>]';

interface ImportArgs {
  readonly file: string;
  readonly site?: string;
  readonly dryRun: boolean;
  readonly idAttribute?: string;
}

function parseArgs(args: readonly string[]): ImportArgs | undefined {
  let file: string | undefined;
  let site: string | undefined;
  let idAttribute: string | undefined;
  let dryRun = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--dry-run') dryRun = true;
    else if (arg === '--site') site = args[++i];
    else if (arg === '--id-attribute') idAttribute = args[++i];
    else if (arg !== undefined && !arg.startsWith('--') && file === undefined) file = arg;
    else return undefined;
  }
  if (file === undefined || (args.includes('--site') && site === undefined)) return undefined;
  if (args.includes('--id-attribute') && idAttribute === undefined) return undefined;
  return {
    file,
    dryRun,
    ...(site === undefined ? {} : { site }),
    ...(idAttribute === undefined ? {} : { idAttribute }),
  };
}

/** The report, one finding per line with what to do next. */
export function formatImport(
  result: ImportResult,
  findings: readonly LintFinding[] | undefined,
  outcome: string,
): string[] {
  const { audiences, experiences } = result.drafts;
  const lines = [
    `${outcome}: ${experiences.length} experience(s), ${audiences.length} audience(s); ${result.skipped.length} skipped`,
  ];
  for (const item of result.skipped) {
    lines.push(
      `skipped\t${item.feature}${item.rule === null ? '' : `#${item.rule}`}\t${item.code}\t${item.detail}\n\t→ ${item.fix}`,
    );
  }
  for (const note of result.notes) lines.push(`note\t${note.feature}#${note.rule}\t${note.detail}`);
  for (const finding of findings ?? []) {
    lines.push(`lint ${finding.severity}\t${finding.fingerprint}\t${finding.message}\n\t→ ${finding.fixHint}`);
  }
  return lines;
}

/**
 * `candor import-growthbook`: without `--site`, converts as if no field were declared (every
 * condition is listed) and saves nothing; with it, converts against the site's fields, lints, and
 * saves the drafts unless `--dry-run`. Resolves to the exit code.
 */
export async function importGrowthBookCommand(
  args: readonly string[],
  write: (text: string) => void,
  withContext: <T>(fn: (context: AppContext) => Promise<T>) => Promise<T>,
): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed === undefined) {
    write(IMPORT_GROWTHBOOK_USAGE);
    return 2;
  }
  if (statSync(parsed.file).size > MAX_PAYLOAD_BYTES) {
    write(`${parsed.file} is over ${MAX_PAYLOAD_BYTES} bytes; import it in parts.`);
    return 1;
  }
  const payload = parseGrowthBookPayload(readFileSync(parsed.file, 'utf8'));
  const { site, idAttribute, dryRun } = parsed;
  if (site === undefined) {
    const result = convertGrowthBook(payload, { fields: [], ...(idAttribute === undefined ? {} : { idAttribute }) });
    for (const line of formatImport(result, undefined, 'dry run without a site (no fields declared), nothing saved'))
      write(line);
    return 0;
  }
  return withContext(async (context) => {
    const imported = await importIntoSite(context, await requireSite(context, site), payload, {
      dryRun,
      actor: 'cli:import-growthbook',
      ...(idAttribute === undefined ? {} : { idAttribute }),
    });
    const outcome = imported.saved
      ? `saved as drafts of ${site} (publish to go live)`
      : `dry run for ${site}, nothing saved`;
    for (const line of formatImport(imported.result, imported.findings, outcome)) write(line);
    return 0;
  });
}
