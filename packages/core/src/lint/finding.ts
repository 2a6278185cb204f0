import type { SensitiveCategory } from '../types.js';

/** Every problem the linter can report; closed so a dashboard can map each to help text. */
export type LintCode =
  /** An experience names an audience the draft does not define, so it would never run. */
  | 'experience_unknown_audience'
  /** An experience's goal or guardrail names a metric the draft does not define, so it cannot be judged. */
  | 'experience_unknown_metric'
  /** A consent-only purpose (behavioural, measurement, cross-site) claims legitimate interest. */
  | 'purpose_legitimate_interest'
  /** A field names no purpose, so nothing could ever justify using it. */
  | 'field_missing_purpose'
  /** A field names a purpose the draft does not define. */
  | 'field_unknown_purpose'
  /** A field lacks the label, reason or benefit visitors are shown (en and zh-Hant). */
  | 'field_missing_text'
  /** A field is, or reveals, a sensitive (S) category. */
  | 'field_sensitive_category'
  /** A field is, or reveals, a watch-listed (W) category. */
  | 'field_watched_category'
  /** A field carries data from other sites (third-party origin or cross-site wording). */
  | 'field_cross_site'
  /** A condition cannot be compiled (not an object, too deep, too large), so it never matches. */
  | 'condition_invalid'
  /** A condition uses an operator the engine does not support, so that part never matches. */
  | 'condition_unknown_operator'
  /** A `$regex` is invalid, too long or can backtrack catastrophically. */
  | 'condition_unsafe_regex'
  /** A condition reads a key no field declares: data use nobody explained to the visitor. */
  | 'condition_undeclared_field'
  /** A condition or saved group holds a literal that looks like personal data; snapshots are public. */
  | 'condition_personal_data'
  /** An audience targets on a sensitive (S) field. */
  | 'audience_sensitive_field'
  /** An audience tests a value or pattern (`"pregnant"`, `/divorce|lawyer/`) that names a sensitive (S) topic. */
  | 'audience_sensitive_value'
  /** An audience tests a value or pattern that names a watch-listed (W) topic. */
  | 'audience_watched_value'
  /** An audience matches what visitors search for against a sensitive or watch-listed topic: search intent reveals it. */
  | 'audience_sensitive_search'
  /** An audience targets on a watch-listed (W) field. */
  | 'audience_watched_field'
  /** An audience combines two or more watch-listed signals, which can stand in for a sensitive one. */
  | 'audience_proxy'
  /** An audience targets on a value the site guessed rather than observed or was told. */
  | 'audience_inferred_field'
  /** An audience selects visitors under 18, who must not be profiled. */
  | 'audience_targets_minors'
  /** Results would be broken down by a sensitive or watch-listed dimension. */
  | 'breakdown_sensitive_field'
  /** Results would be broken down by a key no field declares. */
  | 'breakdown_undeclared_field'
  /** An interruptive variant has no frequency cap. */
  | 'interruptive_without_cap'
  /** An interruptive variant's frequency cap allows more than 3 impressions a day. */
  | 'interruptive_loose_cap'
  /** A personalization keeps nobody on default content, so its lift cannot be shown. */
  | 'personalization_without_holdout'
  /** Prices or eligibility would vary by visitor profile (GDPR Art. 22 territory). */
  | 'price_personalization'
  /** A targeted variant's content speaks of a sensitive or watch-listed topic, which tells its audience apart. */
  | 'variant_sensitive_content'
  /** A variant's text or HTML holds an email, phone number or id: snapshots are public. */
  | 'variant_personal_data'
  /** Variant HTML holds what the SDK's sanitiser removes (scripts, event handlers, unsafe URLs). */
  | 'variant_unsafe_html'
  /** A placed question names a field the draft does not declare, so nothing would be shown. */
  | 'placement_unknown_field'
  /** A placed question names a field that has no question to ask. */
  | 'placement_field_without_question'
  /** A placed question asks for a sensitive (S) or watch-listed (W) field. */
  | 'placement_sensitive_field';

/** Errors block a publish; warnings need an acknowledgement. */
export type LintSeverity = 'error' | 'warning';

/** The kind of draft entity a finding points at. `savedGroup` is the draft's `savedGroups` entry. */
export type LintEntity = 'purpose' | 'field' | 'audience' | 'experience' | 'metric' | 'savedGroup' | 'placement';

/** Where a finding is, precise enough for an editor to jump there. */
export interface LintLocation {
  readonly entity: LintEntity;
  /** The entity's id (a field's key; a saved group's name). */
  readonly id: string;
  /** What inside the entity: a condition's field path, a property, or the category a field reveals. */
  readonly path?: string;
}

/** One problem in a draft, with what to do about it. */
export interface LintFinding {
  readonly code: LintCode;
  readonly severity: LintSeverity;
  readonly location: LintLocation;
  /** What is wrong, naming the field, audience or experience. */
  readonly message: string;
  /** What to change so the finding goes away. */
  readonly fixHint: string;
  readonly category?: SensitiveCategory;
  /** `code@entity:id[:path]`: stable across publishes, so a warning can be acknowledged once. */
  readonly fingerprint: string;
}

/** A location, leaving the path out when there is none so fingerprints never end in a bare colon. */
export function locate(entity: LintEntity, id: string, path?: string): LintLocation {
  return path === undefined || path === '' ? { entity, id } : { entity, id, path };
}

/** Builds a finding with its fingerprint, so no rule can get the fingerprint format wrong. */
export function createFinding(finding: Omit<LintFinding, 'fingerprint'>): LintFinding {
  const { entity, id, path } = finding.location;
  const fingerprint = `${finding.code}@${entity}:${id}${path === undefined ? '' : `:${path}`}`;
  return { ...finding, fingerprint };
}

const ENTITY_ORDER: Readonly<Record<LintEntity, number>> = {
  purpose: 0,
  field: 1,
  audience: 2,
  experience: 3,
  metric: 4,
  savedGroup: 5,
  placement: 6,
};

/** Orders findings errors first, then by location, so a report reads the same on every run. */
export function compareFindings(a: LintFinding, b: LintFinding): number {
  return (
    Number(a.severity === 'warning') - Number(b.severity === 'warning') ||
    ENTITY_ORDER[a.location.entity] - ENTITY_ORDER[b.location.entity] ||
    compareText(a.location.id, b.location.id) ||
    compareText(a.location.path ?? '', b.location.path ?? '') ||
    compareText(a.code, b.code) ||
    compareText(a.category ?? '', b.category ?? '')
  );
}

// Code-unit order, not localeCompare: the result must not depend on the runtime's locale data.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
