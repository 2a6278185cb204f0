import type { Permission, Role } from '@candor/schema';

/** What each role may do. Owners manage people, keys and visitor data; editors change and publish drafts. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  owner: ['read', 'drafts:write', 'publish', 'visitors:manage', 'admin:manage'],
  editor: ['read', 'drafts:write', 'publish'],
  viewer: ['read'],
};

/** Who is calling an admin route. */
export type Principal =
  | {
      readonly kind: 'user';
      readonly id: string;
      readonly email: string;
      readonly role: Role;
      readonly permissions: readonly Permission[];
      /** Set when the user came by cookie: state-changing requests must echo it. */
      readonly csrfToken: string | undefined;
      /** Signed in with a generated one-time password: only changing it is allowed. */
      readonly mustChangePassword: boolean;
    }
  | { readonly kind: 'api_key'; readonly id: string; readonly permissions: readonly Permission[] };

/** The actor string the audit log records. */
export function actorOf(principal: Principal): string {
  return `${principal.kind}:${principal.id}`;
}
