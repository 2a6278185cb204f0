import type { Transaction } from 'kysely';
import type { Database } from '../../storage/database.js';
import type { DbHandle } from '../../storage/db-handle.js';

/** An admin user as stored. */
export interface UserRecord {
  readonly id: string;
  readonly email: string;
  readonly passwordHash: string;
  readonly role: 'owner' | 'editor' | 'viewer';
  readonly mustChangePassword: boolean;
  readonly createdAt: number;
}

/** A session as stored (keyed by the hash of the cookie value). */
export interface SessionRecord {
  readonly idHash: string;
  readonly userId: string;
  readonly csrfToken: string;
  readonly expiresAt: number;
}

/** An API key as stored. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly secretHash: string;
  readonly scopes: readonly string[];
  readonly createdBy: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

/** What a role change or removal did: done, or refused because of who the user is. */
export type RoleChange = 'done' | 'not_found' | 'last_owner';

/** Storage of admin users, sessions and API keys. */
export interface AuthStore {
  createUser(user: UserRecord): Promise<void>;
  getUserByEmail(email: string): Promise<UserRecord | undefined>;
  getUser(id: string): Promise<UserRecord | undefined>;
  countUsers(): Promise<number>;
  /** Replaces a password hash and clears the must-change flag. */
  setPasswordHash(userId: string, passwordHash: string): Promise<void>;
  listUsers(): Promise<UserRecord[]>;
  /**
   * Changes a user's role unless that would leave no owner: the check and the write are one
   * statement, so two owners demoting each other at once cannot both succeed.
   */
  setUserRole(userId: string, role: UserRecord['role']): Promise<RoleChange>;
  /**
   * Removes a user, every session of theirs and every API key they made (and keys those keys made),
   * unless they are the last owner. `now` is the keys' revocation time.
   */
  deleteUser(userId: string, now?: number): Promise<RoleChange>;
  createSession(session: SessionRecord): Promise<void>;
  getSession(idHash: string): Promise<SessionRecord | undefined>;
  deleteSession(idHash: string): Promise<void>;
  /** Ends every session of a user but the one kept (a password change keeps the session that made it). */
  deleteOtherSessions(userId: string, keepIdHash: string): Promise<number>;
  deleteExpiredSessions(now: number): Promise<number>;
  createApiKey(key: ApiKeyRecord): Promise<void>;
  getApiKey(id: string): Promise<ApiKeyRecord | undefined>;
  listApiKeys(): Promise<ApiKeyRecord[]>;
  /** Revokes an active key and every active key minted with it (directly or further down). */
  revokeApiKey(id: string, now: number): Promise<boolean>;
}

interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  role: string;
  must_change_password: number;
  created_at: number;
}

interface ApiKeyRow {
  id: string;
  name: string;
  secret_hash: string;
  scopes: string;
  created_by: string;
  created_at: number;
  revoked_at: number | null;
}

function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    email: row.email,
    passwordHash: row.password_hash,
    role: row.role as UserRecord['role'],
    mustChangePassword: Number(row.must_change_password) === 1,
    createdAt: Number(row.created_at),
  };
}

function toApiKey(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    secretHash: row.secret_hash,
    scopes: JSON.parse(row.scopes) as string[],
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
  };
}

/**
 * Revokes every active key whose creator is one of `creators` (`user:<id>` or `api_key:<id>`), then
 * the keys those keys made, until none is left. A revoked key is never selected again, so it ends.
 */
async function revokeKeysMadeBy(trx: Transaction<Database>, creators: string[], now: number): Promise<void> {
  let current = creators;
  while (current.length > 0) {
    const made = await trx
      .selectFrom('api_keys')
      .select('id')
      .where('created_by', 'in', current)
      .where('revoked_at', 'is', null)
      .execute();
    if (made.length === 0) return;
    const ids = made.map((key) => key.id);
    await trx.updateTable('api_keys').set({ revoked_at: now }).where('id', 'in', ids).execute();
    current = ids.map((id) => `api_key:${id}`);
  }
}

/** Admin auth over Kysely. */
export function createAuthStore({ db, dialect }: DbHandle): AuthStore {
  /**
   * Runs a change to one user unless it would leave the site with no owner. On PostgreSQL the owner
   * rows are locked first, so two owners demoting each other at once cannot both succeed; SQLite
   * runs one write transaction at a time.
   */
  const changeOwners = (
    userId: string,
    staysOwner: boolean,
    change: (trx: Transaction<Database>) => Promise<unknown>,
  ): Promise<RoleChange> =>
    db.transaction().execute(async (trx) => {
      const ownersQuery = trx.selectFrom('users').select('id').where('role', '=', 'owner');
      const owners = await (dialect === 'postgres' ? ownersQuery.forUpdate() : ownersQuery).execute();
      const user = await trx.selectFrom('users').select('role').where('id', '=', userId).executeTakeFirst();
      if (user === undefined) return 'not_found';
      if (user.role === 'owner' && !staysOwner && owners.length <= 1) return 'last_owner';
      await change(trx);
      return 'done';
    });
  return {
    async createUser(user) {
      await db
        .insertInto('users')
        .values({
          id: user.id,
          email: user.email.toLowerCase(),
          password_hash: user.passwordHash,
          role: user.role,
          must_change_password: user.mustChangePassword ? 1 : 0,
          created_at: user.createdAt,
        })
        .execute();
    },
    async getUserByEmail(email) {
      const row = await db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
      return row === undefined ? undefined : toUser(row);
    },
    async getUser(id) {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toUser(row);
    },
    async countUsers() {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number | string>().as('count'))
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },
    async setPasswordHash(userId, passwordHash) {
      await db
        .updateTable('users')
        .set({ password_hash: passwordHash, must_change_password: 0 })
        .where('id', '=', userId)
        .execute();
    },
    async listUsers() {
      return (await db.selectFrom('users').selectAll().orderBy('created_at').execute()).map(toUser);
    },
    async setUserRole(userId, role) {
      return changeOwners(userId, role === 'owner', (trx) =>
        trx.updateTable('users').set({ role }).where('id', '=', userId).execute(),
      );
    },
    async deleteUser(userId, now = Date.now()) {
      return changeOwners(userId, false, async (trx) => {
        await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
        await revokeKeysMadeBy(trx, [`user:${userId}`], now);
        await trx.deleteFrom('users').where('id', '=', userId).execute();
      });
    },
    async createSession(session) {
      await db
        .insertInto('sessions')
        .values({
          id_hash: session.idHash,
          user_id: session.userId,
          csrf_token: session.csrfToken,
          expires_at: session.expiresAt,
        })
        .execute();
    },
    async getSession(idHash) {
      const row = await db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
      return row === undefined
        ? undefined
        : { idHash: row.id_hash, userId: row.user_id, csrfToken: row.csrf_token, expiresAt: Number(row.expires_at) };
    },
    async deleteSession(idHash) {
      await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    },
    async deleteOtherSessions(userId, keepIdHash) {
      const result = await db
        .deleteFrom('sessions')
        .where('user_id', '=', userId)
        .where('id_hash', '!=', keepIdHash)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async deleteExpiredSessions(now) {
      const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async createApiKey(key) {
      await db
        .insertInto('api_keys')
        .values({
          id: key.id,
          name: key.name,
          secret_hash: key.secretHash,
          scopes: JSON.stringify(key.scopes),
          created_by: key.createdBy,
          created_at: key.createdAt,
          revoked_at: key.revokedAt,
        })
        .execute();
    },
    async getApiKey(id) {
      const row = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toApiKey(row);
    },
    async listApiKeys() {
      return (await db.selectFrom('api_keys').selectAll().orderBy('created_at').execute()).map(toApiKey);
    },
    async revokeApiKey(id, now) {
      return db.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable('api_keys')
          .set({ revoked_at: now })
          .where('id', '=', id)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) return false;
        await revokeKeysMadeBy(trx, [`api_key:${id}`], now);
        return true;
      });
    },
  };
}
