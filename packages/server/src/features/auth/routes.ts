import { ApiKeyCreateInput, LoginInput, SessionInfo, UserCreateInput, UserRoleUpdateInput } from '@candor/schema';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { hashPassword, verifyPassword } from '../../crypto/password.js';
import { hashToken, sameDigest } from '../../crypto/tokens.js';
import { AppError } from '../../http/app-error.js';
import { actorOf, type Principal } from './permissions.js';
import { createAdmin, createApiKey, login, SESSION_COOKIE } from './service.js';
import type { RoleChange } from './store.js';

/** The caller of an admin route (set by the authorization hook). */
export function principalOf(request: { principal?: Principal }): Principal {
  if (request.principal === undefined) throw new AppError('unauthenticated', 'Sign in first.');
  return request.principal;
}

/** Login, logout, the current user, users and API keys. */
export function registerAuthRoutes(app: FastifyInstance, context: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/v1/admin/login',
    {
      schema: {
        tags: ['admin'],
        summary: 'Open a dashboard session',
        body: LoginInput,
        response: { 200: SessionInfo },
      },
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const session = await login(context, request.body.email, request.body.password);
      void reply.setCookie(SESSION_COOKIE, session.cookie, {
        httpOnly: true,
        sameSite: 'strict',
        secure: context.config.secureCookies,
        path: '/',
        expires: new Date(session.expiresAt),
      });
      return {
        user: session.user,
        csrfToken: session.csrfToken,
        expiresAt: session.expiresAt,
        mustChangePassword: session.mustChangePassword,
      };
    },
  );
  r.post(
    '/v1/admin/logout',
    { schema: { tags: ['admin'], summary: 'Close the session (send the x-csrf-token header)' } },
    async (request, reply) => {
      const cookie = request.cookies[SESSION_COOKIE];
      const idHash = cookie === undefined || cookie === '' ? undefined : hashToken(cookie);
      const session = idHash === undefined ? undefined : await context.storage.getSession(idHash);
      if (idHash !== undefined && session !== undefined) {
        // Ending a live session is a state change like any other: another site must not force it.
        const sent = request.headers['x-csrf-token'];
        if (typeof sent !== 'string' || !sameDigest(hashToken(sent), hashToken(session.csrfToken))) {
          throw new AppError('csrf_failed', 'Send the csrfToken from the login response in the x-csrf-token header.');
        }
        await context.storage.deleteSession(idHash);
      }
      // Without a live session there is nothing to protect: the stale cookie is simply cleared.
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );
  r.get(
    '/v1/admin/me',
    { schema: { tags: ['admin'], summary: 'Who am I' }, config: { permission: 'read', beforePasswordChange: true } },
    async (request) => {
      const principal = principalOf(request);
      return principal.kind === 'user'
        ? {
            kind: 'user',
            id: principal.id,
            email: principal.email,
            role: principal.role,
            permissions: principal.permissions,
            mustChangePassword: principal.mustChangePassword,
            // A new tab of a signed-in dashboard reads its CSRF token here; the same-origin policy
            // keeps the answer from other sites (admin routes send no CORS headers).
            ...(principal.csrfToken === undefined ? {} : { csrfToken: principal.csrfToken }),
          }
        : { kind: 'api_key', id: principal.id, permissions: principal.permissions };
    },
  );
  r.post(
    '/v1/admin/me/password',
    {
      schema: {
        tags: ['admin'],
        summary: 'Change my password',
        body: z.object({ currentPassword: z.string().max(1024), newPassword: UserCreateInput.shape.password }),
      },
      config: { permission: 'read', beforePasswordChange: true },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.kind !== 'user') throw new AppError('forbidden', 'API keys have no password.');
      const user = await context.storage.getUser(principal.id);
      if (user === undefined || !(await verifyPassword(request.body.currentPassword, user.passwordHash))) {
        throw new AppError('forbidden', 'The current password is wrong.');
      }
      if (request.body.newPassword === request.body.currentPassword) {
        throw new AppError('bad_request', 'Choose a new password different from the current one.');
      }
      await replacePassword(context, user.id, await hashPassword(request.body.newPassword, context.config.scryptLogN));
      // Whoever knew the old password may hold another session: only the one that changed it stays.
      const ended = await context.storage.deleteOtherSessions(
        user.id,
        hashToken(request.cookies[SESSION_COOKIE] ?? ''),
      );
      await context.storage.appendAudit({
        at: context.clock(),
        actor: actorOf(principal),
        action: 'user.password',
        siteId: null,
        target: `users/${user.id}`,
        before: null,
        after: { otherSessionsEnded: ended },
      });
      return reply.status(204).send();
    },
  );
  r.get(
    '/v1/admin/users',
    { schema: { tags: ['admin'], summary: 'List admin users' }, config: { permission: 'admin:manage' } },
    async () =>
      (await context.storage.listUsers()).map((user) => ({
        id: user.id,
        email: user.email,
        role: user.role,
        createdAt: user.createdAt,
      })),
  );
  r.post(
    '/v1/admin/users',
    {
      schema: { tags: ['admin'], summary: 'Add an admin user', body: UserCreateInput },
      config: { permission: 'admin:manage' },
    },
    async (request, reply) => {
      const created = await createAdmin(context, request.body.email, request.body.role, request.body.password);
      await context.storage.appendAudit({
        at: context.clock(),
        actor: actorOf(principalOf(request)),
        action: 'user.create',
        siteId: null,
        target: `users/${created.id}`,
        before: null,
        after: { email: request.body.email, role: request.body.role },
      });
      return reply.status(201).send({ id: created.id, email: request.body.email, role: request.body.role });
    },
  );
  const UserParams = z.object({ id: z.string().min(1).max(100) });
  r.patch(
    '/v1/admin/users/:id',
    {
      schema: {
        tags: ['admin'],
        summary: "Change a user's role (takes effect on their next request; the last owner stays an owner)",
        params: UserParams,
        body: UserRoleUpdateInput,
      },
      config: { permission: 'admin:manage' },
    },
    async (request) => {
      const before = await context.storage.getUser(request.params.id);
      refuseUnlessDone(await context.storage.setUserRole(request.params.id, request.body.role), request.params.id);
      await context.storage.appendAudit({
        at: context.clock(),
        actor: actorOf(principalOf(request)),
        action: 'user.role',
        siteId: null,
        target: `users/${request.params.id}`,
        before: { role: before?.role },
        after: { role: request.body.role },
      });
      return { id: request.params.id, email: before?.email ?? '', role: request.body.role };
    },
  );
  r.delete(
    '/v1/admin/users/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Remove a user, end their sessions and revoke their API keys (not yourself, not the last owner)',
        params: UserParams,
      },
      config: { permission: 'admin:manage' },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.kind === 'user' && principal.id === request.params.id) {
        throw new AppError('conflict', 'You cannot remove yourself; ask another owner to do it.');
      }
      const before = await context.storage.getUser(request.params.id);
      refuseUnlessDone(await context.storage.deleteUser(request.params.id, context.clock()), request.params.id);
      await context.storage.appendAudit({
        at: context.clock(),
        actor: actorOf(principal),
        action: 'user.delete',
        siteId: null,
        target: `users/${request.params.id}`,
        before: { email: before?.email, role: before?.role },
        after: null,
      });
      return reply.status(204).send();
    },
  );
  r.get(
    '/v1/admin/api-keys',
    { schema: { tags: ['admin'], summary: 'List API keys' }, config: { permission: 'admin:manage' } },
    async () => (await context.storage.listApiKeys()).map(({ secretHash: _secret, ...key }) => key),
  );
  r.post(
    '/v1/admin/api-keys',
    {
      schema: { tags: ['admin'], summary: 'Create an API key (shown once)', body: ApiKeyCreateInput },
      config: { permission: 'admin:manage' },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const created = await createApiKey(context, principal, request.body.name, request.body.scopes);
      await context.storage.appendAudit({
        at: context.clock(),
        actor: actorOf(principal),
        action: 'api_key.create',
        siteId: null,
        target: `api-keys/${created.id}`,
        before: null,
        after: { name: request.body.name, scopes: request.body.scopes },
      });
      return reply.status(201).send(created);
    },
  );
  r.delete(
    '/v1/admin/api-keys/:id',
    {
      schema: { tags: ['admin'], summary: 'Revoke an API key', params: z.object({ id: z.string().max(100) }) },
      config: { permission: 'admin:manage' },
    },
    async (request, reply) => {
      if (!(await context.storage.revokeApiKey(request.params.id, context.clock()))) {
        throw new AppError('not_found', `No active API key ${request.params.id}.`);
      }
      await context.storage.appendAudit({
        at: context.clock(),
        actor: actorOf(principalOf(request)),
        action: 'api_key.revoke',
        siteId: null,
        target: `api-keys/${request.params.id}`,
        before: null,
        after: null,
      });
      return reply.status(204).send();
    },
  );
}

function refuseUnlessDone(change: RoleChange, userId: string): void {
  if (change === 'not_found') throw new AppError('not_found', `No user ${userId}.`);
  if (change === 'last_owner') {
    throw new AppError('conflict', 'This is the last owner: make another user an owner first.');
  }
}

async function replacePassword(context: AppContext, userId: string, passwordHash: string): Promise<void> {
  await context.storage.setPasswordHash(userId, passwordHash);
}
