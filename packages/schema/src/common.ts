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

/** Languages Candor ships; each site chooses the ones it writes its texts in (`SiteSettingsInput.languages`). */
export const Language = z.enum(['en', 'zh-Hant']);

/**
 * Visitor-facing text by language. A language the site does not write may be left out (it reads as
 * ''); which languages must be written is the site's choice, checked by `missingTexts`, and publish
 * fills the rest from the default language (`fillLanguages`).
 */
export const LocalizedText = z.object({
  en: z.string().max(4000).default(''),
  'zh-Hant': z.string().max(4000).default(''),
});

/** A short visitor-facing text that must not be empty in any of the site's languages (`missingTexts`). */
export const RequiredLocalizedText = LocalizedText.refine(
  (text) => text.en.trim() !== '' || text['zh-Hant'].trim() !== '',
  'write the text in the site’s languages',
);

/** Epoch milliseconds, the one time format on the wire. */
export const EpochMs = z.number().int().nonnegative();
