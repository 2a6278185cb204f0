import type { Field, SavedGroups, SlotContent } from '@candor/core';
import { EntityId, type AudienceDraft, type ExperienceDraft } from '@candor/schema';
import { bucketsThatDiffer } from './bucket-parity.js';
import { checkCondition } from './condition-check.js';
import { clampCoverage, inclusiveCoverage } from './coverage.js';
import type { GrowthBookRule } from './growthbook-payload.js';
import type { SkipCode } from './import-report.js';

/** The attribute a variant's value is kept under, on the slot element and for the OpenFeature provider. */
export const VALUE_ATTRIBUTE = 'data-candor-value';

/** The largest JSON value a variant carries (the schema's bound on an attribute value). */
const MAX_VALUE_LENGTH = 4000;

/** What a rule becomes, or why it cannot. */
export type RuleConversion =
  | {
      readonly ok: true;
      readonly experience: ExperienceDraft;
      readonly audience: AudienceDraft | undefined;
      readonly notes: readonly string[];
    }
  | { readonly ok: false; readonly code: SkipCode; readonly detail: string; readonly fix: string };

/** Everything one rule's conversion reads. */
export interface RuleInput {
  readonly featureKey: string;
  readonly index: number;
  readonly rule: GrowthBookRule;
  readonly fields: readonly Field[];
  readonly savedGroups: SavedGroups;
  /** The GrowthBook attribute that holds the id Candor buckets on (its visitor id). */
  readonly idAttribute: string;
}

// Properties that only label a rule, or that the conversion reads below.
const READ = new Set([
  'id',
  'name',
  'phase',
  'key',
  'condition',
  'force',
  'variations',
  'weights',
  'coverage',
  'hashAttribute',
  'hashVersion',
  'namespace',
  'meta',
  'seed',
]);
// Properties GrowthBook itself ignores unless sticky bucketing is switched on in the SDK.
const STICKY = new Set(['fallbackAttribute', 'disableStickyBucketing', 'bucketVersion', 'minBucketVersion']);

function skip(code: SkipCode, detail: string, fix: string): RuleConversion {
  return { ok: false, code, detail, fix };
}

function valueContent(value: unknown): SlotContent | undefined {
  const json = JSON.stringify(value ?? null);
  return json.length > MAX_VALUE_LENGTH ? undefined : { type: 'attributes', attributes: { [VALUE_ATTRIBUTE]: json } };
}

function isEntityId(value: unknown): value is string {
  return EntityId.safeParse(value).success;
}

/** Converts one GrowthBook feature rule into a Candor experience (with its audience), or says why not. */
export function ruleToExperience(input: RuleInput): RuleConversion {
  const { featureKey, index, rule } = input;
  const notes: string[] = [];
  const unknown = Object.keys(rule).filter((key) => !READ.has(key) && !STICKY.has(key) && key !== 'tracks');
  if (unknown.length > 0) {
    return skip(
      'unsupported_property',
      `the rule uses ${unknown.join(', ')}, which Candor has no equivalent for`,
      'remove those properties in GrowthBook (or rebuild the rule in Candor) and import again',
    );
  }
  const sticky = Object.keys(rule).filter((key) => STICKY.has(key));
  if (sticky.length > 0) notes.push(`ignored ${sticky.join(', ')}: Candor has no sticky bucketing`);
  if ('tracks' in rule) notes.push('ignored tracks: Candor counts exposures itself');

  const hashVersion = rule.hashVersion || 1;
  if (hashVersion !== 1 && hashVersion !== 2) {
    return skip(
      'unsupported_hash_version',
      `hash version ${hashVersion} is not one Candor implements (1 and 2)`,
      'switch the rule to hash version 2 in GrowthBook and import again',
    );
  }
  const isForce = Object.hasOwn(rule, 'force');
  const isRollout = isForce && rule.coverage !== undefined;
  const hashAttribute = rule.hashAttribute || 'id';
  if ((isRollout || !isForce) && hashAttribute !== input.idAttribute) {
    return skip(
      'hash_attribute',
      `the rule buckets on "${hashAttribute}"; Candor buckets only on its own visitor id ("${input.idAttribute}" here)`,
      `bucket on "${input.idAttribute}" in GrowthBook, or pass --id-attribute ${hashAttribute} if that attribute is the id Candor issues`,
    );
  }

  let audience: AudienceDraft | undefined;
  const experienceId = `${featureKey}.${index}`;
  if (rule.condition !== undefined && Object.keys(rule.condition).length > 0) {
    const problem = checkCondition(rule.condition, input.fields, input.savedGroups);
    if (problem) return { ok: false, ...problem };
    audience = { id: `${experienceId}.audience`, name: `${featureKey} rule ${index + 1}`, condition: rule.condition };
  }

  const base = {
    id: experienceId,
    name: rule.name ?? `${featureKey} rule ${index + 1}`,
    audiences: audience ? [audience.id] : [],
    holdout: 0,
    allocation: 'fixed' as const,
    hashVersion: hashVersion as 1 | 2,
    goals: [],
  };

  if (isForce) {
    const content = valueContent(rule.force);
    if (!content)
      return skip(
        'value_too_large',
        `the forced value is over ${MAX_VALUE_LENGTH} characters as JSON`,
        'keep large values in your page and force a short key instead',
      );
    const forced = rule.force;
    const variantId =
      (typeof forced === 'string' || typeof forced === 'number' || typeof forced === 'boolean') &&
      isEntityId(String(forced))
        ? String(forced)
        : 'forced';
    return {
      ok: true,
      audience,
      notes,
      experience: {
        ...base,
        // A rollout hashes visitors, and Candor hashes only visitors who allow measurement.
        kind: isRollout ? 'experiment' : 'personalization',
        variants: [
          {
            id: variantId,
            name: `Forced ${JSON.stringify(forced ?? null).slice(0, 150)}`,
            content: { [featureKey]: content },
          },
        ],
        coverage: isRollout ? inclusiveCoverage(clampCoverage(rule.coverage)) : 1,
        // GrowthBook hashes a rollout with the feature key unless the rule names a seed.
        seed: rule.seed || featureKey,
      },
    };
  }

  const variations = rule.variations;
  if (variations === undefined || variations.length < 2) {
    return skip(
      'too_few_variations',
      'an experiment rule needs at least two variations; GrowthBook enrols nobody in this one',
      'add a variation in GrowthBook, or turn the rule into a forced value, and import again',
    );
  }
  if (rule.meta?.some((meta) => meta.passthrough === true)) {
    return skip(
      'passthrough',
      'a variation is marked passthrough (its visitors fall through to the next rule); Candor has no such arm',
      'rebuild the experiment in Candor with a holdout instead',
    );
  }
  const ids = variations.map((_, i) => rule.meta?.[i]?.key);
  const keysUsable = ids.every(isEntityId) && new Set(ids).size === ids.length;
  if (!keysUsable && rule.meta !== undefined)
    notes.push('variation keys are not usable as Candor ids; the variations are named 0, 1, …');
  const variants: ExperienceDraft['variants'] = [];
  const weightsApply = weightsGrowthBookUses(rule.weights, variations.length);
  for (const [i, value] of variations.entries()) {
    const content = valueContent(value);
    if (!content)
      return skip(
        'value_too_large',
        `variation ${i} is over ${MAX_VALUE_LENGTH} characters as JSON`,
        'keep large values in your page and vary a short key instead',
      );
    variants.push({
      id: keysUsable ? (ids[i] as string) : String(i),
      name: rule.meta?.[i]?.name ?? `Variation ${i}`,
      ...(weightsApply ? { weight: rule.weights?.[i] as number } : {}),
      content: { [featureKey]: content },
    });
  }
  const coverage = clampCoverage(rule.coverage);
  const differ = bucketsThatDiffer(
    hashVersion,
    coverage,
    rule.weights,
    variants.map((variant) => variant.weight),
  );
  if (differ > 0) {
    notes.push(
      `${differ} of ${hashVersion === 1 ? '1,000' : '10,000'} hash buckets get another variation: the weights sum to ${rule.weights?.reduce((a, b) => a + b, 0)}, which GrowthBook leaves partly unassigned and Candor rescales to 1`,
    );
  }
  return {
    ok: true,
    audience,
    notes,
    experience: {
      ...base,
      kind: 'experiment',
      variants,
      coverage,
      seed: rule.seed || rule.key || featureKey,
      ...(rule.namespace ? { namespace: clampNamespace(rule.namespace) } : {}),
    },
  };
}

// GrowthBook splits equally when weights are missing, of the wrong length or far from summing to 1.
function weightsGrowthBookUses(weights: readonly number[] | undefined, arms: number): boolean {
  if (weights === undefined || weights.length !== arms) return false;
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return total >= 0.99 && total <= 1.01 && weights.every((weight) => weight >= 0 && Number.isFinite(weight));
}

function clampNamespace([name, start, end]: readonly [string, number, number]): [string, number, number] {
  const share = (value: number): number => Math.min(1, Math.max(0, value));
  return [name, share(start), share(end)];
}
