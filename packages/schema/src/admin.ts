import { z } from 'zod';

/** Admin roles, from most to least powerful. */
export const Role = z.enum(['owner', 'editor', 'viewer']);

/** What an API key or a role may do; every admin route needs exactly one. */
export const Permission = z.enum(['read', 'drafts:write', 'publish', 'visitors:manage', 'admin:manage']);

/** An admin's email; local domains (admin@localhost) are allowed for self-hosted installs. */
export const AdminEmail = z
  .string()
  .max(320)
  .regex(/^[^@\s]+@[^@\s]+$/, 'use an email address like name@example.com');

/** A login attempt. */
export const LoginInput = z.object({
  email: AdminEmail,
  password: z.string().min(1).max(1024),
});

/** The session a login opens; the CSRF token goes back in the `x-csrf-token` header. */
export const SessionInfo = z.object({
  user: z.object({ id: z.string(), email: z.string(), role: Role }),
  csrfToken: z.string(),
  expiresAt: z.number().int(),
  /** True for a generated one-time password: the dashboard should ask for a new one. */
  mustChangePassword: z.boolean(),
});

/** A new admin user. */
export const UserCreateInput = z.object({
  email: AdminEmail,
  password: z.string().min(12, 'use at least 12 characters').max(1024),
  role: Role,
});

/** A role change for an existing admin user. */
export const UserRoleUpdateInput = z.object({ role: Role });

/** A new API key; scopes cannot exceed the creator's role. */
export const ApiKeyCreateInput = z.object({
  name: z.string().min(1).max(100),
  scopes: z.array(Permission).min(1).max(5),
});

/** A publish request: warnings are acknowledged by their lint fingerprints. */
export const PublishInput = z.object({
  acknowledge: z.array(z.string().max(300)).max(500).default([]),
  note: z.string().max(500).optional(),
});

/** A rollback request: the version whose content becomes live again, as a new version. */
export const RollbackInput = z.object({ version: z.number().int().min(1) });

/** A webhook subscription; payloads never carry personal data. */
export const WebhookCreateInput = z.object({
  url: z.url().max(2000),
  events: z
    .array(z.enum(['snapshot.published', 'snapshot.rolled_back', 'experience.changed', 'measurement.refused']))
    .min(1),
});

/** An admin role. */
export type Role = z.infer<typeof Role>;
/** A permission. */
export type Permission = z.infer<typeof Permission>;
