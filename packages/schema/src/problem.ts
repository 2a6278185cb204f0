import { z } from 'zod';

/** The one error shape every route answers with (RFC 9457 `application/problem+json`). */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  instance: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  findings: z.array(z.unknown()).optional(),
});

/** A problem as served. */
export type Problem = z.infer<typeof Problem>;
