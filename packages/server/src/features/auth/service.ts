import type {} from '../../http/fastify-types.js';
import type { Permission, Role } from '@candor/schema';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { hashPassword, verifyPassword } from '../../crypto/password.js';
import { hashToken, randomId, randomToken, sameDigest } from '../../crypto/tokens.js';
import { AppError } from '../../http/app-error.js';
import { ROLE_PERMISSIONS, type Principal } from './permissions.js';
import type { ApiKeyRecord, UserRecord } from './store.js';

/** The session cookie's name. */
export const SESSION_COOKIE = 'candor_session';
const API_KEY_PREFIX = 'cnd_';

// A fixed hash to compare against when the email is unknown, so a login takes as long either way.
let dummyHash: Promise<string> | undefined;

/** Checks a login and opens a session; the cookie value is returned once and stored only hashed. */
export async function login(
  context: AppContext,
  email: string,
  password: string,
): Promise<{
  cookie: string;
  csrfToken: string;
  expiresAt: number;
  mustChangePassword: boolean;
  user: { id: string; email: string; role: Role };
}> {
  const user = await context.storage.getUserByEmail(email);
  dummyHash ??= hashPassword('candor-timing-equaliser', context.config.scryptLogN);
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash));
  if (user === undefined || !ok) throw new AppError('unauthenticated', 'The email or password is wrong.');
  const cookie = randomToken();
  const csrfToken = randomToken();
  const expiresAt = context.clock() + context.config.sessionTtlMs;
  await context.storage.createSession({ idHash: hashToken(cookie), userId: user.id, csrfToken, expiresAt });
  return {
    cookie,
    csrfToken,
    expiresAt,
    mustChangePassword: user.mustChangePassword,
    user: { id: user.id, email: user.email, role: user.role },
  };
}

/** Creates an admin user; when no password is given one is generated and returned once. */
export async function createAdmin(
  context: AppContext,
  email: string,
  role: Role,
  password?: string,
): Promise<{ id: string; password: string }> {
  if ((await context.storage.getUserByEmail(email)) !== undefined) {
    throw new AppError('conflict', `A user with email ${email} already exists.`);
  }
  const chosen = password ?? randomToken(18);
  const id = randomId('usr');
  await context.storage.createUser({
    id,
    email,
    passwordHash: await hashPassword(chosen, context.config.scryptLogN),
    role,
    mustChangePassword: password === undefined,
    createdAt: context.clock(),
  });
  return { id, password: chosen };
}

/** Creates an API key; the secret is returned once (`cnd_<id>.<secret>`). */
export async function createApiKey(
  context: AppContext,
  creator: Principal,
  name: string,
  scopes: readonly Permission[],
): Promise<{ id: string; key: string }> {
  const excess = scopes.filter((scope) => !creator.permissions.includes(scope));
  if (excess.length > 0)
    throw new AppError('forbidden', `You cannot grant scopes you do not have: ${excess.join(', ')}.`);
  const id = randomId('key');
  const secret = randomToken();
  await context.storage.createApiKey({
    id,
    name,
    secretHash: hashToken(secret),
    scopes,
    createdBy: `${creator.kind}:${creator.id}`,
    createdAt: context.clock(),
    revokedAt: null,
  });
  return { id, key: `${API_KEY_PREFIX}${id}.${secret}` };
}

/** Works out who is calling: a Bearer API key or a session cookie; undefined when neither is valid. */
export async function authenticate(context: AppContext, request: FastifyRequest): Promise<Principal | undefined> {
  const header = request.headers.authorization;
  if (header !== undefined && header.startsWith(`Bearer ${API_KEY_PREFIX}`)) {
    const [id, secret] = header.slice(`Bearer ${API_KEY_PREFIX}`.length).split('.');
    if (id === undefined || secret === undefined) return undefined;
    const key = await context.storage.getApiKey(id);
    if (key === undefined || key.revokedAt !== null || !sameDigest(hashToken(secret), key.secretHash)) return undefined;
    const owner = await keyOwner(context, key);
    if (owner === undefined) return undefined;
    // Scopes are a ceiling chosen at creation; the owner's role today is the other ceiling.
    const allowed = ROLE_PERMISSIONS[owner.role];
    return {
      kind: 'api_key',
      id: key.id,
      permissions: (key.scopes as Permission[]).filter((scope) => allowed.includes(scope)),
    };
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (cookie === undefined || cookie === '') return undefined;
  const session = await context.storage.getSession(hashToken(cookie));
  if (session === undefined || session.expiresAt <= context.clock()) return undefined;
  const user = await context.storage.getUser(session.userId);
  if (user === undefined) return undefined;
  return {
    kind: 'user',
    id: user.id,
    email: user.email,
    role: user.role,
    permissions: ROLE_PERMISSIONS[user.role],
    csrfToken: session.csrfToken,
    mustChangePassword: user.mustChangePassword,
  };
}

// Keys minted by keys form a chain back to a user; a longer chain than this is refused, not followed.
const MAX_KEY_CHAIN = 8;

/**
 * The user a key acts for: its creator, or for a key minted with another key, that key's owner. A key
 * whose user is gone, or any of whose ancestors is revoked, has no owner and so no rights at all.
 */
async function keyOwner(context: AppContext, key: ApiKeyRecord): Promise<UserRecord | undefined> {
  let createdBy = key.createdBy;
  for (let hop = 0; hop < MAX_KEY_CHAIN; hop += 1) {
    const separator = createdBy.indexOf(':');
    const kind = createdBy.slice(0, separator);
    const id = createdBy.slice(separator + 1);
    if (kind === 'user') return context.storage.getUser(id);
    if (kind !== 'api_key') return undefined;
    const parent = await context.storage.getApiKey(id);
    if (parent === undefined || parent.revokedAt !== null) return undefined;
    createdBy = parent.createdBy;
  }
  return undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a request whose principal lacks a permission, a cookie request without its CSRF token, and,
 * for a user still on a generated one-time password, every route not marked `beforePasswordChange`.
 */
export function authorize(
  principal: Principal | undefined,
  permission: Permission,
  request: FastifyRequest,
): Principal {
  if (principal === undefined) {
    throw new AppError(
      'unauthenticated',
      'Sign in (POST /v1/admin/login) or send an API key as "Authorization: Bearer cnd_…".',
    );
  }
  if (principal.kind === 'user' && principal.csrfToken !== undefined && !SAFE_METHODS.has(request.method)) {
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || sent !== principal.csrfToken) {
      throw new AppError('csrf_failed', 'Send the csrfToken from the login response in the x-csrf-token header.');
    }
  }
  if (
    principal.kind === 'user' &&
    principal.mustChangePassword &&
    request.routeOptions.config.beforePasswordChange !== true
  ) {
    // A one-time password travels by email or chat; until it is replaced it must not be worth stealing.
    throw new AppError(
      'forbidden',
      'Change your one-time password first (POST /v1/admin/me/password); until then no other admin route is open.',
    );
  }
  if (!principal.permissions.includes(permission)) {
    throw new AppError('forbidden', `This needs the "${permission}" permission, which your role or key does not have.`);
  }
  return principal;
}
