import { DEV } from '../dev.js';
import { SNAPSHOT_SCHEMA_VERSION, type Snapshot } from '../types.js';
import { firstInvalid, isFiniteNumber, isLocalizedText, isNonEmptyString, isRecord, isShare } from './guards.js';

/** Why a snapshot was refused. */
export type SnapshotError = 'SNAPSHOT_INVALID' | 'SNAPSHOT_VERSION_UNSUPPORTED';

/** A checked snapshot, or why it was refused and where. */
export type SnapshotValidation =
  | { readonly ok: true; readonly snapshot: Snapshot }
  | { readonly ok: false; readonly error: SnapshotError; readonly detail: string };

// Production bundles keep every check but only this word of detail (see dev.ts).
const FAILED = 'invalid';
const SUPPORTED_MAJOR = SNAPSHOT_SCHEMA_VERSION.split('.')[0];
const PURPOSE_CLASSES = new Set(['essential', 'contextual', 'behavioural', 'measurement', 'cross_site']);
const SOURCES = new Set(['declared', 'observed', 'context', 'inferred']);
const FIELD_TYPES = new Set(['string', 'number', 'boolean', 'string[]']);
const CONTENT_TYPES = new Set(['text', 'html', 'attributes', 'class', 'changes', 'redirect']);

/**
 * Check that an untrusted value is a snapshot this core can read. The check is structural (the
 * linter judges meaning at publish); it exists so a malformed or foreign snapshot yields default
 * content with a reason instead of an exception deep inside a decision.
 */
export function validateSnapshot(value: unknown): SnapshotValidation {
  if (!isRecord(value)) return invalid(DEV ? 'the snapshot must be a JSON object' : FAILED);
  const schemaVersion = value['schemaVersion'];
  if (typeof schemaVersion !== 'string' || !/^\d+\.\d+$/.test(schemaVersion)) {
    return invalid(DEV ? 'schemaVersion must be a "major.minor" string' : FAILED);
  }
  if (schemaVersion.split('.')[0] !== SUPPORTED_MAJOR) {
    return {
      ok: false,
      error: 'SNAPSHOT_VERSION_UNSUPPORTED',
      detail: `schemaVersion ${schemaVersion} is not readable by this core (reads ${SUPPORTED_MAJOR}.x); update the SDK`,
    };
  }
  const problem =
    checkTop(value) ??
    firstInvalid(value['purposes'], checkPurpose, 'purposes') ??
    firstInvalid(value['fields'], checkField, 'fields') ??
    firstInvalid(value['audiences'], checkAudience, 'audiences') ??
    firstInvalid(value['experiences'], checkExperience, 'experiences') ??
    firstInvalid(value['metrics'], checkMetric, 'metrics');
  return problem === null ? { ok: true, snapshot: value as unknown as Snapshot } : invalid(problem);
}

function invalid(detail: string): SnapshotValidation {
  return { ok: false, error: 'SNAPSHOT_INVALID', detail };
}

function checkTop(value: Record<string, unknown>): string | null {
  if (!isFiniteNumber(value['version'])) return DEV ? 'version must be a number' : FAILED;
  if (!isFiniteNumber(value['publishedAt'])) return DEV ? 'publishedAt must be epoch milliseconds' : FAILED;
  const site = value['site'];
  if (!isRecord(site) || !isNonEmptyString(site['siteKey']) || typeof site['name'] !== 'string') {
    return DEV ? 'site must have a siteKey and a name' : FAILED;
  }
  if (site['defaultLanguage'] !== 'en' && site['defaultLanguage'] !== 'zh-Hant')
    return DEV ? 'site.defaultLanguage must be en or zh-Hant' : FAILED;
  const languages = site['languages'];
  if (
    languages !== undefined &&
    !(
      Array.isArray(languages) &&
      languages.every((language) => language === 'en' || language === 'zh-Hant') &&
      languages.includes(site['defaultLanguage'])
    )
  )
    return DEV ? 'site.languages must list en and/or zh-Hant, including the default language' : FAILED;
  if (value['savedGroups'] !== undefined && !isRecord(value['savedGroups']))
    return DEV ? 'savedGroups must be an object' : FAILED;
  const placements = value['placements'];
  if (
    placements !== undefined &&
    !(
      Array.isArray(placements) &&
      placements.every(
        (item) =>
          isRecord(item) &&
          isNonEmptyString(item['id']) &&
          isNonEmptyString(item['field']) &&
          isNonEmptyString(item['selector']) &&
          ['before', 'after', 'inside'].includes(item['position'] as string),
      )
    )
  )
    return DEV ? 'placements must be a list of { id, field, selector, position }' : FAILED;
  const limits = site['questionLimits'];
  if (limits !== undefined && !(isRecord(limits) && isCount(limits['perPage']) && isCount(limits['perVisit'])))
    return DEV ? 'site.questionLimits needs whole-number perPage and perVisit' : FAILED;
  return null;
}

function checkPurpose(item: unknown): string | null {
  if (!isRecord(item) || !isNonEmptyString(item['id'])) return DEV ? 'a purpose needs an id' : FAILED;
  if (!PURPOSE_CLASSES.has(item['class'] as string)) return DEV ? `purpose ${item['id']} has an unknown class` : FAILED;
  if (!isLocalizedText(item['name']) || !isLocalizedText(item['description'])) {
    return DEV ? `purpose ${item['id']} needs a name and description in en and zh-Hant` : FAILED;
  }
  return null;
}

function checkField(item: unknown): string | null {
  if (!isRecord(item) || !isNonEmptyString(item['key'])) return DEV ? 'a field needs a key' : FAILED;
  const key = item['key'];
  if (!SOURCES.has(item['source'] as string)) return DEV ? `field ${key} has an unknown source` : FAILED;
  if (!FIELD_TYPES.has(item['type'] as string)) return DEV ? `field ${key} has an unknown type` : FAILED;
  if (!isNonEmptyString(item['purpose'])) return DEV ? `field ${key} needs a purpose` : FAILED;
  if (typeof item['category'] !== 'string')
    return DEV ? `field ${key} needs a category ('none' when not sensitive)` : FAILED;
  if (!isFiniteNumber(item['retentionDays']) || item['retentionDays'] <= 0)
    return DEV ? `field ${key} needs retentionDays > 0` : FAILED;
  if (!isLocalizedText(item['label'])) return DEV ? `field ${key} needs a label in en and zh-Hant` : FAILED;
  return null;
}

function checkAudience(item: unknown): string | null {
  if (!isRecord(item) || !isNonEmptyString(item['id'])) return DEV ? 'an audience needs an id' : FAILED;
  return isRecord(item['condition']) ? null : DEV ? `audience ${item['id']} needs a condition object` : FAILED;
}

function checkExperience(item: unknown): string | null {
  if (!isRecord(item) || !isNonEmptyString(item['id'])) return DEV ? 'an experience needs an id' : FAILED;
  const id = item['id'];
  if (item['kind'] !== 'personalization' && item['kind'] !== 'experiment')
    return DEV ? `experience ${id} has an unknown kind` : FAILED;
  if (!Array.isArray(item['audiences']) || !item['audiences'].every(isNonEmptyString)) {
    return DEV ? `experience ${id} audiences must be a list of ids` : FAILED;
  }
  if (!isShare(item['holdout']) || !isShare(item['coverage']))
    return DEV ? `experience ${id} holdout and coverage must be in [0, 1]` : FAILED;
  if (item['hashVersion'] !== 1 && item['hashVersion'] !== 2)
    return DEV ? `experience ${id} hashVersion must be 1 or 2` : FAILED;
  if (typeof item['seed'] !== 'string') return DEV ? `experience ${id} needs a seed` : FAILED;
  const variants = item['variants'];
  if (!Array.isArray(variants) || variants.length === 0)
    return DEV ? `experience ${id} needs at least one variant` : FAILED;
  const segments = item['segments'];
  if (segments !== undefined && !(Array.isArray(segments) && segments.every(isSegment)))
    return DEV ? `experience ${id} segments must each name an audience, with weights ≥ 0` : FAILED;
  return firstInvalid(variants, checkVariant, `experience ${id} variants`);
}

function isSegment(item: unknown): boolean {
  if (!isRecord(item) || !isNonEmptyString(item['audience'])) return false;
  const weights = item['weights'];
  return (
    weights === undefined ||
    (isRecord(weights) && Object.values(weights).every((weight) => isFiniteNumber(weight) && weight >= 0))
  );
}

function checkVariant(item: unknown): string | null {
  if (!isRecord(item) || !isNonEmptyString(item['id'])) return DEV ? 'a variant needs an id' : FAILED;
  if (item['weight'] !== undefined && !(isFiniteNumber(item['weight']) && item['weight'] >= 0))
    return DEV ? 'weight must be ≥ 0' : FAILED;
  const content = item['content'];
  if (!isRecord(content)) return DEV ? `variant ${item['id']} needs content by slot` : FAILED;
  for (const [slot, change] of Object.entries(content)) {
    if (!isRecord(change) || !CONTENT_TYPES.has(change['type'] as string)) {
      return DEV ? `variant ${item['id']} slot ${slot} has unknown content` : FAILED;
    }
  }
  return null;
}

function checkMetric(item: unknown): string | null {
  if (!isRecord(item) || !isNonEmptyString(item['id'])) return DEV ? 'a metric needs an id' : FAILED;
  return item['kind'] === 'proportion' || item['kind'] === 'mean'
    ? null
    : DEV
      ? `metric ${item['id']} has an unknown kind`
      : FAILED;
}

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
