import type { SensitiveCategory } from '../types.js';
import type { FieldView, TextView } from './draft-view.js';
import { createFinding, type LintFinding } from './finding.js';
import { severityFor, type CategoryMatch, type LintContext } from './lint-context.js';
import { isStrictCategory, SENSITIVE_TAXONOMY } from './sensitive-taxonomy.js';

/** What an acknowledgement of each watch-listed category commits the site to (docs/privacy.md §3). */
export const WATCH_ADVICE: Readonly<Partial<Record<SensitiveCategory, string>>> = {
  'W.financial_hardship': 'Acknowledge only if the content helps rather than exploits; never use it to push credit.',
  'W.relationship_hardship': 'Acknowledge only if the visitor asked for this help; otherwise remove the field.',
  'W.limited_topics': 'Acknowledge only if visitors opt in explicitly to this topic, and never show it to minors.',
  'W.opportunity': 'Acknowledge only if no demographic field is combined with it to decide who sees the offer.',
  'W.search_terms': 'Acknowledge, or target on a declared interest instead of what the visitor typed.',
  'W.coarse_geo': 'Acknowledge, or ask the visitor for their city instead of deriving it from the IP address.',
  'W.proxy': 'Acknowledge, or split the rule so no audience combines watch-listed signals.',
};

const TEXT_LANGUAGES = ['en', 'zh-Hant'] as const;

function missingLanguages(name: string, text: TextView | undefined): string[] {
  return TEXT_LANGUAGES.filter((language) => (text?.[language] ?? '').trim() === '').map(
    (language) => `${name} (${language})`,
  );
}

function lintPurpose(field: FieldView, context: LintContext): LintFinding[] {
  if (field.purpose.trim() === '') {
    return [
      createFinding({
        code: 'field_missing_purpose',
        severity: 'error',
        location: { entity: 'field', id: field.key, path: 'purpose' },
        message: `Field '${field.key}' names no purpose, so nothing tells the visitor why it is used or lets them refuse it.`,
        fixHint: `Choose the purpose that '${field.key}' serves (for example 'personalization').`,
      }),
    ];
  }
  if (context.purpose(field.purpose) === undefined) {
    return [
      createFinding({
        code: 'field_unknown_purpose',
        severity: 'error',
        location: { entity: 'field', id: field.key, path: 'purpose' },
        message: `Field '${field.key}' names purpose '${field.purpose}', which this draft does not define.`,
        fixHint: `Define purpose '${field.purpose}' or point '${field.key}' at an existing purpose.`,
      }),
    ];
  }
  return [];
}

function lintTexts(field: FieldView): LintFinding[] {
  const missing = [
    ...missingLanguages('label', field.label),
    ...missingLanguages('whyWeAsk', field.whyWeAsk),
    ...missingLanguages('whatYouGet', field.whatYouGet),
    // Only a declared field asks the visitor something; other sources have no question to show.
    ...(field.source === 'declared' ? missingLanguages('question', field.question) : []),
  ];
  if (missing.length === 0) return [];
  return [
    createFinding({
      code: 'field_missing_text',
      severity: 'error',
      location: { entity: 'field', id: field.key },
      message: `Field '${field.key}' has no visitor-facing text for ${missing.join(', ')}; visitors could not see what it is, why it is asked or what they get.`,
      fixHint: `Write the missing text for '${field.key}' in English and Traditional Chinese.`,
    }),
  ];
}

function categoryFinding(field: FieldView, match: CategoryMatch, context: LintContext): LintFinding | undefined {
  const { category, evidence } = match;
  const description = SENSITIVE_TAXONOMY[category].description;
  const location = { entity: 'field', id: field.key, path: category } as const;
  if (isStrictCategory(category)) {
    return createFinding({
      code: 'field_sensitive_category',
      severity: 'error',
      location,
      category,
      message: `Field '${field.key}' is or reveals ${description} (${category}), going by ${evidence}. Sensitive categories may never drive personalization${field.source === 'inferred' ? ', and inferring them counts as using them' : ''}.`,
      fixHint: `Remove '${field.key}'. If it is not sensitive after all, rename its key and label so they no longer suggest ${description}, and set its category to 'none'.`,
    });
  }
  if (category === 'W.cross_site') {
    const severity = severityFor(category, field, context);
    return createFinding({
      code: 'field_cross_site',
      severity,
      location,
      category,
      message:
        severity === 'error'
          ? `Field '${field.key}' holds data from other sites (going by ${evidence}) under purpose '${field.purpose}', which does not rest on the visitor's consent.`
          : `Field '${field.key}' holds data from other sites (going by ${evidence}); its purpose rests on consent, but the field is refused whenever the visitor sends Global Privacy Control.`,
      fixHint:
        severity === 'error'
          ? `Move '${field.key}' under a purpose whose legal basis is 'consent', or remove it.`
          : `Acknowledge, and check that every experience using '${field.key}' still works when it is refused.`,
    });
  }
  // Search terms are only a concern as triggers; audience rules report them where they are used.
  if (category === 'W.search_terms') return undefined;
  return createFinding({
    code: 'field_watched_category',
    severity: 'warning',
    location,
    category,
    message: `Field '${field.key}' touches ${description} (${category}), going by ${evidence}.`,
    fixHint: WATCH_ADVICE[category] ?? 'Acknowledge, or remove the field.',
  });
}

/** Fields without a purpose or visitor text, and fields that are or reveal sensitive or watch-listed data. */
export function lintFields(context: LintContext): LintFinding[] {
  return context.draft.fields.flatMap((field) => [
    ...lintPurpose(field, context),
    ...lintTexts(field),
    ...context
      .categoriesOf(field)
      .map((match) => categoryFinding(field, match, context))
      .filter((finding) => finding !== undefined),
  ]);
}
