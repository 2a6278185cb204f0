import { z } from 'zod';

// Only the parts of a GrowthBook SDK payload the importer reads are typed here. Objects stay loose
// (unknown keys are kept) so that a rule property the importer does not understand can be listed in
// the report instead of vanishing during parsing. Every list is bounded: the file comes from outside.

const Json: z.ZodType<unknown> = z.unknown();

/** One entry of a rule's `meta`: the variation's key and name as GrowthBook shows them. */
const VariationMeta = z.looseObject({
  key: z.string().max(200).optional(),
  name: z.string().max(200).optional(),
  passthrough: z.boolean().optional(),
});

/** A feature rule: a forced value (optionally a percentage rollout) or an experiment. */
export const GrowthBookRule = z.looseObject({
  id: z.string().max(200).optional(),
  condition: z.record(z.string(), Json).optional(),
  force: Json.optional(),
  variations: z.array(Json).max(20).optional(),
  weights: z.array(z.number()).max(20).optional(),
  key: z.string().max(200).optional(),
  hashAttribute: z.string().max(200).optional(),
  hashVersion: z.number().optional(),
  coverage: z.number().optional(),
  namespace: z.tuple([z.string().max(64), z.number(), z.number()]).optional(),
  meta: z.array(VariationMeta).max(20).optional(),
  seed: z.string().max(200).optional(),
  name: z.string().max(200).optional(),
});

/** A feature: its default value and rules in the order GrowthBook evaluates them. */
export const GrowthBookFeature = z.looseObject({
  defaultValue: Json.optional(),
  rules: z.array(GrowthBookRule).max(100).optional(),
});

/** A GrowthBook SDK features payload (what its SDK endpoint serves), decrypted. */
export const GrowthBookPayload = z.looseObject({
  features: z
    .record(z.string().max(200), GrowthBookFeature)
    .refine((features) => Object.keys(features).length <= 2000, {
      message: 'at most 2,000 features per import; split the payload',
    }),
  experiments: z
    .array(z.looseObject({ key: z.string().max(200).optional() }))
    .max(500)
    .optional(),
  savedGroups: z
    .record(z.string().max(64), z.array(z.union([z.string(), z.number(), z.boolean()])).max(1000))
    .optional(),
  encryptedFeatures: z.string().optional(),
});

/** A parsed GrowthBook rule. */
export type GrowthBookRule = z.infer<typeof GrowthBookRule>;
/** A parsed GrowthBook feature. */
export type GrowthBookFeature = z.infer<typeof GrowthBookFeature>;
/** A parsed GrowthBook payload. */
export type GrowthBookPayload = z.infer<typeof GrowthBookPayload>;
