import { SiteSettingsInput } from '@candor/schema';

/** The CMPs a site may declare as its consent source, as the schema lists them. */
export const CONSENT_SOURCE_NAMES = SiteSettingsInput.shape.consentSource.unwrap().shape.name.options;

/**
 * Reads the form's consent-source controls into the settings value: no name means Candor's own
 * prompt; the map is JSON (CMP category → purpose id or ids), empty for a source's own table. A
 * single id is accepted and stored as a one-item list. Unreadable JSON is passed on as written, so
 * the schema reports it beside the field.
 */
export function readConsentSource(name: string, mapText: string): { name: string; map: unknown } | undefined {
  if (name === '') return undefined;
  const text = mapText.trim();
  if (text === '') return { name, map: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { name, map: text };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { name, map: parsed };
  const map = Object.fromEntries(
    Object.entries(parsed).map(([category, ids]) => [category, typeof ids === 'string' ? [ids] : ids]),
  );
  return { name, map };
}

/** The map as the form shows it: one-item lists written as a single id. */
export function showConsentMap(map: Readonly<Record<string, readonly string[]>> | undefined): string {
  if (map === undefined || Object.keys(map).length === 0) return '';
  const compact = Object.fromEntries(Object.entries(map).map(([k, ids]) => [k, ids.length === 1 ? ids[0] : ids]));
  return JSON.stringify(compact);
}
