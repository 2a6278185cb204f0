// Response shapes of the admin API, built from the request schemas' own pieces so the two cannot
// drift. The dashboard parses every response with these.
import { z } from 'zod';
import { Permission, Role } from './admin.js';
import {
  AudienceDraft,
  ExperienceDraft,
  FieldDraft,
  MetricDraft,
  PurposeDraft,
  QuestionPlacementDraft,
  SavedGroupsDraft,
  SiteSettingsInput,
} from './draft.js';

/** A site as admin routes show it (no signing key); `demoData` marks the demo's generated figures. */
export const SiteView = z.object({
  siteKey: z.string(),
  settings: SiteSettingsInput,
  createdAt: z.number(),
  demoData: z.boolean().optional(),
});
/** A site as served. */
export type SiteView = z.infer<typeof SiteView>;

/** `GET /v1/admin/me`. */
export const Me = z.union([
  z.object({
    kind: z.literal('user'),
    id: z.string(),
    email: z.string(),
    role: Role,
    permissions: z.array(Permission),
    /** Present for cookie sessions: how a new tab learns the token it must send on writes. */
    csrfToken: z.string().optional(),
    /** Signed in with a generated one-time password: the server opens nothing else until it is changed. */
    mustChangePassword: z.boolean().optional(),
  }),
  z.object({ kind: z.literal('api_key'), id: z.string(), permissions: z.array(Permission) }),
]);
/** The caller. */
export type Me = z.infer<typeof Me>;

/** One lint finding (core's `LintFinding`), validated loosely so a new code never breaks the screen. */
export const Finding = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  location: z.object({ entity: z.string(), id: z.string(), path: z.string().optional() }),
  message: z.string(),
  fixHint: z.string(),
  category: z.string().optional(),
  fingerprint: z.string(),
});
/** A lint finding as served. */
export type Finding = z.infer<typeof Finding>;

/** A whole draft; entities are validated by the same schemas the server writes them with. */
export const WholeDraft = z.object({
  purposes: z.array(PurposeDraft),
  fields: z.array(FieldDraft),
  audiences: z.array(AudienceDraft),
  experiences: z.array(ExperienceDraft),
  metrics: z.array(MetricDraft),
  savedGroups: SavedGroupsDraft.optional(),
  placements: z.array(QuestionPlacementDraft).optional(),
});
/** A whole draft as served. */
export type WholeDraft = z.infer<typeof WholeDraft>;

/** `GET /v1/admin/sites/:site/drafts`. */
export const DraftWithFindings = z.object({ draft: WholeDraft, findings: z.array(Finding) });

/** `POST …/publish` and `…/rollback` (201). */
export const PublishResult = z.object({
  version: z.number(),
  publishedAt: z.number(),
  keyId: z.string(),
  findings: z.array(Finding),
});
/** A publish result. */
export type PublishResult = z.infer<typeof PublishResult>;

/** One row of `GET …/snapshots`. */
export const SnapshotVersion = z.object({
  version: z.number(),
  publishedAt: z.number(),
  publishedBy: z.string(),
  /** When an owner withdrew the public copy; absent while it is public. */
  withdrawnAt: z.number().optional(),
});

/** What withdrawing a version's public copy answers. */
export const WithdrawResult = z.object({ version: z.number(), withdrawnAt: z.number() });
/** A published version. */
export type SnapshotVersion = z.infer<typeof SnapshotVersion>;

/** A published snapshot body (public route); entities as the draft schemas describe them. */
export const SnapshotBody = WholeDraft.extend({
  schemaVersion: z.string(),
  version: z.number(),
  publishedAt: z.number(),
  site: z.object({
    siteKey: z.string(),
    name: z.string(),
    defaultLanguage: z.enum(['en', 'zh-Hant']),
    policyVersion: z.string(),
    privacyPageUrl: z.string().optional(),
    explainDefaults: z.boolean(),
  }),
});
/** A snapshot body. */
export type SnapshotBody = z.infer<typeof SnapshotBody>;

/** One audit entry. */
export const AuditEntry = z.object({
  seq: z.number(),
  at: z.number(),
  actor: z.string(),
  action: z.string(),
  siteId: z.string().nullable(),
  target: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});
/** An audit entry. */
export type AuditEntry = z.infer<typeof AuditEntry>;

/** One admin user. */
export const UserView = z.object({ id: z.string(), email: z.string(), role: Role, createdAt: z.number().optional() });
/** A user. */
export type UserView = z.infer<typeof UserView>;

/** One API key (never its secret). */
export const ApiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.string()),
  createdBy: z.string(),
  createdAt: z.number(),
  revokedAt: z.number().nullable(),
});
/** An API key. */
export type ApiKeyView = z.infer<typeof ApiKeyView>;

/** A new key, whose secret is shown once. */
export const ApiKeyCreated = z.object({ id: z.string(), key: z.string() });

/** One aggregate cell (sufficient statistics; docs/privacy.md §8). */
export const AggregateCell = z.object({
  experienceId: z.string(),
  variantId: z.string(),
  metricId: z.string(),
  n: z.number(),
  sum: z.number(),
  sumSquares: z.number(),
  covariateSum: z.number(),
  covariateSumSquares: z.number(),
  crossProduct: z.number(),
  updatedAt: z.number(),
});
/** An aggregate cell. */
export type AggregateCell = z.infer<typeof AggregateCell>;

/** `GET …/ledger/verify`. */
export const LedgerVerification = z.object({
  records: z.number(),
  intact: z.boolean(),
  firstBrokenSeq: z.number().nullable(),
});
/** A chain check. */
export type LedgerVerification = z.infer<typeof LedgerVerification>;

/** One erasure receipt: the minimal proof a request was handled. */
export const ErasureReceipt = z.object({
  subjectHash: z.string(),
  siteId: z.string(),
  erasedAt: z.number(),
  requestedBy: z.string(),
});
/** An erasure receipt. */
export type ErasureReceipt = z.infer<typeof ErasureReceipt>;

/** `DELETE …/visitors/:id`. */
export const ErasureResult = z.object({ erased: z.literal(true), subjectHash: z.string(), erasedAt: z.number() });

/** One webhook (never its secret). */
export const WebhookView = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  createdAt: z.number().optional(),
});
/** A webhook. */
export type WebhookView = z.infer<typeof WebhookView>;

/** One entry of a webhook's delivery log. */
export const WebhookDeliveryView = z.object({
  id: z.string(),
  event: z.string(),
  status: z.enum(['pending', 'delivered', 'failed', 'refused']),
  attempts: z.number(),
  lastError: z.string().nullable(),
  createdAt: z.number(),
  finishedAt: z.number().nullable(),
  nextAttemptAt: z.number().nullable(),
});
/** A delivery as the log shows it. */
export type WebhookDeliveryView = z.infer<typeof WebhookDeliveryView>;
