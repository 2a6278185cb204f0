import { getBucketRanges, type BucketRange } from '../bucketing/bucket-ranges.js';
import {
  compileCondition,
  compileVerifiedCondition,
  NEVER,
  type CompileResult,
  type CompiledCondition,
  type ConditionError,
} from '../targeting/compile-condition.js';
import type { ChosenVariant, TraceEntry } from '../decide/decision.js';
import type { StepName } from '../decide/steps.js';
import type { Experience, Field, Purpose, SavedGroups, Snapshot, Variant } from '../types.js';
import { compileUrlMatches, type UrlMatcher } from '../pages/url-match.js';
import { validateSnapshot, type SnapshotError } from './validate-snapshot.js';

/** An experience with everything a decision needs computed once per snapshot. */
export interface PreparedExperience {
  readonly experience: Experience;
  /** Position in the snapshot: decisions index per-call state by it instead of hashing ids. */
  readonly index: number;
  readonly conditions: readonly CompiledCondition[];
  /** Its `pages`, compiled once: whether a page URL is one it runs on. */
  readonly page: UrlMatcher;
  /** Arms in bucket order: the holdout (when there is one) first, then the variants. */
  readonly ranges: readonly BucketRange[];
  /** Per-audience bandit ranges, in the experience's segment order; the first that matches applies. */
  readonly segments: readonly PreparedSegment[];
  readonly hasHoldout: boolean;
  /** A single arm and no holdout: nobody is randomized. */
  readonly randomized: boolean;
  readonly interruptive: boolean;
  /** Purposes of the fields its audiences read: if one is off, personalization is off here. */
  readonly purposesRead: ReadonlySet<string>;
  /** Trace entries are immutable, so each experience owns one per step instead of one per decision. */
  readonly skippedAt: Readonly<Record<StepName, TraceEntry>>;
  readonly decided: TraceEntry;
  /** What each variant shows in each slot, built once: `chosen[variantIndex].get(slot)`. */
  readonly chosen: readonly ReadonlyMap<string, ChosenVariant>[];
}

/** One bandit segment: its audience's compiled condition and the ranges its weights give. */
export interface PreparedSegment {
  readonly audience: string;
  readonly condition: CompiledCondition;
  readonly ranges: readonly BucketRange[];
}

/** A slot with the experiences that may decide it, in priority order. */
export interface PreparedSlot {
  readonly name: string;
  readonly candidates: readonly PreparedExperience[];
}

const STEPS: readonly StepName[] = [
  'schedule',
  'page',
  'audience',
  'frequency_cap',
  'enrolment',
  'namespace',
  'coverage',
  'assignment',
];

/** A snapshot validated, indexed and with every condition compiled. */
export interface PreparedSnapshot {
  readonly snapshot: Snapshot;
  readonly purposes: ReadonlyMap<string, Purpose>;
  readonly fields: ReadonlyMap<string, Field>;
  readonly bySlot: ReadonlyMap<string, PreparedSlot>;
  /** Every slot some experience targets, in first-seen order. */
  readonly slots: readonly PreparedSlot[];
  /** Audience conditions that failed to compile; they never match (the linter blocks them at publish). */
  readonly conditionErrors: readonly { audienceId: string; error: ConditionError }[];
}

/** A prepared snapshot or why it was refused. */
export type Preparation =
  | { readonly ok: true; readonly prepared: PreparedSnapshot }
  | { readonly ok: false; readonly error: SnapshotError; readonly detail: string };

const cache = new WeakMap<object, Preparation>();
const verifiedCache = new WeakMap<Snapshot, PreparedSnapshot>();

/**
 * Validate and compile a snapshot once; later calls with the same object are a lookup. Snapshots
 * are immutable, so caching by identity is safe and keeps compilation off the per-decision path.
 */
export function prepareSnapshot(value: unknown): Preparation {
  if (typeof value === 'object' && value !== null) {
    const cached = cache.get(value);
    if (cached) return cached;
  }
  const validation = validateSnapshot(value);
  const preparation: Preparation = validation.ok
    ? { ok: true, prepared: compileSnapshot(validation.snapshot, compileCondition) }
    : validation;
  if (typeof value === 'object' && value !== null) cache.set(value, preparation);
  return preparation;
}

/**
 * `prepareSnapshot` for a snapshot whose signature was verified: the server validated and linted
 * it before signing, so neither the structural check nor the ReDoS scan runs again, and a bundle
 * that only calls this never contains them (the browser SDK's `<head>` part).
 */
export function prepareVerifiedSnapshot(snapshot: Snapshot): PreparedSnapshot {
  let prepared = verifiedCache.get(snapshot);
  if (!prepared) {
    prepared = compileSnapshot(snapshot, compileVerifiedCondition);
    verifiedCache.set(snapshot, prepared);
  }
  return prepared;
}

function compileSnapshot(
  snapshot: Snapshot,
  compile: (condition: unknown, savedGroups?: SavedGroups | null) => CompileResult,
): PreparedSnapshot {
  const conditionErrors: { audienceId: string; error: ConditionError }[] = [];
  const audiences = new Map<string, CompiledCondition>();
  for (const audience of snapshot.audiences) {
    const result = compile(audience.condition, snapshot.savedGroups);
    if (!result.ok) conditionErrors.push({ audienceId: audience.id, error: result.error });
    audiences.set(audience.id, result.condition);
  }
  const bySlot = new Map<string, { name: string; candidates: PreparedExperience[] }>();
  for (const [index, experience] of snapshot.experiences.entries()) {
    const prepared = prepareExperience(experience, index, (id) => audiences.get(id) ?? NEVER, snapshot.fields);
    const slots = new Set(experience.variants.flatMap((variant) => Object.keys(variant.content)));
    for (const slot of slots) {
      const entry = bySlot.get(slot) ?? { name: slot, candidates: [] };
      entry.candidates.push(prepared);
      bySlot.set(slot, entry);
    }
  }
  return {
    snapshot,
    purposes: new Map(snapshot.purposes.map((purpose) => [purpose.id, purpose])),
    fields: new Map(snapshot.fields.map((field) => [field.key, field])),
    bySlot,
    slots: [...bySlot.values()],
    conditionErrors,
  };
}

function prepareExperience(
  experience: Experience,
  index: number,
  audience: (id: string) => CompiledCondition,
  fields: readonly Field[],
): PreparedExperience {
  const conditions = experience.audiences.map(audience);
  const read = new Set(conditions.flatMap((condition) => condition.paths));
  const hasHoldout = experience.holdout > 0;
  const rangesOf = (weightOf: (variant: Variant) => number | undefined) => {
    const variantWeights = normalise(experience.variants.map((variant) => weightOf(variant) ?? 1));
    const weights = hasHoldout
      ? [experience.holdout, ...variantWeights.map((weight) => weight * (1 - experience.holdout))]
      : variantWeights;
    return getBucketRanges(weights.length, experience.coverage, weights);
  };
  const ranges = rangesOf((variant) => variant.weight);
  return {
    experience,
    index,
    conditions,
    page: compileUrlMatches(experience.pages),
    ranges,
    segments: (experience.allocation === 'bandit' ? (experience.segments ?? []) : []).map((segment) => ({
      audience: segment.audience,
      condition: audience(segment.audience),
      ranges:
        segment.weights === undefined ? ranges : rangesOf((variant) => segment.weights?.[variant.id] ?? variant.weight),
    })),
    hasHoldout,
    randomized: ranges.length > 1,
    interruptive: experience.variants.some((variant) => variant.interruptive === true),
    purposesRead: new Set(fields.filter((field) => read.has(field.key)).map((field) => field.purpose)),
    skippedAt: Object.fromEntries(
      STEPS.map((step) => [step, Object.freeze({ experienceId: experience.id, step, passed: false })]),
    ) as Record<StepName, TraceEntry>,
    decided: Object.freeze({ experienceId: experience.id, step: 'assignment', passed: true }),
    chosen: experience.variants.map(
      (variant) =>
        new Map(
          Object.entries(variant.content).map(([slot, content]) => [
            slot,
            { id: variant.id, name: variant.name, content },
          ]),
        ),
    ),
  };
}

function normalise(weights: readonly number[]): number[] {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return total > 0 ? weights.map((weight) => weight / total) : weights.map(() => 1 / weights.length);
}
