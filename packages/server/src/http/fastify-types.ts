import type {} from '@fastify/cookie';
import type { Permission } from '@candor/schema';
import type { Principal } from '../features/auth/permissions.js';

// Route-level declarations the hooks read: an admin route names the one permission it needs, a
// public route may name a rate limit bucket.
declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: Permission;
    /** Open to a session still on a generated one-time password (who am I, change my password). */
    beforePasswordChange?: boolean;
    /** Public routes scoped to a site key: CORS follows that site's allowed origins. */
    siteCors?: boolean;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** Marker so this module's augmentation is imported for its types. */
export type FastifyAugmented = true;
