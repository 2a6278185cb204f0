// Candor schema: request and response schemas shared by the server and the dashboard.
export { EntityId, EpochMs, FieldKey, Language, LocalizedText, RequiredLocalizedText, SiteKey } from './common.js';
export {
  AudienceDraft,
  BanditSegmentDraft,
  DRAFT_KINDS,
  DRAFT_SCHEMAS,
  draftInLanguages,
  ExperienceDraft,
  FieldDraft,
  fillLanguages,
  missingTexts,
  MetricDraft,
  PurposeClass,
  PurposeDraft,
  SavedGroupsDraft,
  SensitiveCategory,
  SiteCreateInput,
  SiteDraft,
  SiteSettingsInput,
  siteLanguages,
  SlotContent,
  VariantDraft,
} from './draft.js';
export type { DraftKind } from './draft.js';
export {
  ConsentAction,
  ConsentEventInput,
  ConsentRecord,
  ConsentSource,
  VisitorData,
  VisitorRegistration,
  VisitorValue,
  VisitorValueInput,
} from './visitor.js';
export { BanditSettings, DifferentialPrivacySettings, ExperienceAnalysis } from './analysis.js';
export {
  AggregateBatch,
  AggregateDelta,
  ConversionEvent,
  ExposureEvent,
  HOLDOUT_VARIANT,
  MAX_CONVERSION_VALUE,
  MAX_REPORT_EVENTS,
  ReportResult,
  TRUST_EVENTS,
  TrustEvent,
  VisitorReport,
  VisitorTrustEvent,
  type TrustEventName,
} from './report.js';
export {
  AdminEmail,
  ApiKeyCreateInput,
  LoginInput,
  Permission,
  PublishInput,
  Role,
  RollbackInput,
  SessionInfo,
  UserCreateInput,
  UserRoleUpdateInput,
  WebhookCreateInput,
} from './admin.js';
export { Problem } from './problem.js';
export { PrivacyReport, PrivacyReportDay, TrustScoreItem } from './privacy-report.js';
export {
  AggregateCell,
  ApiKeyCreated,
  ApiKeyView,
  AuditEntry,
  DraftWithFindings,
  ErasureReceipt,
  ErasureResult,
  Finding,
  LedgerVerification,
  Me,
  PublishResult,
  SiteView,
  SnapshotBody,
  SnapshotVersion,
  UserView,
  WebhookDeliveryView,
  WebhookView,
  WithdrawResult,
  WholeDraft,
} from './admin-views.js';
export { ExperiencePlan, ExperienceResults } from './results-view.js';
