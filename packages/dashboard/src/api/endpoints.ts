import {
  ApiKeyCreateInput,
  LoginInput,
  SessionInfo,
  SiteCreateInput,
  SiteSettingsInput,
  UserCreateInput,
  UserRoleUpdateInput,
  VisitorData,
  WebhookCreateInput,
  DRAFT_SCHEMAS,
  type DraftKind,
  type Permission,
  type Role,
  PrivacyReport,
} from '@candor/schema';
import { z } from 'zod';
import type { ApiClient } from './client.js';

/** Whose figures a results screen reads: real visitors' (the default) or the demo's generated ones. */
export type FiguresSource = 'real' | 'demo';

/** A bandit's proposed weights waiting for an owner, as the server answers. */
const BanditProposalView = z.object({
  proposal: z
    .object({
      weights: z.record(z.string(), z.number()),
      why: z.string().optional(),
      ranAt: z.number(),
    })
    .nullable(),
});
import { ExperiencePlan, ExperienceResults } from '@candor/schema';
import {
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
} from '@candor/schema';

/** The draft entity type of each kind, inferred from the schema the server validates it with. */
export type DraftOf<K extends DraftKind> = z.infer<(typeof DRAFT_SCHEMAS)[K]>;

const site = (key: string): string => `/v1/admin/sites/${encodeURIComponent(key)}`;

/** Every admin call the dashboard makes, typed by @candor/schema (requests) and validated (responses). */
export function createCandorApi(client: ApiClient) {
  return {
    login: (input: z.input<typeof LoginInput>) =>
      client.request('POST', '/v1/admin/login', { body: LoginInput.parse(input), schema: SessionInfo }),
    logout: () => client.request('POST', '/v1/admin/logout'),
    me: () => client.request('GET', '/v1/admin/me', { schema: Me }),
    changePassword: (currentPassword: string, newPassword: string) =>
      client.request('POST', '/v1/admin/me/password', { body: { currentPassword, newPassword } }),

    listSites: () => client.request('GET', '/v1/admin/sites', { schema: z.array(SiteView) }),
    createSite: (input: SiteCreateInput) =>
      client.request('POST', '/v1/admin/sites', { body: SiteCreateInput.parse(input), schema: SiteView }),
    updateSite: (key: string, input: SiteSettingsInput) =>
      client.request('PUT', site(key), { body: SiteSettingsInput.parse(input), schema: SiteView }),

    mintEditorToken: (key: string, body: { origin: string; experience?: string; variant?: string }) =>
      client.request('POST', `${site(key)}/editor-tokens`, {
        body,
        schema: z.object({ token: z.string(), origin: z.string(), expiresAt: z.number() }),
      }),

    wholeDraft: (key: string) => client.request('GET', `${site(key)}/drafts`, { schema: DraftWithFindings }),
    listDrafts: <K extends DraftKind>(key: string, kind: K) =>
      client.request('GET', `${site(key)}/drafts/${kind}`, {
        schema: z.array(DRAFT_SCHEMAS[kind]) as unknown as z.ZodType<DraftOf<K>[]>,
      }),
    putDraft: <K extends DraftKind>(key: string, kind: K, id: string, body: DraftOf<K>) =>
      client.request('PUT', `${site(key)}/drafts/${kind}/${encodeURIComponent(id)}`, {
        body: DRAFT_SCHEMAS[kind].parse(body),
        schema: DRAFT_SCHEMAS[kind] as unknown as z.ZodType<DraftOf<K>>,
      }),
    deleteDraft: (key: string, kind: DraftKind, id: string) =>
      client.request('DELETE', `${site(key)}/drafts/${kind}/${encodeURIComponent(id)}`),

    lint: (key: string) =>
      client.request('POST', `${site(key)}/lint`, { schema: z.object({ findings: z.array(Finding) }) }),
    publish: (key: string, acknowledge: readonly string[]) =>
      client.request('POST', `${site(key)}/publish`, { body: { acknowledge }, schema: PublishResult }),
    rollback: (key: string, version: number) =>
      client.request('POST', `${site(key)}/rollback`, { body: { version }, schema: PublishResult }),
    withdrawVersion: (key: string, version: number) =>
      client.request('POST', `${site(key)}/snapshots/${version}/withdraw`, { schema: WithdrawResult }),
    snapshots: (key: string) => client.request('GET', `${site(key)}/snapshots`, { schema: z.array(SnapshotVersion) }),
    snapshot: (key: string, version: number) =>
      client.request('GET', `/v1/sites/${encodeURIComponent(key)}/snapshot/${version}`, { schema: SnapshotBody }),

    aggregates: (key: string, experience?: string, data?: FiguresSource) =>
      client.request('GET', `${site(key)}/aggregates`, {
        query: { experience, data },
        schema: z.array(AggregateCell),
      }),
    results: (key: string, experience: string, metric: string, data?: FiguresSource) =>
      client.request('GET', `${site(key)}/experiences/${encodeURIComponent(experience)}/results`, {
        query: { metric, data },
        schema: ExperienceResults,
      }),
    banditProposal: (key: string, experience: string) =>
      client.request('GET', `${site(key)}/experiences/${encodeURIComponent(experience)}/bandit-proposal`, {
        schema: BanditProposalView,
      }),
    decideBanditProposal: (key: string, experience: string, decision: 'approve' | 'dismiss') =>
      client.request('POST', `${site(key)}/experiences/${encodeURIComponent(experience)}/bandit-proposal/${decision}`, {
        schema: z.unknown(),
      }),
    plan: (
      key: string,
      experience: string,
      query: { readonly effect: number; readonly baselineRate?: number; readonly power?: number },
    ) =>
      client.request('GET', `${site(key)}/experiences/${encodeURIComponent(experience)}/plan`, {
        query,
        schema: ExperiencePlan,
      }),
    privacyReport: (key: string, days: number, data?: FiguresSource) =>
      client.request('GET', `${site(key)}/privacy-report`, { query: { days, data }, schema: PrivacyReport }),

    setExperienceOrder: (key: string, ids: readonly string[]) =>
      client.request('PUT', `${site(key)}/experience-order`, { body: ids, schema: z.array(z.string()) }),

    audit: (key: string, before?: number) =>
      client.request('GET', `${site(key)}/audit`, { query: { limit: 100, before }, schema: z.array(AuditEntry) }),

    users: () => client.request('GET', '/v1/admin/users', { schema: z.array(UserView) }),
    createUser: (input: z.input<typeof UserCreateInput>) =>
      client.request('POST', '/v1/admin/users', { body: UserCreateInput.parse(input), schema: UserView }),
    setUserRole: ({ id, role }: { id: string; role: Role }) =>
      client.request('PATCH', `/v1/admin/users/${encodeURIComponent(id)}`, {
        body: UserRoleUpdateInput.parse({ role }),
        schema: UserView,
      }),
    removeUser: (id: string) => client.request('DELETE', `/v1/admin/users/${encodeURIComponent(id)}`),
    installationAudit: (before?: number) =>
      client.request('GET', '/v1/admin/audit', { query: { limit: 100, before }, schema: z.array(AuditEntry) }),
    apiKeys: () => client.request('GET', '/v1/admin/api-keys', { schema: z.array(ApiKeyView) }),
    createApiKey: (name: string, scopes: Permission[]) =>
      client.request('POST', '/v1/admin/api-keys', {
        body: ApiKeyCreateInput.parse({ name, scopes }),
        schema: ApiKeyCreated,
      }),
    revokeApiKey: (id: string) => client.request('DELETE', `/v1/admin/api-keys/${encodeURIComponent(id)}`),

    verifyLedger: (key: string) => client.request('GET', `${site(key)}/ledger/verify`, { schema: LedgerVerification }),
    visitor: (key: string, visitorId: string) =>
      client.request('GET', `${site(key)}/visitors/${encodeURIComponent(visitorId)}`, { schema: VisitorData }),
    eraseVisitor: (key: string, visitorId: string) =>
      client.request('DELETE', `${site(key)}/visitors/${encodeURIComponent(visitorId)}`, { schema: ErasureResult }),
    erasures: (key: string) => client.request('GET', `${site(key)}/erasures`, { schema: z.array(ErasureReceipt) }),

    webhooks: (key: string) => client.request('GET', `${site(key)}/webhooks`, { schema: z.array(WebhookView) }),
    webhookDeliveries: (key: string, id: string) =>
      client.request('GET', `${site(key)}/webhooks/${encodeURIComponent(id)}/deliveries`, {
        schema: z.array(WebhookDeliveryView),
      }),
    retryWebhookDelivery: (key: string, id: string, delivery: string) =>
      client.request(
        'POST',
        `${site(key)}/webhooks/${encodeURIComponent(id)}/deliveries/${encodeURIComponent(delivery)}/retry`,
        { schema: WebhookDeliveryView },
      ),
    createWebhook: (key: string, input: z.input<typeof WebhookCreateInput>) =>
      client.request('POST', `${site(key)}/webhooks`, {
        body: WebhookCreateInput.parse(input),
        schema: WebhookView.extend({ secret: z.string() }),
      }),
    deleteWebhook: (key: string, id: string) =>
      client.request('DELETE', `${site(key)}/webhooks/${encodeURIComponent(id)}`),
  };
}

/** The dashboard's API. */
export type CandorApi = ReturnType<typeof createCandorApi>;
