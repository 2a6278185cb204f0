import type { Purpose } from '@candor/core';

/**
 * Maps a CMP's categories to Candor grants. A purpose is granted only when it has at least one
 * required category and every one of them is granted; a purpose without a mapping is denied.
 * Essential purposes need no grant and are left out. A contextual purpose rests on legitimate
 * interest, so only an explicit "no" from the CMP objects to it: unmapped, or with a category the
 * CMP does not mention, it is left out and stays as it was.
 */
export function purposeGrants(
  purposes: readonly Purpose[],
  categories: Readonly<Record<string, boolean>>,
  requirements: (purpose: Purpose) => readonly string[],
): Record<string, boolean> {
  const grants: Record<string, boolean> = {};
  for (const purpose of purposes) {
    if (purpose.class === 'essential') continue;
    const needed = requirements(purpose);
    if (purpose.class === 'contextual') {
      if (needed.some((category) => categories[category] === false)) grants[purpose.id] = false;
      else if (needed.length > 0 && needed.every((category) => categories[category] === true))
        grants[purpose.id] = true;
      continue;
    }
    grants[purpose.id] = needed.length > 0 && needed.every((category) => categories[category] === true);
  }
  return grants;
}

/** Reads `data-consent-map` (CMP category → purpose id or ids) into per-purpose requirements. */
export function parseSiteMap(raw: string | undefined): ((purpose: Purpose) => readonly string[]) | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw ?? '');
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const byPurpose = new Map<string, string[]>();
  for (const [category, target] of Object.entries(parsed)) {
    const ids: unknown[] = typeof target === 'string' ? [target] : Array.isArray(target) ? target : [undefined];
    for (const id of ids) {
      if (typeof id !== 'string') return undefined;
      byPurpose.set(id, [...(byPurpose.get(id) ?? []), category]);
    }
  }
  return (purpose) => byPurpose.get(purpose.id) ?? [];
}

/** The purpose ids a readable `data-consent-map` names, each once. */
export function mappedPurposeIds(raw: string): string[] {
  const parsed = JSON.parse(raw) as Record<string, string | string[]>;
  return [...new Set(Object.values(parsed).flat())];
}
