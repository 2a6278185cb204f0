import { lint, runPreview, SNAPSHOT_SCHEMA_VERSION, type LintDraft, type Snapshot } from '@candor/core';
import { draftInLanguages, QuestionPlacementDraft, siteLanguages } from '@candor/schema';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import type { RouteScopes } from '../../http/admin-scope.js';
import { ROLE_PERMISSIONS, actorOf } from '../auth/permissions.js';
import { principalOf } from '../auth/routes.js';
import { loadDraft, parseDraft, saveDraft } from '../drafts/service.js';
import { publicLimit } from '../publish/routes.js';
import { siteSettings } from '../publish/service.js';
import { requireSite } from '../sites/service.js';
import { SiteParams } from '../sites/routes.js';
import type { SiteRecord } from '../sites/store.js';
import {
  EDITOR_TOKEN_TTL_MS,
  editorTokenKey,
  mintEditorToken,
  verifyEditorToken,
  type EditorClaims,
} from './editor-token.js';
import { unsafeChangeProblems } from './safe-changes.js';

/** The slot a variant's page changes fill (core's convention: `page:<experience id>`). */
export const pageSlot = (experienceId: string): string => `page:${experienceId}`;

// 100 changes of a few KB each fit easily; the whole admin limit (1 MiB) is not needed here.
const EDITOR_BODY_LIMIT = 256 * 1024;

const ChangesBody = z.object({
  experience: z.string().min(1).max(128),
  changes: z.array(z.record(z.string(), z.unknown())).min(1).max(100),
});
const VariantParams = z.object({ variant: z.string().min(1).max(128) });
const PlacementParams = z.object({ id: z.string().min(1).max(64) });
// The placement without its id: the id is the URL's, so the body cannot name another one.
const PlacementBody = QuestionPlacementDraft.omit({ id: true });
const PreviewBody = z.object({
  experience: z.string().min(1).max(128).optional(),
  variant: z.string().min(1).max(128).optional(),
  changes: z.array(z.record(z.string(), z.unknown())).max(100).optional(),
  visitor: z.object({
    values: z.record(z.string().max(64), z.union([z.string().max(500), z.number(), z.boolean()])),
    granted: z.record(z.string().max(64), z.boolean()),
    gpc: z.boolean(),
    language: z.enum(['en', 'zh-Hant']),
    visitorId: z.string().min(1).max(128),
  }),
});

interface EditorRequest {
  readonly site: SiteRecord;
  readonly claims: EditorClaims;
}

const PROBLEM_WORDS = {
  malformed: ['unauthenticated', 'This is not an editor token; open the editor again from the dashboard.'],
  forged: [
    'unauthenticated',
    'This editor token was not issued by this server; open the editor again from the dashboard.',
  ],
  expired: [
    'unauthenticated',
    'This editor token has expired (they last 15 minutes); open the editor again from the dashboard.',
  ],
  other_site: ['forbidden', 'This editor token is for another site.'],
  other_origin: ['forbidden', 'This editor token was issued for another origin; open the page the dashboard opened.'],
} as const;

/**
 * Checks the bearer token, the Origin it was minted for (still one the site allows) and that its
 * user may still edit drafts: a token outlives nothing it was granted on.
 */
async function authorizeEditor(context: AppContext, request: FastifyRequest): Promise<EditorRequest> {
  const header = request.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice(7) : '';
  if (token === '') throw new AppError('unauthenticated', 'Send the editor token as "Authorization: Bearer ce1.…".');
  const origin = request.headers.origin ?? '';
  const result = verifyEditorToken(editorTokenKey(context.keyring.current), token, context.clock(), { origin });
  if (!result.ok) {
    const [code, words] = PROBLEM_WORDS[result.problem];
    throw new AppError(code, words);
  }
  const site = await context.storage.getSiteByKey(result.claims.site);
  if (site === undefined || !site.settings.allowedOrigins.includes(result.claims.origin)) {
    throw new AppError('forbidden', 'The site no longer allows this origin; ask an owner to add it again.');
  }
  const user = await context.storage.getUser(result.claims.user);
  if (user === undefined || !ROLE_PERMISSIONS[user.role].includes('drafts:write')) {
    throw new AppError('forbidden', 'Your account may no longer edit drafts.');
  }
  return { site, claims: result.claims };
}

/** The experience draft the editor addresses, and the variant by id inside it. */
async function experienceOf(
  context: AppContext,
  site: SiteRecord,
  experienceId: string,
  variantId: string,
): Promise<Record<string, unknown> & { variants: Record<string, unknown>[] }> {
  const row = await context.storage.getDraft(site.id, 'experiences', experienceId);
  if (row === undefined) throw new AppError('not_found', `No experience draft "${experienceId}".`);
  const experience = row.body as Record<string, unknown> & { variants: Record<string, unknown>[] };
  if (!experience.variants.some((variant) => variant['id'] === variantId)) {
    throw new AppError('not_found', `Experience "${experienceId}" has no variant "${variantId}".`);
  }
  return experience;
}

/** The experience with one variant's page slot replaced by these changes (other slots kept). */
function withChanges(
  experience: Record<string, unknown> & { variants: Record<string, unknown>[] },
  variantId: string,
  changes: readonly Record<string, unknown>[],
): Record<string, unknown> {
  const slot = pageSlot(String(experience['id']));
  return {
    ...experience,
    variants: experience.variants.map((variant) =>
      variant['id'] !== variantId
        ? variant
        : {
            ...variant,
            content: { ...(variant['content'] as Record<string, unknown>), [slot]: { type: 'changes', changes } },
          },
    ),
  };
}

/** The whole draft with one experience swapped for its edited copy: what lint and preview read. */
function draftWith(draft: LintDraft, experience: Record<string, unknown>): LintDraft {
  return {
    ...draft,
    experiences: draft.experiences.map((entry) =>
      (entry as { id?: unknown }).id === experience['id'] ? experience : entry,
    ) as unknown as LintDraft['experiences'],
  };
}

function refuseUnsafe(changes: readonly Record<string, unknown>[]): void {
  const problems = unsafeChangeProblems(changes);
  if (problems.length > 0) {
    throw new AppError('validation_failed', `These changes cannot be saved: ${problems.slice(0, 3).join('; ')}.`, {
      errors: problems.map((message) => ({ path: 'body', message })),
    });
  }
}

/** CORS for the editor: only the origin the token was minted for, and only while the site allows it. */
function editorCors(context: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const origin = request.headers.origin;
    if (origin === undefined) return;
    void reply.header('vary', 'Origin');
    const sites = await context.storage.listSites();
    if (sites.some((site) => site.settings.allowedOrigins.includes(origin))) {
      void reply.header('access-control-allow-origin', origin);
    }
  };
}

/** The editor token (admin) and the token-authorised editor API the on-page overlay calls. */
export function registerEditorRoutes(scopes: RouteScopes, context: AppContext): void {
  const app = scopes.public;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admin = scopes.admin.withTypeProvider<ZodTypeProvider>();
  const key = (): Buffer => editorTokenKey(context.keyring.current);

  admin.post(
    '/v1/admin/sites/:site/editor-tokens',
    {
      schema: {
        tags: ['editor'],
        summary: 'Mint a 15-minute token that opens the visual editor on one of the site’s origins',
        params: SiteParams,
        body: z.object({
          origin: z.string().min(1).max(300),
          experience: z.string().min(1).max(128).optional(),
          variant: z.string().min(1).max(128).optional(),
        }),
      },
      config: { permission: 'drafts:write' },
    },
    async (request) => {
      const principal = principalOf(request);
      if (principal.kind !== 'user') {
        throw new AppError('forbidden', 'Editor tokens are for people signed in to the dashboard, not API keys.');
      }
      const site = await requireSite(context, request.params.site);
      const { origin, experience, variant } = request.body;
      if (!site.settings.allowedOrigins.includes(origin)) {
        throw new AppError(
          'validation_failed',
          `"${origin}" is not one of the site's allowed origins; add it in the site settings first.`,
        );
      }
      const expiresAt = context.clock() + EDITOR_TOKEN_TTL_MS;
      const token = mintEditorToken(key(), {
        site: site.siteKey,
        user: principal.id,
        origin,
        exp: expiresAt,
        ...(experience === undefined ? {} : { experience }),
        ...(variant === undefined ? {} : { variant }),
      });
      await context.storage.appendAudit({
        at: context.clock(),
        actor: actorOf(principal),
        action: 'editor.token',
        siteId: site.id,
        target: origin,
        before: null,
        after: { expiresAt },
      });
      return { token, origin, expiresAt };
    },
  );

  const cors = editorCors(context);
  const editorConfig = { rateLimit: publicLimit(context) };
  app.options(
    '/v1/editor/*',
    { schema: { hide: true }, config: editorConfig, onRequest: cors },
    async (_request, reply) => {
      void reply.header('access-control-allow-methods', 'GET, POST, PUT, DELETE');
      void reply.header('access-control-allow-headers', 'Authorization, Content-Type');
      void reply.header('access-control-max-age', '600');
      return reply.status(204).send();
    },
  );

  r.get(
    '/v1/editor/session',
    {
      schema: { tags: ['editor'], summary: 'What the editor token may edit: experiences, variants, fields, purposes' },
      config: editorConfig,
      onRequest: cors,
    },
    async (request) => {
      const { site, claims } = await authorizeEditor(context, request);
      const draft = await loadDraft(context, site.id);
      return {
        siteKey: site.siteKey,
        origin: claims.origin,
        expiresAt: claims.exp,
        focus:
          claims.experience === undefined ? null : { experience: claims.experience, variant: claims.variant ?? null },
        languages: siteLanguages(site.settings),
        defaultLanguage: site.settings.defaultLanguage,
        experiences: (draft.experiences as unknown as Record<string, unknown>[]).map((experience) => ({
          id: String(experience['id']),
          name: String(experience['name']),
          variants: (experience['variants'] as Record<string, unknown>[]).map((variant) => {
            const page = (variant['content'] as Record<string, { type?: string; changes?: unknown[] }>)[
              pageSlot(String(experience['id']))
            ];
            return {
              id: String(variant['id']),
              name: String(variant['name']),
              changes: page?.type === 'changes' ? (page.changes ?? []) : [],
            };
          }),
        })),
        fields: (draft.fields as unknown as Record<string, unknown>[]).map((field) => ({
          key: field['key'],
          type: field['type'],
          source: field['source'],
          purpose: field['purpose'],
          label: field['label'],
          // Only a field with a question can be placed on a page: the editor offers just those.
          question: field['question'] !== undefined,
        })),
        placements: draft.placements ?? [],
        purposes: (draft.purposes as unknown as Record<string, unknown>[]).map((purpose) => ({
          id: purpose['id'],
          name: purpose['name'],
        })),
      };
    },
  );

  r.put(
    '/v1/editor/variants/:variant',
    {
      schema: {
        tags: ['editor'],
        summary: "Save page changes as the variant's page-slot content in the draft",
        params: VariantParams,
        body: ChangesBody,
      },
      bodyLimit: EDITOR_BODY_LIMIT,
      config: editorConfig,
      onRequest: cors,
    },
    async (request) => {
      const { site, claims } = await authorizeEditor(context, request);
      const { experience: experienceId, changes } = request.body;
      refuseUnsafe(changes);
      const experience = await experienceOf(context, site, experienceId, request.params.variant);
      const body = parseDraft(
        'experiences',
        experienceId,
        withChanges(experience, request.params.variant, changes),
        siteLanguages(site.settings),
      );
      await saveDraft(context, site.id, 'experiences', experienceId, body, `user:${claims.user}`);
      context.webhooks.emit(site.id, 'experience.changed', {
        siteKey: site.siteKey,
        experience: experienceId,
        change: 'draft',
      });
      return body;
    },
  );

  r.post(
    '/v1/editor/variants/:variant/lint',
    {
      schema: {
        tags: ['editor'],
        summary: 'Lint findings for the draft with these changes in the variant (nothing is saved)',
        params: VariantParams,
        body: ChangesBody,
      },
      bodyLimit: EDITOR_BODY_LIMIT,
      config: editorConfig,
      onRequest: cors,
    },
    async (request) => {
      const { site } = await authorizeEditor(context, request);
      const { experience: experienceId, changes } = request.body;
      const experience = await experienceOf(context, site, experienceId, request.params.variant);
      const draft = draftWith(
        await loadDraft(context, site.id),
        withChanges(experience, request.params.variant, changes),
      );
      // Only what concerns this experience: the rest of the draft's findings belong to the dashboard.
      const findings = lint(draftInLanguages(draft, site.settings, { onlyUnwritten: true })).filter(
        (finding) => finding.location.entity === 'experience' && finding.location.id === experienceId,
      );
      return { findings, refused: unsafeChangeProblems(changes) };
    },
  );

  r.post(
    '/v1/editor/preview',
    {
      schema: {
        tags: ['editor'],
        summary: 'Decisions and the exact "Why am I seeing this?" text for a sample visitor',
        body: PreviewBody,
      },
      bodyLimit: EDITOR_BODY_LIMIT,
      config: editorConfig,
      onRequest: cors,
    },
    async (request) => {
      const { site } = await authorizeEditor(context, request);
      const { experience: experienceId, variant, changes, visitor } = request.body;
      let draft = await loadDraft(context, site.id);
      if (experienceId !== undefined && variant !== undefined && changes !== undefined && changes.length > 0) {
        draft = draftWith(
          draft,
          withChanges(await experienceOf(context, site, experienceId, variant), variant, changes),
        );
      }
      const now = context.clock();
      const snapshot: Snapshot = {
        schemaVersion: SNAPSHOT_SCHEMA_VERSION,
        version: 0,
        publishedAt: now,
        site: siteSettings(site),
        ...(draftInLanguages(draft, site.settings) as unknown as Pick<
          Snapshot,
          'purposes' | 'fields' | 'audiences' | 'experiences' | 'metrics' | 'savedGroups'
        >),
      };
      return runPreview(snapshot, visitor, now).map((row) => ({
        slot: row.slot,
        reason: row.decision.reason,
        experienceId: row.decision.experienceId,
        variant: row.decision.variant?.id ?? null,
        why: row.explanation,
      }));
    },
  );

  r.put(
    '/v1/editor/placements/:id',
    {
      schema: {
        tags: ['editor'],
        summary: 'Save a question placed on the page as a placement draft; returns its lint findings',
        params: PlacementParams,
        body: PlacementBody,
      },
      bodyLimit: EDITOR_BODY_LIMIT,
      config: editorConfig,
      onRequest: cors,
    },
    async (request) => {
      const { site, claims } = await authorizeEditor(context, request);
      const { id } = request.params;
      const draft = await loadDraft(context, site.id);
      // An undeclared field would show nothing anywhere; refuse it rather than store a dead placement.
      if (!draft.fields.some((field) => field.key === request.body.field)) {
        throw new AppError('validation_failed', `The draft declares no field "${request.body.field}".`, {
          errors: [{ path: 'body.field', message: 'not a declared field' }],
        });
      }
      const body = parseDraft('placements', id, { ...request.body, id }, siteLanguages(site.settings)) as {
        id: string;
      };
      await saveDraft(context, site.id, 'placements', id, body, `user:${claims.user}`);
      const saved: LintDraft = {
        ...draft,
        placements: [
          ...(draft.placements ?? []).filter((placement) => placement.id !== id),
          body as unknown as NonNullable<LintDraft['placements']>[number],
        ],
      };
      // Only what concerns this placement: the rest of the draft's findings belong to the dashboard.
      const findings = lint(draftInLanguages(saved, site.settings, { onlyUnwritten: true })).filter(
        (finding) => finding.location.entity === 'placement' && finding.location.id === id,
      );
      return { placement: body, findings };
    },
  );

  r.delete(
    '/v1/editor/placements/:id',
    {
      schema: { tags: ['editor'], summary: 'Remove a placed question from the draft', params: PlacementParams },
      config: editorConfig,
      onRequest: cors,
    },
    async (request, reply) => {
      const { site, claims } = await authorizeEditor(context, request);
      const { id } = request.params;
      const before = await context.storage.getDraft(site.id, 'placements', id);
      if (before === undefined || !(await context.storage.deleteDraft(site.id, 'placements', id))) {
        throw new AppError('not_found', `No placed question "${id}".`);
      }
      await context.storage.appendAudit({
        at: context.clock(),
        actor: `user:${claims.user}`,
        action: 'draft.delete',
        siteId: site.id,
        target: `placements/${id}`,
        before: before.body,
        after: null,
      });
      return reply.status(204).send();
    },
  );
}
