import { z } from 'zod';
import { BanditSettings, ExperienceAnalysis } from './analysis.js';
import { EntityId, FieldKey, Language, LocalizedText, RequiredLocalizedText } from './common.js';

/** Purpose classes as core's consent gating reads them. */
export const PurposeClass = z.enum(['essential', 'contextual', 'behavioural', 'measurement', 'cross_site']);

/** A purpose draft: why data is used (docs/privacy.md §2), with its TCF and Consent Mode mappings. */
export const PurposeDraft = z.object({
  id: EntityId,
  class: PurposeClass,
  name: RequiredLocalizedText,
  description: RequiredLocalizedText,
  legalBasis: z.enum(['consent', 'legitimate_interest', 'contract', 'legal_obligation']),
  tcf: z
    .object({
      purposes: z.array(z.number().int().min(1).max(11)).max(11),
      specialPurposes: z.array(z.number().int().min(1).max(3)).max(3),
    })
    .optional(),
  consentMode: z
    .array(
      z.enum([
        'ad_storage',
        'ad_user_data',
        'ad_personalization',
        'analytics_storage',
        'functionality_storage',
        'personalization_storage',
        'security_storage',
      ]),
    )
    .optional(),
});

/** Sensitive (`S.*`, blocking) and watch-listed (`W.*`, warning) categories of docs/privacy.md §3. */
export const SensitiveCategory = z.enum([
  'S.race_ethnicity',
  'S.politics',
  'S.religion_belief',
  'S.union',
  'S.health',
  'S.genetic',
  'S.biometric',
  'S.neural',
  'S.sex_life_orientation',
  'S.criminal',
  'S.citizenship',
  'S.credentials',
  'S.comms_content',
  'S.precise_geo',
  'S.minor',
  'W.financial_hardship',
  'W.relationship_hardship',
  'W.limited_topics',
  'W.opportunity',
  'W.search_terms',
  'W.cross_site',
  'W.coarse_geo',
  'W.proxy',
]);

/** A field draft: one piece of visitor data, tied to a purpose, with the texts visitors see. */
export const FieldDraft = z.object({
  key: FieldKey,
  type: z.enum(['string', 'number', 'boolean', 'string[]']),
  source: z.enum(['declared', 'observed', 'context', 'inferred']),
  purpose: EntityId,
  category: z.union([SensitiveCategory, z.literal('none')]),
  origin: z.enum(['first_party', 'third_party']),
  retentionDays: z.number().int().min(1).max(3650),
  coolingOffDays: z.number().int().min(0).max(3650).optional(),
  label: RequiredLocalizedText,
  question: LocalizedText.optional(),
  whyWeAsk: LocalizedText,
  whatYouGet: LocalizedText,
  options: z
    .array(z.object({ value: z.string().min(1).max(200), label: LocalizedText }))
    .max(200)
    .optional(),
});

/** An audience draft: a Mongo-style condition; the core linter judges what it reads. */
export const AudienceDraft = z.object({
  id: EntityId,
  name: z.string().min(1).max(200),
  condition: z.record(z.string(), z.unknown()),
});

/** A CSS selector the visual editor proposed (checked for syntax where it is applied). */
const Selector = z.string().min(1).max(500);

/** One element-level change made in the visual editor. */
export const PageChange = z.discriminatedUnion('op', [
  z.object({ op: z.literal('text'), selector: Selector, text: LocalizedText }),
  z.object({ op: z.literal('html'), selector: Selector, html: LocalizedText }),
  z.object({
    op: z.literal('attribute'),
    selector: Selector,
    name: z
      .string()
      .regex(/^[a-zA-Z][a-zA-Z0-9:_.-]*$/, 'an attribute name is letters, digits, and : _ . -')
      .refine((name) => !/^on/i.test(name), 'event-handler attributes (on…) cannot be set')
      .refine((name) => name.length <= 64, 'an attribute name is at most 64 characters'),
    value: z.string().max(4000),
  }),
  z.object({ op: z.literal('hide'), selector: Selector }),
  z.object({
    op: z.literal('insert'),
    selector: Selector,
    position: z.enum(['before', 'after']),
    html: LocalizedText,
  }),
  z.object({ op: z.literal('move'), selector: Selector, target: Selector, position: z.enum(['before', 'after']) }),
  z.object({
    op: z.literal('image'),
    selector: Selector,
    src: z.string().min(1).max(2000),
    alt: LocalizedText.optional(),
  }),
]);

/** Which page URLs an experience or a placed question applies on. */
export const UrlMatch = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('path'),
    pattern: z.string().min(1).max(500).startsWith('/', 'a path pattern starts with /'),
  }),
  z.object({
    type: z.literal('regex'),
    pattern: z
      .string()
      .min(1)
      .max(500)
      .refine((pattern) => {
        try {
          new RegExp(pattern);
          return true;
        } catch {
          return false;
        }
      }, 'not a valid regular expression'),
  }),
]);

/**
 * A question placed on pages without code: the field's question shown next to the element
 * `selector` picks, on pages matching `pages` (omitted: every page), within the site's limits.
 */
export const QuestionPlacementDraft = z.object({
  id: EntityId,
  field: FieldKey,
  selector: Selector,
  position: z.enum(['before', 'after', 'inside']),
  pages: z.array(UrlMatch).max(20).optional(),
});

/** How many placed questions a visitor may be asked: on one page view, and in one visit. */
export const QuestionLimits = z.object({
  perPage: z.number().int().min(0).max(3),
  perVisit: z.number().int().min(0).max(10),
});

/** The limits the SDK applies when a site sets none: one question a page view, two a visit. */
export const DEFAULT_QUESTION_LIMITS = { perPage: 1, perVisit: 2 } as const satisfies z.infer<typeof QuestionLimits>;

/** What a variant puts into a slot; `changes` and `redirect` fill a page slot (`page:<experience id>`). */
export const SlotContent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: LocalizedText }),
  z.object({ type: z.literal('html'), html: LocalizedText }),
  z.object({ type: z.literal('attributes'), attributes: z.record(z.string(), z.string().max(4000)) }),
  z.object({ type: z.literal('class'), className: z.string().min(1).max(200) }),
  z.object({ type: z.literal('changes'), changes: z.array(PageChange).min(1).max(100).readonly() }),
  z.object({ type: z.literal('redirect'), to: z.string().min(1).max(2000), carryQuery: z.boolean() }),
]);

/** One version of an experience's content. */
export const VariantDraft = z.object({
  id: EntityId,
  name: z.string().min(1).max(200),
  weight: z.number().finite().nonnegative().optional(),
  content: z.record(z.string().min(1).max(64), SlotContent),
  interruptive: z.boolean().optional(),
});

const Share = z.number().min(0).max(1);

/** A per-audience bandit segment: the audience whose visitors get their own learned weights. */
export const BanditSegmentDraft = z.object({
  audience: EntityId,
  /** Written by the bandit job (variant id → weight); leave it out when adding a segment. */
  weights: z.record(EntityId, z.number().finite().nonnegative()).optional(),
});

/** An experience draft: variants for slots, audiences, holdout and goals. */
export const ExperienceDraft = z
  .object({
    id: EntityId,
    name: z.string().min(1).max(200),
    kind: z.enum(['personalization', 'experiment']),
    audiences: z.array(EntityId).max(20),
    variants: z.array(VariantDraft).min(1, 'add at least one variant').max(20),
    holdout: Share,
    coverage: Share,
    allocation: z.enum(['fixed', 'bandit']),
    hashVersion: z.union([z.literal(1), z.literal(2)]),
    seed: z.string().max(200),
    namespace: z.tuple([z.string().min(1).max(64), Share, Share]).optional(),
    frequencyCap: z
      .object({ maxImpressions: z.number().int().min(1).max(1000), perDays: z.number().int().min(1).max(365) })
      .optional(),
    goals: z.array(EntityId).max(20),
    guardrails: z.array(EntityId).max(20).optional(),
    breakdowns: z.array(FieldKey).max(10).optional(),
    schedule: z.object({ start: z.number().int().optional(), end: z.number().int().optional() }).optional(),
    /** How results are analysed (engine, correction, privacy noise, bandit); defaults when omitted. */
    analysis: ExperienceAnalysis.optional(),
    /** Per-audience bandits: visitors of each audience get weights learned from that audience alone. */
    segments: z.array(BanditSegmentDraft).max(10).optional(),
    /** The pages this experience runs on (any of them); omitted means every page. */
    pages: z.array(UrlMatch).max(20).optional(),
  })
  .superRefine((experience, issues) => {
    const share = experience.analysis?.bandit?.minimumShare ?? BanditSettings.parse({}).minimumShare;
    const arms = experience.variants.length;
    // A floor of 1/arms or more gives every arm its floor and nothing is left for the bandit to move.
    if (experience.allocation === 'bandit' && arms > 0 && share * arms >= 1) {
      issues.addIssue({
        code: 'custom',
        path: ['analysis', 'bandit', 'minimumShare'],
        message: `a minimum share of ${share} with ${arms} variants leaves the bandit no traffic to move; use less than ${(1 / arms).toFixed(3)}`,
      });
    }
    const segments = experience.segments ?? [];
    if (segments.length === 0) return;
    if (experience.allocation !== 'bandit') {
      issues.addIssue({
        code: 'custom',
        path: ['segments'],
        message: 'per-audience segments need allocation "bandit"; remove them or switch to a bandit',
      });
    }
    if (experience.analysis?.differentialPrivacy !== undefined) {
      issues.addIssue({
        code: 'custom',
        path: ['segments'],
        message:
          'per-audience segments would publish weights learned from un-noised per-audience counts; turn off differential privacy or remove the segments',
      });
    }
    const seen = new Set<string>();
    for (const [index, segment] of segments.entries()) {
      if (seen.has(segment.audience)) {
        issues.addIssue({
          code: 'custom',
          path: ['segments', index, 'audience'],
          message: `audience "${segment.audience}" is listed twice; keep one segment per audience`,
        });
      }
      seen.add(segment.audience);
    }
  });

/** The largest per-visitor cap: C² · n stays finite for any n, so a privacy release is never Infinity. */
export const MAX_METRIC_CAP = 1e9;

/** A metric draft; `cap` bounds each visitor's contribution (docs/privacy.md §8). */
export const MetricDraft = z.object({
  id: EntityId,
  name: z.string().min(1).max(200),
  kind: z.enum(['proportion', 'mean']),
  cap: z.number().positive().max(MAX_METRIC_CAP).optional(),
  /** Lower is better (bounce rate, errors): a drop is the win, a rise a guardrail's harm. */
  inverse: z.boolean().optional(),
});

/** Saved groups: named id lists for `$inGroup`; the linter refuses ones that look like personal data. */
export const SavedGroupsDraft = z.record(EntityId, z.array(z.union([z.string(), z.number(), z.boolean()])).max(1000));

/** Every draft entity kind an admin edits, by its URL segment. */
export const DRAFT_KINDS = ['purposes', 'fields', 'audiences', 'experiences', 'metrics', 'placements'] as const;

/** The URL segment naming one draft entity kind. */
export type DraftKind = (typeof DRAFT_KINDS)[number];

/** The schema of each draft kind, so routes validate every kind with one code path. */
export const DRAFT_SCHEMAS = {
  purposes: PurposeDraft,
  fields: FieldDraft,
  audiences: AudienceDraft,
  experiences: ExperienceDraft,
  metrics: MetricDraft,
  placements: QuestionPlacementDraft,
} as const;

/** The whole draft of a site, as publish lints it. */
export const SiteDraft = z.object({
  purposes: z.array(PurposeDraft),
  fields: z.array(FieldDraft),
  audiences: z.array(AudienceDraft),
  experiences: z.array(ExperienceDraft),
  metrics: z.array(MetricDraft),
  savedGroups: SavedGroupsDraft.optional(),
  placements: z.array(QuestionPlacementDraft).optional(),
});

/** Site settings an admin edits; published inside every snapshot. */
export const SiteSettingsInput = z.object({
  name: z.string().min(1).max(200),
  defaultLanguage: Language,
  /** The languages the site writes its texts in; the default is always one. Absent: every language. */
  languages: z.array(Language).min(1).max(Language.options.length).optional(),
  policyVersion: z.string().min(1).max(64),
  // Rendered as a link by the SDK's prompt and badge: http(s) only, never `javascript:` or `data:`.
  privacyPageUrl: z
    .url({ protocol: /^https?$/, error: 'use an http or https address' })
    .max(2000)
    .optional(),
  explainDefaults: z.boolean(),
  allowedOrigins: z
    .array(
      z
        .url()
        .max(300)
        .regex(/^https?:\/\/[^/]+$/, 'an origin is scheme://host[:port] with no path'),
    )
    .max(50),
  /** Days consent-ledger entries are kept (legal retention). */
  ledgerRetentionDays: z.number().int().min(30).max(3650),
  /** 'owner': a bandit's new weights wait for an owner's approval instead of publishing on their own. */
  banditApproval: z.enum(['automatic', 'owner']).optional(),
  /**
   * The site's CMP as Candor's consent source, and how its categories map to purpose ids; shown on
   * the trust page (docs/consent.md). The script tag's `data-consent-source` must name the same.
   */
  /** Limits on placed questions; absent: one per page view and two per visit. */
  questionLimits: QuestionLimits.optional(),
  consentSource: z
    .object({
      name: z.enum(['callback', 'cookieconsent', 'consent-mode', 'klaro', 'tcf', 'gpp']),
      map: z
        .record(z.string().min(1).max(100), z.array(z.string().min(1).max(64)).min(1).max(20))
        .refine((map) => Object.keys(map).length <= 50, 'map at most 50 CMP categories'),
    })
    .optional(),
});

/** A new site: settings plus the public key it will be served under. */
export const SiteCreateInput = SiteSettingsInput.extend({
  siteKey: z
    .string()
    .min(2)
    .max(64)
    .regex(/^[a-z0-9][a-z0-9_-]*$/),
});

/** Types inferred from the draft schemas, shared by server and dashboard. */
export type PurposeDraft = z.infer<typeof PurposeDraft>;
/** A field draft as validated. */
export type FieldDraft = z.infer<typeof FieldDraft>;
/** An audience draft as validated. */
export type AudienceDraft = z.infer<typeof AudienceDraft>;
/** An experience draft as validated. */
export type ExperienceDraft = z.infer<typeof ExperienceDraft>;
/** A metric draft as validated. */
export type MetricDraft = z.infer<typeof MetricDraft>;
/** A site's whole draft as validated. */
export type SiteDraft = z.infer<typeof SiteDraft>;
/** Site settings as validated. */
export type SiteSettingsInput = z.infer<typeof SiteSettingsInput>;
/** A new site as validated. */
export type SiteCreateInput = z.infer<typeof SiteCreateInput>;

/** A language code, as the schemas above validate it. */
type LanguageCode = z.infer<typeof Language>;

/** The languages a site writes its texts in, default first: what drafts must hold and visitors may see. */
export function siteLanguages(settings: {
  readonly defaultLanguage: LanguageCode;
  readonly languages?: readonly LanguageCode[] | undefined;
}): LanguageCode[] {
  return [...new Set([settings.defaultLanguage, ...(settings.languages ?? Language.options)])];
}

const LANGUAGE_NAMES: Readonly<Record<LanguageCode, string>> = { en: 'English', 'zh-Hant': 'Traditional Chinese' };

/** The texts of a draft entity that must be written in every language of its site. */
const REQUIRED_TEXTS: Readonly<Partial<Record<DraftKind, readonly string[]>>> = {
  purposes: ['name', 'description'],
  fields: ['label'],
};

/**
 * The required texts of a draft entity left empty in one of the site's languages, each with what
 * to do about it. Other languages may stay empty: publish fills them from the default language.
 *
 * @example missingTexts('fields', field, ['en']) // [] even when the zh-Hant label is empty
 */
export function missingTexts(
  kind: DraftKind,
  entity: unknown,
  languages: readonly LanguageCode[],
): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const record = typeof entity === 'object' && entity !== null ? (entity as Record<string, unknown>) : {};
  for (const key of REQUIRED_TEXTS[kind] ?? []) {
    const text = record[key] as Partial<Record<LanguageCode, string>> | undefined;
    for (const language of languages) {
      if ((text?.[language] ?? '').trim() === '')
        problems.push({
          path: `${key}.${language}`,
          message: `write the ${LANGUAGE_NAMES[language]} ${key}, or remove ${LANGUAGE_NAMES[language]} from the site's languages`,
        });
    }
  }
  return problems;
}

/** Whether a value has the shape of a visitor-facing text: exactly the language keys, all strings. */
function isLocalizedText(value: unknown): value is Record<LanguageCode, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return (
    keys.length > 0 &&
    keys.every((key) => (Language.options as readonly string[]).includes(key)) &&
    Object.values(value).every((text) => typeof text === 'string')
  );
}

/**
 * A draft entity as a snapshot carries it: every visitor-facing text in every language, where a
 * language the site does not write, or left empty, reads the default language's text (else the
 * first written one). An SDK then never shows an empty or untranslated-by-accident text. With
 * `onlyUnwritten`, only the languages the site does not write are filled (what the linter checks).
 *
 * @example fillLanguages({ label: { en: 'Role', 'zh-Hant': '' } }, ['en'], 'en') // { label: { en: 'Role', 'zh-Hant': 'Role' } }
 */
export function fillLanguages<T>(
  value: T,
  languages: readonly LanguageCode[],
  defaultLanguage: LanguageCode,
  options: { readonly onlyUnwritten?: boolean } = {},
): T {
  if (Array.isArray(value))
    return value.map((item: unknown) => fillLanguages(item, languages, defaultLanguage, options)) as T;
  if (typeof value !== 'object' || value === null) return value;
  if (isLocalizedText(value)) {
    const written = (language: LanguageCode) => (languages.includes(language) ? (value[language] ?? '') : '');
    // Lint reads the draft this way: the site's own languages as written, so an empty one is still missing.
    if (options.onlyUnwritten === true) {
      const fallback = written(defaultLanguage);
      return Object.fromEntries(
        Language.options.map((language) => [language, languages.includes(language) ? written(language) : fallback]),
      ) as T;
    }
    const fallback =
      written(defaultLanguage) || languages.map(written).find((text) => text !== '') || (value[defaultLanguage] ?? '');
    return Object.fromEntries(Language.options.map((language) => [language, written(language) || fallback])) as T;
  }
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, fillLanguages(inner, languages, defaultLanguage, options)]),
  ) as T;
}

/**
 * A whole draft in the site's languages (`fillLanguages` over the entities that hold visitor-facing
 * texts; an audience condition is not text, whatever its keys). `onlyUnwritten` gives what the
 * linter checks; without it, what the snapshot carries.
 *
 * @example lint(draftInLanguages(draft, site.settings, { onlyUnwritten: true }))
 */
export function draftInLanguages<T extends { purposes: unknown; fields: unknown; experiences: unknown }>(
  draft: T,
  settings: { readonly defaultLanguage: LanguageCode; readonly languages?: readonly LanguageCode[] | undefined },
  options: { readonly onlyUnwritten?: boolean } = {},
): T {
  const languages = siteLanguages(settings);
  const fill = <V>(value: V): V => fillLanguages(value, languages, settings.defaultLanguage, options);
  return { ...draft, purposes: fill(draft.purposes), fields: fill(draft.fields), experiences: fill(draft.experiences) };
}
