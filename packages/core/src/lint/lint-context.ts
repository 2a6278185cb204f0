import type { SensitiveCategory } from '../types.js';
import { walkCondition, type ConditionFacts } from './condition-walk.js';
import type { AudienceView, DraftView, FieldView, PurposeView } from './draft-view.js';
import type { LintSeverity } from './finding.js';
import { matchCategories, type TextSource } from './keyword-match.js';
import {
  isSensitiveCategory,
  isStrictCategory,
  SENSITIVE_CATEGORIES,
  SENSITIVE_TAXONOMY,
} from './sensitive-taxonomy.js';

/** A category a field (or an undeclared key) is, or reveals, and how the linter knows. */
export interface CategoryMatch {
  readonly category: SensitiveCategory;
  /** Words for a message: "its declared category", "its key 'searchQuery' (\"search query\")". */
  readonly evidence: string;
}

/** Lookups every rule needs, built once per lint. */
export interface LintContext {
  readonly draft: DraftView;
  readonly purpose: (id: string) => PurposeView | undefined;
  /** The field a condition path reads: the exact key, or the longest key the path reaches inside. */
  readonly fieldFor: (path: string) => FieldView | undefined;
  /** Categories of a field, cached: the same field is read by many audiences and breakdowns. */
  readonly categoriesOf: (field: FieldView) => readonly CategoryMatch[];
  /** What an audience's condition reads and holds, walked once for every rule that asks. */
  readonly factsOf: (audience: AudienceView) => ConditionFacts;
  /** An audience by id. */
  readonly audience: (id: string) => AudienceView | undefined;
}

/** The texts §3 says to search: key, label, question and every option's value and label, in both languages. */
export function fieldTexts(field: FieldView): TextSource[] {
  const sources: TextSource[] = [{ where: 'key', text: field.key, isKey: true }];
  for (const [name, localized] of [
    ['label', field.label],
    ['question', field.question],
  ] as const) {
    if (localized === undefined) continue;
    for (const language of ['en', 'zh-Hant'] as const) {
      const text = localized[language];
      if (text !== '') sources.push({ where: `${name}.${language}`, text, isKey: false });
    }
  }
  // An option is an answer the visitor gives: "pregnant" under a neutral "lifestage" is health data.
  for (const option of field.options) {
    if (option.value !== '') sources.push({ where: 'option', text: option.value, isKey: false });
    for (const language of ['en', 'zh-Hant'] as const) {
      const text = option.label[language];
      if (text !== '') sources.push({ where: `option label.${language}`, text, isKey: false });
    }
  }
  return sources;
}

function describeHit(where: string, text: string, keyword: string): string {
  return `its ${where} '${text}' ("${keyword}")`;
}

/**
 * The categories a field is or reveals: its declared category, a third-party origin (W.cross_site)
 * and keywords. Inferred fields get no pass (CJEU C-252/21: data revealing a category is that
 * category). Coarse location counts only when the visitor did not give it (§3: "from IP").
 */
export function classifyField(field: FieldView): CategoryMatch[] {
  const found = new Map<SensitiveCategory, string>();
  if (isSensitiveCategory(field.category)) found.set(field.category, 'its declared category');
  if (field.origin === 'third_party' && !found.has('W.cross_site')) found.set('W.cross_site', 'its third-party origin');
  for (const hit of matchCategories(fieldTexts(field))) {
    if (!found.has(hit.category)) found.set(hit.category, describeHit(hit.source.where, hit.source.text, hit.keyword));
  }
  // Precise location already blocks; calling it coarse too would only ask for a pointless acknowledgement.
  if (field.source === 'declared' || found.has('S.precise_geo')) found.delete('W.coarse_geo');
  return SENSITIVE_CATEGORIES.filter((category) => found.has(category)).map((category) => ({
    category,
    evidence: found.get(category) as string,
  }));
}

/** Categories a bare key reveals, for condition paths and breakdowns that no field declares. */
export function classifyKey(key: string): CategoryMatch[] {
  const hits = matchCategories([{ where: 'key', text: key, isKey: true }]);
  const precise = hits.some((hit) => hit.category === 'S.precise_geo');
  return hits
    .filter((hit) => !(precise && hit.category === 'W.coarse_geo'))
    .map((hit) => ({
      category: hit.category,
      evidence: describeHit('key', key, hit.keyword),
    }));
}

/**
 * How hard a category pushes back for this field: S always blocks; W.cross_site blocks unless its
 * purpose rests on consent (and is then refused under GPC at run time); other W categories warn.
 */
export function severityFor(
  category: SensitiveCategory,
  field: FieldView | undefined,
  context: LintContext,
): LintSeverity {
  if (isStrictCategory(category)) return 'error';
  if (category === 'W.cross_site') {
    const basis = field === undefined ? undefined : context.purpose(field.purpose)?.legalBasis;
    return basis === 'consent' ? 'warning' : 'error';
  }
  return SENSITIVE_TAXONOMY[category].severity;
}

/** Builds the shared lookups for one lint run. */
export function createLintContext(draft: DraftView): LintContext {
  const purposes = new Map<string, PurposeView>();
  for (const purpose of draft.purposes) if (!purposes.has(purpose.id)) purposes.set(purpose.id, purpose);
  const fields = new Map<string, FieldView>();
  for (const field of draft.fields) if (!fields.has(field.key)) fields.set(field.key, field);
  const categories = new Map<FieldView, readonly CategoryMatch[]>();
  const audiences = new Map<string, AudienceView>();
  for (const audience of draft.audiences) if (!audiences.has(audience.id)) audiences.set(audience.id, audience);
  const facts = new Map<AudienceView, ConditionFacts>();

  return {
    draft,
    purpose: (id) => purposes.get(id),
    fieldFor: (path) => {
      const exact = fields.get(path);
      if (exact !== undefined) return exact;
      // `profile.company.size` reaches inside a declared `profile.company` (or `profile`) field.
      for (let end = path.lastIndexOf('.'); end > 0; end = path.lastIndexOf('.', end - 1)) {
        const parent = fields.get(path.slice(0, end));
        if (parent !== undefined) return parent;
      }
      return undefined;
    },
    categoriesOf: (field) => {
      let matches = categories.get(field);
      if (matches === undefined) {
        matches = classifyField(field);
        categories.set(field, matches);
      }
      return matches;
    },
    factsOf: (audience) => {
      let found = facts.get(audience);
      if (found === undefined) {
        found = walkCondition(audience.condition);
        facts.set(audience, found);
      }
      return found;
    },
    audience: (id) => audiences.get(id),
  };
}
