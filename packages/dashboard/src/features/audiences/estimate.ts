import type { AttributeValue, Explanation, Snapshot } from '@candor/core';
import type { AudienceDraft, ExperienceDraft } from '@candor/schema';
import type { Language } from '../../api/types.js';
import type { WholeDraft } from '@candor/schema';
import { draftSnapshot, runPreview } from '../preview/run-preview.js';
import type { Rule } from './condition-model.js';

/** A value that satisfies one rule, so the estimate shows a visitor who is inside the audience. */
export function sampleValue(rule: Rule, options: readonly string[] = []): AttributeValue | undefined {
  const value = rule.value;
  switch (rule.operator) {
    case '$eq':
    case '$gte':
    case '$lte':
      return value as AttributeValue;
    case '$gt':
      return typeof value === 'number' ? value + 1 : undefined;
    case '$lt':
      return typeof value === 'number' ? value - 1 : undefined;
    case '$ne':
      return (
        options.find((option) => option !== value) ?? (typeof value === 'number' ? value + 1 : `not ${String(value)}`)
      );
    case '$in':
      return Array.isArray(value) ? (value[0] as AttributeValue) : undefined;
    case '$nin':
      return options.find((option) => !(Array.isArray(value) && value.includes(option)));
    case '$all':
      return Array.isArray(value) ? (value as AttributeValue) : undefined;
    case '$exists':
      return value === false ? undefined : (options[0] ?? 'yes');
    case '$size':
      return typeof value === 'number' ? Array.from({ length: value }, (_, index) => `item ${index + 1}`) : undefined;
    case '$regex':
      return undefined;
  }
}

const ESTIMATE_SLOT = 'audience-estimate';

/**
 * The explanation a visitor inside this audience would read: a sample visitor built from the rules,
 * every purpose granted, and the first experience that targets the audience (or a stand-in one).
 */
export function estimateExplanation(
  draft: WholeDraft,
  audience: AudienceDraft,
  rules: readonly Rule[],
  site: Snapshot['site'],
  language: Language,
  now: number,
): Explanation | undefined {
  const values: Record<string, AttributeValue> = {};
  for (const rule of rules) {
    const field = draft.fields.find((candidate) => candidate.key === rule.field);
    const sample = sampleValue(rule, field?.options?.map((option) => option.value) ?? []);
    if (sample !== undefined)
      values[rule.field] = field?.type === 'string[]' && !Array.isArray(sample) ? [sample as string] : sample;
  }
  const standIn: ExperienceDraft = {
    id: ESTIMATE_SLOT,
    name: audience.name,
    kind: 'personalization',
    audiences: [audience.id],
    variants: [
      {
        id: 'personalized',
        name: audience.name,
        content: { [ESTIMATE_SLOT]: { type: 'text', text: { en: '…', 'zh-Hant': '…' } } },
      },
    ],
    holdout: 0,
    coverage: 1,
    allocation: 'fixed',
    hashVersion: 2,
    seed: ESTIMATE_SLOT,
    goals: [],
  };
  const audiences = [...draft.audiences.filter((item) => item.id !== audience.id), audience];
  // The stand-in goes first so it decides its own slot whatever else the draft holds.
  const snapshot = draftSnapshot({ ...draft, audiences, experiences: [standIn] }, site, now);
  const granted = Object.fromEntries(draft.purposes.map((purpose) => [purpose.id, true]));
  const rows = runPreview(snapshot, { values, granted, gpc: false, language, visitorId: 'estimate' }, now);
  return rows.find((row) => row.slot === ESTIMATE_SLOT)?.explanation;
}
