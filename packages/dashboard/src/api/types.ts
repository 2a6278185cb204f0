// Types of @candor/schema values the schema package exports as zod schemas only; inferred here once.
import type {
  Language as LanguageSchema,
  LocalizedText as LocalizedTextSchema,
  SlotContent as SlotContentSchema,
} from '@candor/schema';
import type { z } from 'zod';

/** A supported visitor and UI language. */
export type Language = z.infer<typeof LanguageSchema>;
/** Text in every supported language. */
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;
/** What a variant puts into a slot. */
export type SlotContent = z.infer<typeof SlotContentSchema>;
