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
  /** True when the figures are the demo seed's generated ones (older servers omit it). */
  demoData: z.boolean().optional(),
  method: z.enum(['frequentist', 'sequential', 'bayesian']),
  cuped: z.boolean(),
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
      rate: z.number(),
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
