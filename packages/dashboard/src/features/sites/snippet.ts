/** base64url of UTF-8 text, as the SDK's `data-public-key` attribute expects it. */
export function base64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A declared consent source as site settings hold it (docs/consent.md). */
interface ConsentSourceSetting {
  readonly name: string;
  readonly map: Readonly<Record<string, readonly string[]>>;
}

/** Escapes a value for a single-quoted HTML attribute (the map is JSON, full of double quotes). */
function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/</g, '&lt;');
}

/**
 * The script tag a site pastes into its `<head>`. Pinning the public key lets the SDK verify every
 * snapshot's signature before it touches the page; a declared consent source adds the attributes
 * that make the SDK read the site's CMP instead of showing its own prompt.
 */
export function siteSnippet(
  origin: string,
  siteKey: string,
  publicJwk: unknown,
  consentSource?: ConsentSourceSetting,
): string {
  const key = publicJwk === undefined ? '' : ` data-public-key="${base64Url(JSON.stringify(publicJwk))}"`;
  const map = consentSource && Object.keys(consentSource.map).length > 0 ? consentSource.map : undefined;
  const source = consentSource
    ? ` data-consent-source="${consentSource.name}"${map ? ` data-consent-map='${attribute(JSON.stringify(map))}'` : ''}`
    : '';
  return `<script src="${origin}/sdk/candor.js" data-site="${siteKey}"${key}${source}></script>`;
}
