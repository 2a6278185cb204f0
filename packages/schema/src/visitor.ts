import { z } from 'zod';
import { EpochMs, EntityId, Language } from './common.js';

/** What registering a visitor returns; the token is shown once and only its hash is kept. */
export const VisitorRegistration = z.object({
  visitorId: z.string(),
  token: z.string(),
});

/** Consent-ledger actions (docs/privacy.md §6). */
export const ConsentAction = z.enum([
  'accept_all',
  'reject_all',
  'custom',
  'withdraw',
  'gpc_auto',
  'dnt_auto',
  'expire',
  'reprompt',
]);

/** Where a consent choice was made (docs/privacy.md §6); `cmp:<name>` when the site's CMP made it (docs/consent.md). */
export const ConsentSource = z.enum([
  'prompt',
  'preference_center',
  'api',
  'gpc_header',
  'gpc_js',
  'cmp:callback',
  'cmp:cookieconsent',
  'cmp:consent-mode',
  'cmp:klaro',
  'cmp:tcf',
  'cmp:gpp',
]);

/** A consent event the SDK appends; the server adds time, signals from headers, expiry and the chain. */
export const ConsentEventInput = z.object({
  action: ConsentAction,
  purposes: z.record(EntityId, z.enum(['granted', 'denied'])),
  source: ConsentSource,
  uiVersion: z.string().min(1).max(64),
  noticeVersion: z.string().min(1).max(64),
  noticeTextHash: z.string().regex(/^[0-9a-f]{64}$/, 'noticeTextHash is the SHA-256 hex of the exact text shown'),
  language: Language,
  policyVersion: z.string().min(1).max(64),
  /** `navigator.globalPrivacyControl === true` as the SDK saw it; the Sec-GPC header is recorded separately. */
  gpcJs: z.boolean().optional(),
  /** For each purpose answered, the `textVersion` of the purpose text shown (from the snapshot). */
  purposeVersions: z
    .record(EntityId, z.string().regex(/^[0-9a-f]{64}$/, 'a purpose textVersion from the snapshot'))
    .optional(),
});

/** A ledger record as the visitor and the privacy officer see it: every field of docs/privacy.md §6. */
export const ConsentRecord = z.object({
  consentId: z.string(),
  createdAt: EpochMs,
  updatedAt: EpochMs,
  action: ConsentAction,
  purposes: z.record(z.string(), z.enum(['granted', 'denied'])),
  source: ConsentSource,
  uiVersion: z.string(),
  noticeVersion: z.string(),
  noticeTextHash: z.string(),
  language: Language,
  policyVersion: z.string(),
  signals: z.object({ gpc: z.boolean(), dnt: z.boolean() }),
  /** Which version of each purpose's text the choice answered. */
  purposeVersions: z.record(z.string(), z.string()).optional(),
  /** Grants a privacy signal turned into denials when the choice was recorded, and which signal did it. */
  signalOverrides: z.record(z.string(), z.enum(['gpc', 'dnt'])).optional(),
  expiresAt: EpochMs,
  previousHash: z.string(),
  hash: z.string(),
});

/** A value a visitor stores on the server (only under a purpose that needs the server). */
export const VisitorValueInput = z.object({
  value: z.union([z.string().max(2000), z.number().finite(), z.boolean(), z.array(z.string().max(200)).max(100)]),
  source: z.enum(['declared', 'observed']).optional(),
});

/** One value held about a visitor, with its provenance. */
export const VisitorValue = z.object({
  key: z.string(),
  value: z.unknown(),
  source: z.string(),
  purpose: z.string(),
  collectedAt: EpochMs,
  expiresAt: EpochMs,
});

/** Everything the server holds about a visitor (GDPR Art. 15), with a receipt of their consent. */
export const VisitorData = z.object({
  visitorId: z.string(),
  siteKey: z.string(),
  createdAt: EpochMs,
  values: z.array(VisitorValue),
  consent: z.array(ConsentRecord),
  receipt: z.object({
    latestConsentId: z.string().nullable(),
    latestHash: z.string().nullable(),
    policyVersion: z.string().nullable(),
  }),
  logic: z.string(),
});

/** Types inferred from the visitor schemas. */
export type ConsentEventInput = z.infer<typeof ConsentEventInput>;
/** A ledger record as served. */
export type ConsentRecord = z.infer<typeof ConsentRecord>;
/** A value write as validated. */
export type VisitorValueInput = z.infer<typeof VisitorValueInput>;
/** One value held, as served. */
export type VisitorValue = z.infer<typeof VisitorValue>;
/** The access response. */
export type VisitorData = z.infer<typeof VisitorData>;
