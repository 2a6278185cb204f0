import { z } from 'zod';

/** An id an admin chooses (purpose, audience, experience, metric): short, URL-safe, stable across publishes. */
export const EntityId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'use letters, digits, "_", "-" or "." and start with a letter or digit');

/** A field key: the attribute name conditions read; dots reach inside objects. */
export const FieldKey = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'use letters, digits, "_", "-" or "." and start with a letter or "_"');

/** A public site key, as it appears in snapshot and privacy URLs. */
export const SiteKey = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'use lowercase letters, digits, "_" or "-"');

/** Languages every visitor-facing text must exist in. */
export const Language = z.enum(['en', 'zh-Hant']);

/** Visitor-facing text in every supported language, so no visitor sees an untranslated string. */
export const LocalizedText = z.object({
  en: z.string().max(4000),
  'zh-Hant': z.string().max(4000),
});

/** A short visitor-facing text that must not be empty in either language. */
export const RequiredLocalizedText = z.object({
  en: z.string().min(1, 'write the English text').max(4000),
  'zh-Hant': z.string().min(1, 'write the Traditional Chinese text').max(4000),
});

/** Epoch milliseconds, the one time format on the wire. */
export const EpochMs = z.number().int().nonnegative();
