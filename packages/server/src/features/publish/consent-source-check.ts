import type { Purpose } from '@candor/core';
import type { SiteSettingsRecord } from '../sites/store.js';

/**
 * The purpose ids a declared consent source's map names that the site does not have. Such an id
 * would grant nothing and show on the trust page as a code, so storing a snapshot refuses it.
 */
export function unknownMappedPurposes(
  consentSource: SiteSettingsRecord['consentSource'],
  purposes: readonly Pick<Purpose, 'id'>[],
): string[] {
  const known = new Set(purposes.map((purpose) => purpose.id));
  const named = Object.values(consentSource?.map ?? {}).flat();
  return [...new Set(named.filter((id) => !known.has(id)))];
}
