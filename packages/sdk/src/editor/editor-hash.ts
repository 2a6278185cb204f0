// In the head (`candor.js`), so it stays tiny: the editor bundle is fetched only when the URL carries
// a well-formed, unexpired `#candor-editor=<token>`. The server still checks the signature; this only
// keeps a stale or mangled link from loading a single editor byte.

/** The editor token in a URL fragment, when it is well-formed and its claimed expiry is ahead of `now`. */
export function editorToken(hash: string, now: number): string | undefined {
  const match = /^#candor-editor=(ce1\.([\w-]+)\.[\w-]+)$/.exec(hash);
  try {
    // base64url → base64; atob accepts the missing padding. Only a hint: the server checks the MAC.
    return match && JSON.parse(atob(match[2]!.replace(/-/g, '+').replace(/_/g, '/'))).exp > now ? match[1] : undefined;
  } catch {
    return undefined;
  }
}
