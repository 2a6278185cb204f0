/**
 * The published snapshot format and the inputs of a decision.
 *
 * A snapshot is public (every browser receives it), so nothing here may hold visitor data.
 * `docs/snapshot.md` documents every field; bump `SNAPSHOT_SCHEMA_VERSION`'s major number on any
 * change an older SDK could misread.
 */

/** Languages every visitor-facing text exists in. */
export type Language = 'en' | 'zh-Hant';

/** A visitor-facing text in every supported language. */
export type LocalizedText = Readonly<Record<Language, string>>;

/** A value a condition can test: what JSON can carry. */
export type AttributeValue = string | number | boolean | null | readonly AttributeValue[] | AttributeObject;
/** A JSON object inside an attribute value. */
export interface AttributeObject {
  readonly [key: string]: AttributeValue;
}
/** The attributes a condition is evaluated against (only visible fields end up here). */
export type Attributes = Readonly<Record<string, AttributeValue>>;

/** A Mongo-style targeting condition (GrowthBook-compatible). */
export type Condition = Readonly<Record<string, unknown>>;
/** Named id lists referenced by `$inGroup` / `$notInGroup`. */
export type SavedGroups = Readonly<Record<string, readonly AttributeValue[]>>;

/** Where a field's value comes from. */
export type FieldSource = 'declared' | 'observed' | 'context' | 'inferred';

/** How a purpose behaves under consent and browser signals. */
export type PurposeClass =
  /** Always on (the consent choice itself, security); cannot be refused. */
  | 'essential'
  /** Page, language, device, UTM: no profile, no storage. On unless the visitor objects. */
  | 'contextual'
  /** Builds or uses a profile; off under GPC/DNT unless granted after the signal. */
  | 'behavioural'
  /** Aggregate counting of exposures and conversions. */
  | 'measurement'
  /** Data that leaves this site; off under GPC/DNT unless granted after the signal. */
  | 'cross_site';

/** The lawful ground a purpose rests on. */
export type LegalBasis = 'consent' | 'legitimate_interest' | 'contract' | 'legal_obligation';

/** Google Consent Mode v2 signal names a purpose can drive. */
export type ConsentModeSignal =
  | 'ad_storage'
  | 'ad_user_data'
  | 'ad_personalization'
  | 'analytics_storage'
  | 'functionality_storage'
  | 'personalization_storage'
  | 'security_storage';

/** Why data is used. */
export interface Purpose {
  readonly id: string;
  readonly class: PurposeClass;
  readonly name: LocalizedText;
  readonly description: LocalizedText;
  readonly legalBasis: LegalBasis;
  readonly tcf?: { readonly purposes: readonly number[]; readonly specialPurposes: readonly number[] };
  readonly consentMode?: readonly ConsentModeSignal[];
  /** SHA-256 (hex) of the id, name and description in every language, set at publish: a changed text is a new version. */
  readonly textVersion?: string;
}

/** Sensitive and watch-listed categories (docs/privacy.md §3). `S.*` block; `W.*` warn. */
export type SensitiveCategory =
  | 'S.race_ethnicity'
  | 'S.politics'
  | 'S.religion_belief'
  | 'S.union'
  | 'S.health'
  | 'S.genetic'
  | 'S.biometric'
  | 'S.neural'
  | 'S.sex_life_orientation'
  | 'S.criminal'
  | 'S.citizenship'
  | 'S.credentials'
  | 'S.comms_content'
  | 'S.precise_geo'
  | 'S.minor'
  | 'W.financial_hardship'
  | 'W.relationship_hardship'
  | 'W.limited_topics'
  | 'W.opportunity'
  | 'W.search_terms'
  | 'W.cross_site'
  | 'W.coarse_geo'
  | 'W.proxy';

/** What kind of value a field holds, so operators and editors can fit it. */
export type FieldType = 'string' | 'number' | 'boolean' | 'string[]';

/** One allowed answer of a declared field, with its visitor-facing label. */
export interface FieldOption {
  readonly value: string;
  readonly label: LocalizedText;
}

/** One piece of visitor data the site may use. */
export interface Field {
  /** The attribute name conditions use (dotted paths reach inside objects). */
  readonly key: string;
  readonly type: FieldType;
  readonly source: FieldSource;
  /** The purpose that must be granted for the engine to see this field. */
  readonly purpose: string;
  /** Declared sensitivity; `'none'` when the site asserts it is not sensitive. */
  readonly category: SensitiveCategory | 'none';
  /** Where the data originates. Third-party data is refused under GPC. */
  readonly origin: 'first_party' | 'third_party';
  /** How long a value is kept after it was collected. */
  readonly retentionDays: number;
  /** Days a skipped question stays unasked. */
  readonly coolingOffDays?: number;
  readonly label: LocalizedText;
  readonly question?: LocalizedText;
  readonly whyWeAsk: LocalizedText;
  readonly whatYouGet: LocalizedText;
  readonly options?: readonly FieldOption[];
}

/** A named targeting condition over fields. */
export interface Audience {
  readonly id: string;
  readonly name: string;
  readonly condition: Condition;
}

/**
 * One element-level change made in the visual editor, addressed by a CSS selector instead of a
 * `data-candor-slot` tag. HTML is sanitised by the SDK exactly as slot HTML is; text is set as text.
 */
export type PageChange =
  | { readonly op: 'text'; readonly selector: string; readonly text: LocalizedText }
  | { readonly op: 'html'; readonly selector: string; readonly html: LocalizedText }
  /** Set one attribute (a link's `href`, an `alt`); event-handler attributes and `javascript:` URLs are refused. */
  | { readonly op: 'attribute'; readonly selector: string; readonly name: string; readonly value: string }
  | { readonly op: 'hide'; readonly selector: string }
  | {
      readonly op: 'insert';
      readonly selector: string;
      readonly position: 'before' | 'after';
      readonly html: LocalizedText;
    }
  /** Move the selected element before or after the element `target` selects. */
  | {
      readonly op: 'move';
      readonly selector: string;
      readonly target: string;
      readonly position: 'before' | 'after';
    }
  | { readonly op: 'image'; readonly selector: string; readonly src: string; readonly alt?: LocalizedText };

/**
 * Which page URLs something applies on. `path` is a path pattern where `*` matches any run of
 * characters except `/` and `**` any run at all (`/pricing`, `/blog/**`); `regex` is tested
 * against the path plus query string.
 */
export type UrlMatch =
  { readonly type: 'path'; readonly pattern: string } | { readonly type: 'regex'; readonly pattern: string };

/**
 * What a variant puts into a slot. HTML is sanitised by the SDK before it touches the page.
 * `changes` and `redirect` fill a page slot: a slot with no element on the page (conventionally
 * named `page:<experience id>`) whose content changes the page by selectors or sends the visitor
 * to another URL (a split-URL test).
 */
export type SlotContent =
  | { readonly type: 'text'; readonly text: LocalizedText }
  | { readonly type: 'html'; readonly html: LocalizedText }
  | { readonly type: 'attributes'; readonly attributes: Readonly<Record<string, string>> }
  | { readonly type: 'class'; readonly className: string }
  | { readonly type: 'changes'; readonly changes: readonly PageChange[] }
  /** `to` is an absolute same-site URL or a path; `carryQuery` keeps the landing URL's query string. */
  | { readonly type: 'redirect'; readonly to: string; readonly carryQuery: boolean };

/** One version of an experience's content. */
export interface Variant {
  readonly id: string;
  readonly name: string;
  /** Relative traffic weight among variants (normalised; equal when omitted everywhere). */
  readonly weight?: number;
  /** Slot name → content. A slot missing here keeps its default content. */
  readonly content: Readonly<Record<string, SlotContent>>;
  /** Pop-ups, banners and other content that interrupts the visitor: needs a frequency cap. */
  readonly interruptive?: boolean;
}

/**
 * Bandit weights learned for the visitors of one audience. A visitor who matches a segment's
 * audience (on visible data only) is split by its weights; everyone else by the variants' own.
 */
export interface BanditSegment {
  /** An audience id of the snapshot. */
  readonly audience: string;
  /** Variant id → relative weight; equal (or the variants' own) until the bandit job learns them. */
  readonly weights?: Readonly<Record<string, number>>;
}

/** A limit on how often the visitor sees an interruptive variant. */
export interface FrequencyCap {
  readonly maxImpressions: number;
  readonly perDays: number;
}

/** Mutual exclusion: visitors hashing into [start, end) of the namespace may enter. */
export type Namespace = readonly [name: string, start: number, end: number];

/**
 * Content variants for one or more slots.
 * - `personalization`: visitors in the audience get a variant; those who allow measurement are
 *   split (holdout and weights) so the lift can be measured.
 * - `experiment`: an A/B test; only visitors who allow measurement are enrolled, everyone else
 *   sees default content.
 */
export interface Experience {
  readonly id: string;
  readonly name: string;
  readonly kind: 'personalization' | 'experiment';
  /** Audience ids; the visitor must match every one. Empty = everyone. */
  readonly audiences: readonly string[];
  readonly variants: readonly Variant[];
  /** Share of enrolled visitors kept on default content, 0..1. */
  readonly holdout: number;
  /** Share of eligible visitors who enter, 0..1. */
  readonly coverage: number;
  readonly allocation: 'fixed' | 'bandit';
  /** Per-audience bandits: the first segment whose audience matches decides the weights. */
  readonly segments?: readonly BanditSegment[];
  readonly hashVersion: 1 | 2;
  /** Hash seed; changing it reshuffles every visitor. */
  readonly seed: string;
  readonly namespace?: Namespace;
  readonly frequencyCap?: FrequencyCap;
  /** Metric ids this experience is judged on; guardrails watch for harm. */
  readonly goals: readonly string[];
  readonly guardrails?: readonly string[];
  /** Field keys results may be broken down by (never a sensitive one). */
  readonly breakdowns?: readonly string[];
  /** Epoch milliseconds, inclusive start and exclusive end. */
  readonly schedule?: { readonly start?: number; readonly end?: number };
  /** The pages this experience runs on (any of them); absent means every page. */
  readonly pages?: readonly UrlMatch[];
}

/**
 * A question the marketer placed on pages without code (or a developer with `data-candor-ask`):
 * the field's question is shown next to the element `selector` picks, on matching pages, within
 * the site's question limits.
 */
export interface QuestionPlacement {
  readonly id: string;
  /** A declared field with a question. */
  readonly field: string;
  readonly selector: string;
  readonly position: 'before' | 'after' | 'inside';
  /** Absent means every page. */
  readonly pages?: readonly UrlMatch[];
}

/** How many questions a visitor may be asked: on one page view, and in one visit (session). */
export interface QuestionLimits {
  readonly perPage: number;
  readonly perVisit: number;
}

/** Something counted for results. */
export interface Metric {
  readonly id: string;
  readonly name: string;
  readonly kind: 'proportion' | 'mean';
  /** Per-visitor contribution cap C: values are clipped to [0, C]. */
  readonly cap?: number;
  /**
   * Lower is better (a bounce or error rate, time to complete): results read a drop as the win and
   * a rise as a guardrail's harm, and a bandit favours the lowest arm. GrowthBook calls this inverse.
   */
  readonly inverse?: boolean;
}

/** Site-wide settings a snapshot carries. */
export interface SiteSettings {
  readonly siteKey: string;
  /** The controller visitors are told decides. */
  readonly name: string;
  readonly defaultLanguage: Language;
  /**
   * The languages the site writes its visitor-facing texts in, default first or not; absent means
   * every supported language. Visitors whose preferences match none of them get `defaultLanguage`.
   */
  readonly languages?: readonly Language[];
  readonly policyVersion: string;
  readonly privacyPageUrl?: string;
  /** Whether holdout and default slots show a "Why?" affordance too. */
  readonly explainDefaults: boolean;
  /** Limits on questions asked without code; absent means one per page and two per visit. */
  readonly questionLimits?: QuestionLimits;
  /** The CMP the site declared as its consent source, with its category → purpose map (docs/consent.md). */
  readonly consentSource?: {
    readonly name: string;
    readonly map: Readonly<Record<string, readonly string[]>>;
  };
}

/** The current major version of the snapshot format this core reads. */
export const SNAPSHOT_SCHEMA_VERSION = '1.0' as const;

/** The published, signed, immutable configuration. */
export interface Snapshot {
  /** `major.minor`: decide refuses an unknown major version. */
  readonly schemaVersion: string;
  /** Monotonic publish number. */
  readonly version: number;
  /** Epoch ms of publish. */
  readonly publishedAt: number;
  readonly site: SiteSettings;
  readonly purposes: readonly Purpose[];
  readonly fields: readonly Field[];
  readonly audiences: readonly Audience[];
  /** In priority order: for each slot, the first experience that decides wins. */
  readonly experiences: readonly Experience[];
  readonly metrics: readonly Metric[];
  readonly savedGroups?: SavedGroups;
  /** Questions placed on pages without code. */
  readonly placements?: readonly QuestionPlacement[];
}

/** A stored value on the visitor's device, with its provenance. */
export interface ProfileValue {
  readonly value: AttributeValue;
  readonly source: FieldSource;
  /** Epoch ms when collected. */
  readonly collectedAt: number;
  /** Epoch ms after which the value is dropped. */
  readonly expiresAt: number;
}

/** The on-device profile. */
export interface Profile {
  readonly version: 1;
  /** Pseudonymous id used for bucketing; present only once a storing purpose is granted. */
  readonly visitorId?: string;
  readonly values: Readonly<Record<string, ProfileValue>>;
  /** Epoch ms impressions of interruptive experiences, by experience id, for frequency caps. */
  readonly impressions?: Readonly<Record<string, readonly number[]>>;
}

/** One purpose's consent choice; an absent entry is pending, and pending means denied. */
export type PurposeChoice = (
  { readonly status: 'granted'; readonly at: number } | { readonly status: 'denied'; readonly at: number }
) & {
  /** The purpose's `textVersion` the visitor answered (absent for choices stored before versions existed). */
  readonly textVersion?: string;
};

/** The visitor's consent and the browser's privacy signals. */
export interface ConsentState {
  readonly purposes: Readonly<Record<string, PurposeChoice>>;
  /** When GPC / DNT were first seen on (epoch ms); absent when not sent. */
  readonly signals: { readonly gpc?: { readonly since: number }; readonly dnt?: { readonly since: number } };
  /** "Stop personalizing me" (Art. 21 objection): absolute. */
  readonly objectsToPersonalization?: boolean;
  /** The consent-ledger record this state comes from, shown as proof in explanations. */
  readonly recordId?: string;
  /** The policy version the visitor answered. */
  readonly policyVersion?: string;
}

/** The request-time facts a decision may use without consent. */
export interface DecisionContext {
  /** Epoch ms: the clock is a parameter, never read here. */
  readonly now: number;
  /** Values of `context` fields (page path, language, device class, UTM), by field key. */
  readonly attributes: Attributes;
  /** Page language then browser languages, most preferred first. */
  readonly languages?: readonly string[];
  /** The page's path plus query string (`/pricing?plan=pro`), matched by experiences' `pages`. */
  readonly url?: string;
  /** Slots on the page; decisions are returned for these plus every slot the snapshot targets. */
  readonly slots?: readonly string[];
}
