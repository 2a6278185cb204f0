/** base64url of UTF-8 text, as the SDK's `data-public-key` attribute expects it. */
export function base64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The script tag a site pastes into its `<head>`. Pinning the public key lets the SDK verify every
 * snapshot's signature before it touches the page.
 */
export function siteSnippet(origin: string, siteKey: string, publicJwk: unknown): string {
  const key = publicJwk === undefined ? '' : ` data-public-key="${base64Url(JSON.stringify(publicJwk))}"`;
  return `<script src="${origin}/sdk/candor.js" data-site="${siteKey}"${key}></script>`;
}
