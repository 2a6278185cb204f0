// Candor core: the one explicit public surface (no `export *`, docs/architecture.md code habit 6).

// Targeting
export { evalCondition } from './targeting/eval-condition.js';
export { compileCondition } from './targeting/compile-condition.js';
export type { CompiledCondition, CompileResult, ConditionError } from './targeting/compile-condition.js';
export { CONDITION_LIMITS } from './targeting/limits.js';
export { regexProblem } from './targeting/regex-safety.js';
export type { RegexProblem } from './targeting/regex-safety.js';
export { paddedVersionString } from './targeting/version-string.js';
export { getPath } from './targeting/get-path.js';

// Hashing and bucketing
export { hash } from './bucketing/hash.js';
export type { HashVersion } from './bucketing/hash.js';
export { chooseVariation, getBucketRanges, getEqualWeights } from './bucketing/bucket-ranges.js';
export type { BucketRange } from './bucketing/bucket-ranges.js';
export { inNamespace } from './bucketing/namespace.js';

// Consent gating
export { DEFAULT_PURPOSES } from './consent/default-purposes.js';
export { purposeStatus, purposeStatuses } from './consent/purpose-status.js';
export type { PurposeStatus, PurposeStatusReason } from './consent/purpose-status.js';
export { measurementGranted } from './consent/measurement-granted.js';
export { purposesToAsk } from './consent/purposes-to-ask.js';
export { visibleProfile } from './consent/visible-profile.js';
export type { VisibilityRules, VisibleProfile, VisibleSignal } from './consent/visible-profile.js';

// Candor's first-party visitor cookie (docs/visitor-cookie.md)
export {
  decodeVisitorCookie,
  decodeVisitorCookieWith,
  encodeVisitorCookie,
  encodeVisitorCookieWith,
  visitorCookieName,
} from './visitor-cookie/visitor-cookie.js';
export { CORE_BASE64URL } from './visitor-cookie/base64url.js';
export { cookieValue } from './visitor-cookie/cookie-value.js';
export type { Base64UrlCodec } from './visitor-cookie/base64url.js';
export { VISITOR_COOKIE_MAX_AGE_DAYS, visitorCookieAttributes } from './visitor-cookie/cookie-attributes.js';
export type { VisitorCookieScope } from './visitor-cookie/cookie-attributes.js';
export type { NoChoiceReason, VisitorCookieRead, VisitorCookieWrite } from './visitor-cookie/visitor-cookie.js';
export {
  VISITOR_COOKIE_MAX_LENGTH,
  VISITOR_COOKIE_VERSION,
  keepGranted,
} from './visitor-cookie/visitor-cookie-state.js';
export type { CookieRules, VisitorCookieState } from './visitor-cookie/visitor-cookie-state.js';

// Snapshot
export { SNAPSHOT_SCHEMA_VERSION } from './types.js';
export { validateSnapshot } from './snapshot/validate-snapshot.js';
export type { SnapshotError, SnapshotValidation } from './snapshot/validate-snapshot.js';
export { validateConsent, validateProfile } from './snapshot/validate-visitor-state.js';
export type { ProfileValidation } from './snapshot/validate-visitor-state.js';

// Decide
export { decide, decideVerified } from './decide/decide.js';
export type { DecideOptions, DecisionErrorDetail } from './decide/decide.js';
export type { ChosenVariant, Decision, DecisionKind, TraceEntry } from './decide/decision.js';
export { toOpenFeatureReason } from './decide/reasons.js';
export type { DecisionErrorCode, DecisionReason, OpenFeatureReason } from './decide/reasons.js';
export type { StepName } from './decide/steps.js';
export type { PreparedSnapshot } from './snapshot/prepare-snapshot.js';

// Pages: where an experience runs, and split-URL redirects
export { compileUrlMatch, compileUrlMatches, matchUrl } from './pages/url-match.js';
export type { UrlMatcher } from './pages/url-match.js';
export { REDIRECT_MARKER, redirectLocation, redirectedBy } from './pages/redirect.js';
export type { RedirectTarget } from './pages/redirect.js';

// Explain
export { createExplainer, createVerifiedExplainer, explain, verifiedEngine } from './explain/explain.js';
export type { DecisionEngine, ExplainInput, ExplainOptions, VerifiedExplainInput } from './explain/explain.js';
export type { Counterfactual, ExcludedCode, ExplainedSignal, Explanation } from './explain/explanation.js';
export { messagesFor, pickLanguage, siteLanguage } from './messages/language.js';
export type { Alternative, ControlAction, ExplanationMessages, OffCause } from './messages/catalog.js';

// Lint
export { SENSITIVE_TAXONOMY, hasBlockingFindings, lint, unacknowledgedWarnings } from './lint/lint.js';
export { unsafeHtmlParts } from './lint/unsafe-html.js';

// Preview as a sample visitor (dashboard and visual editor)
export { runPreview, slotsOf } from './preview/run-preview.js';
export type { PreviewRow, SampleVisitor } from './preview/run-preview.js';
export type { LintCode, LintDraft, LintEntity, LintFinding, LintLocation, LintSeverity } from './lint/lint.js';

// Types of the snapshot format and decision inputs
export type {
  AttributeObject,
  AttributeValue,
  Attributes,
  Audience,
  BanditSegment,
  Condition,
  ConsentModeSignal,
  ConsentState,
  DecisionContext,
  Experience,
  Field,
  FieldOption,
  FieldSource,
  FieldType,
  FrequencyCap,
  Language,
  LegalBasis,
  LocalizedText,
  Metric,
  Namespace,
  PageChange,
  Profile,
  ProfileValue,
  Purpose,
  PurposeChoice,
  PurposeClass,
  QuestionLimits,
  QuestionPlacement,
  SavedGroups,
  SensitiveCategory,
  SiteSettings,
  SlotContent,
  Snapshot,
  UrlMatch,
  Variant,
} from './types.js';
