import { SNAPSHOT_SCHEMA_VERSION, type Snapshot } from '../types.js';
import { firstInvalid, isFiniteNumber, isLocalizedText, isNonEmptyString, isRecord, isShare } from './guards.js';

/** Why a snapshot was refused. */
export type SnapshotError = 'SNAPSHOT_INVALID' | 'SNAPSHOT_VERSION_UNSUPPORTED';

/** A checked snapshot, or why it was refused and where. */
export type SnapshotValidation =
  | { readonly ok: true; readonly snapshot: Snapshot }
  | { readonly ok: false; readonly error: SnapshotError; readonly detail: string };

const SUPPORTED_MAJOR = SNAPSHOT_SCHEMA_VERSION.split('.')[0];
const PURPOSE_CLASSES = new Set(['essential', 'contextual', 'behavioural', 'measurement', 'cross_site']);
const SOURCES = new Set(['declared', 'observed', 'context', 'inferred']);
const FIELD_TYPES = new Set(['string', 'number', 'boolean', 'string[]']);
const CONTENT_TYPES = new Set(['text', 'html', 'attributes', 'class']);

/**
 * Check that an untrusted value is a snapshot this core can read. The check is structural (the
 * linter judges meaning at publish); it exists so a malformed or foreign snapshot yields default
 * content with a reason instead of an exception deep inside a decision.
 */
export function validateSnapshot(value: unknown): SnapshotValidation {
  if (!isRecord(value)) return invalid('the snapshot must be a JSON object');
  const schemaVersion = value['schemaVersion'];
  if (typeof schemaVersion !== 'string' || !/^\d+\.\d+$/.test(schemaVersion)) {
    return invalid('schemaVersion must be a "major.minor" string');
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
  if (!isFiniteNumber(value['version'])) return 'version must be a number';
  if (!isFiniteNumber(value['publishedAt'])) return 'publishedAt must be epoch milliseconds';
  const site = value['site'];
  if (!isRecord(site) || !isNonEmptyString(site['siteKey']) || typeof site['name'] !== 'string') {
    return 'site must have a siteKey and a name';
  }
  if (site['defaultLanguage'] !== 'en' && site['defaultLanguage'] !== 'zh-Hant')
    return 'site.defaultLanguage must be en or zh-Hant';
  if (value['savedGroups'] !== undefined && !isRecord(value['savedGroups'])) return 'savedGroups must be an object';
  return null;
}

function checkPurpose(item: unknown): string | null {
  if (!isRecord(item) || !isNonEmptyString(item['id'])) return 'a purpose needs an id';
  if (!PURPOSE_CLASSES.has(item['class'] as string)) return `purpose ${item['id']} has an unknown class`;
  if (!isLocalizedText(item['name']) || !isLocalizedText(item['description'])) {
    return `purpose ${item['id']} needs a name and description in en and zh-Hant`;
  }
  return null;
}

function checkField(item: unknown): string | null {
  if (!isRecord(item) || !isNonEmptyString(item['key'])) return 'a field needs a key';
  const key = item['key'];
  if (!SOURCES.has(item['source'] as string)) return `field ${key} has an unknown source`;
  if (!FIELD_TYPES.has(item['type'] as string)) return `field ${key} has an unknown type`;
  if (!isNonEmptyString(item['purpose'])) return `field ${key} needs a purpose`;
  if (typeof item['category'] !== 'string') return `field ${key} needs a category ('none' when not sensitive)`;
  if (!isFiniteNumber(item['retentionDays']) || item['retentionDays'] <= 0)
    return `field ${key} needs retentionDays > 0`;
  if (!isLocalizedText(item['label'])) return `field ${key} needs a label in en and zh-Hant`;
  return null;
}

function checkAudience(item: unknown): string | null {
  if (!isRecord(item) || !isNonEmptyString(item['id'])) return 'an audience needs an id';
  return isRecord(item['condition']) ? null : `audience ${item['id']} needs a condition object`;
}

function checkExperience(item: unknown): string | null {
  if (!isRecord(item) || !isNonEmptyString(item['id'])) return 'an experience needs an id';
  const id = item['id'];
  if (item['kind'] !== 'personalization' && item['kind'] !== 'experiment')
    return `experience ${id} has an unknown kind`;
  if (!Array.isArray(item['audiences']) || !item['audiences'].every(isNonEmptyString)) {
    return `experience ${id} audiences must be a list of ids`;
  }
  if (!isShare(item['holdout']) || !isShare(item['coverage']))
    return `experience ${id} holdout and coverage must be in [0, 1]`;
  if (item['hashVersion'] !== 1 && item['hashVersion'] !== 2) return `experience ${id} hashVersion must be 1 or 2`;
  if (typeof item['seed'] !== 'string') return `experience ${id} needs a seed`;
  const variants = item['variants'];
  if (!Array.isArray(variants) || variants.length === 0) return `experience ${id} needs at least one variant`;
  return firstInvalid(variants, checkVariant, `experience ${id} variants`);
}

function checkVariant(item: unknown): string | null {
  if (!isRecord(item) || !isNonEmptyString(item['id'])) return 'a variant needs an id';
  if (item['weight'] !== undefined && !(isFiniteNumber(item['weight']) && item['weight'] >= 0))
    return 'weight must be ≥ 0';
  const content = item['content'];
  if (!isRecord(content)) return `variant ${item['id']} needs content by slot`;
  for (const [slot, change] of Object.entries(content)) {
    if (!isRecord(change) || !CONTENT_TYPES.has(change['type'] as string)) {
      return `variant ${item['id']} slot ${slot} has unknown content`;
    }
  }
  return null;
}

function checkMetric(item: unknown): string | null {
  if (!isRecord(item) || !isNonEmptyString(item['id'])) return 'a metric needs an id';
  return item['kind'] === 'proportion' || item['kind'] === 'mean' ? null : `metric ${item['id']} has an unknown kind`;
}
