import type { Field, SavedGroups } from '@candor/core';
import type { AudienceDraft, ExperienceDraft } from '@candor/schema';
import type { GrowthBookPayload } from './growthbook-payload.js';
import type { ImportNote, ImportResult, SkippedItem } from './import-report.js';
import { ruleToExperience } from './rule-to-experience.js';

/** What the import needs to know about the site it imports into. */
export interface ImportTarget {
  /** The site's declared fields: a condition may only read these. */
  readonly fields: readonly Field[];
  /** The GrowthBook attribute that holds the id Candor buckets on; `id` unless told otherwise. */
  readonly idAttribute?: string;
}

// Feature keys become slot names and prefixes of experience and audience ids (at most 64 characters
// with the ".<rule>.audience" suffix).
const FEATURE_KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,47}$/;

/**
 * Converts a GrowthBook features payload into Candor drafts: one slot per feature (named by its
 * key), one experience per rule in GrowthBook's order, one audience per condition. Seeds, hash
 * versions, weights, coverage and namespaces carry over, so every visitor id lands in the same
 * variation. Whatever cannot carry over is listed in `skipped`, never dropped silently.
 */
export function convertGrowthBook(payload: GrowthBookPayload, target: ImportTarget): ImportResult {
  const groups = payload.savedGroups ?? {};
  const savedGroups: SavedGroups = groups;
  const audiences: AudienceDraft[] = [];
  const experiences: ExperienceDraft[] = [];
  const skipped: SkippedItem[] = [];
  const notes: ImportNote[] = [];
  for (const [featureKey, feature] of Object.entries(payload.features)) {
    if (!FEATURE_KEY.test(featureKey)) {
      skipped.push({
        feature: featureKey,
        rule: null,
        code: 'invalid_key',
        detail:
          'the key cannot name a Candor slot: it must be 1–48 letters, digits, "_", "-" or "." starting with a letter or digit',
        fix: 'rename the feature in GrowthBook (or import a copy of the payload with the key renamed)',
      });
      continue;
    }
    for (const [index, rule] of (feature.rules ?? []).entries()) {
      const conversion = ruleToExperience({
        featureKey,
        index,
        rule,
        fields: target.fields,
        savedGroups,
        idAttribute: target.idAttribute ?? 'id',
      });
      if (!conversion.ok) {
        skipped.push({
          feature: featureKey,
          rule: index,
          code: conversion.code,
          detail: conversion.detail,
          fix: conversion.fix,
        });
        continue;
      }
      if (conversion.audience) audiences.push(conversion.audience);
      experiences.push(conversion.experience);
      for (const detail of conversion.notes) notes.push({ feature: featureKey, rule: index, detail });
    }
  }
  for (const [index, experiment] of (payload.experiments ?? []).entries()) {
    skipped.push({
      feature: experiment.key ?? `experiments[${index}]`,
      rule: null,
      code: 'visual_experiment',
      detail: 'a visual-editor or redirect experiment changes the page itself; its content does not carry over',
      fix: 'rebuild it in Candor as an experience whose variants fill a slot',
    });
  }
  return { drafts: { audiences, experiences, savedGroups: groups }, skipped, notes };
}
