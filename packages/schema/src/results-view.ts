// The results response as the dashboard reads it (the server sends more; zod drops what is not named).
import { z } from 'zod';

const Interval = z.tuple([z.number(), z.number()]);

/** `GET /v1/admin/sites/:site/experiences/:id/results?metric=<id>`: the stats package's analysis of one goal. */
export const ExperienceResults = z.object({
  experienceId: z.string(),
  metricId: z.string(),
  /** Lower is better for this metric (older servers omit it). */
  lowerIsBetter: z.boolean().optional(),
  computedAt: z.number(),
  /** The population results describe: visitors who allowed measurement. */
  population: z.literal('measurement_granted'),
  /** True when the figures are the demo seed's generated ones (`?data=demo`); real visitors' otherwise. */
  demoData: z.boolean().optional(),
  /** The site also has demo figures, kept apart from real ones (ask with `?data=demo`). */
  demoAvailable: z.boolean().optional(),
  /** Reports no consented visitor could be found for: counted, never added to these figures. */
  unattributedReports: z.number().int().nonnegative().optional(),
  method: z.enum(['frequentist', 'sequential', 'bayesian']),
  cuped: z.boolean(),
  /** The one error budget across every alarm on the page (older servers omit it). */
  correction: z
    .object({
      method: z.enum(['holm', 'bh', 'none']),
      family: z.number(),
      alpha: z.number(),
    })
    .optional(),
  differentialPrivacy: z.object({ epsilon: z.number(), spent: z.number() }).nullable(),
  srm: z.object({ pValue: z.number(), flagged: z.boolean() }),
  variants: z.array(
    z.object({
      variantId: z.string(),
      n: z.number(),
      mean: z.number(),
      lift: z.number().nullable(),
      interval: Interval.nullable(),
      pValue: z.number().nullable(),
    }),
  ),
  series: z.array(z.object({ at: z.number(), variantId: z.string(), lift: z.number(), interval: Interval })),
  guardrails: z.array(
    z.object({
      event: z.enum(['opt_out', 'not_relevant', 'preference_center']),
      variantId: z.string(),
      /** Null when an arm is below the privacy threshold k. */
      rate: z.number().nullable(),
      flagged: z.boolean(),
    }),
  ),
  verdict: z.object({
    status: z.enum(['better', 'worse', 'inconclusive', 'not_enough_data']),
    text: z.string(),
    caveats: z.array(z.string()),
  }),
});
/** An experience's results. */
export type ExperienceResults = z.infer<typeof ExperienceResults>;

/** `GET /v1/admin/sites/:site/experiences/:id/plan?effect=…`: how long the page's own test needs at today's traffic. */
export const ExperiencePlan = z.object({
  engine: z.enum(['frequentist', 'sequential', 'bayesian']),
  power: z.number(),
  plannedPower: z.number().nullable(),
  testAlpha: z.number(),
  family: z.number(),
  perVariant: z.number().nullable(),
  totalVisitors: z.number().nullable(),
  days: z.number().nullable(),
  reason: z.enum(['PLANNED', 'EFFECT_TOO_SMALL', 'TARGET_REACHED', 'NO_TRAFFIC', 'PRIVATE_TRAFFIC']),
});
/** A plan as the dashboard reads it. */
export type ExperiencePlan = z.infer<typeof ExperiencePlan>;
