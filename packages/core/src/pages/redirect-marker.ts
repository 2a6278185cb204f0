/**
 * The query parameter a split-URL redirect adds to the landing URL, valued with the experience id.
 * It is the loop guard (a URL carrying it for an experience is never redirected by that experience
 * again) and what lets the landing page's "Why?" say the visitor was sent there.
 */
export const REDIRECT_MARKER = 'candor_redirected';

/**
 * The experience whose redirect marker a URL carries, if any. Kept apart from the redirect itself
 * and small: the lazy UI chunk's explanations read it, and that chunk has a fixed byte budget.
 */
export function redirectedBy(url: string): string | undefined {
  const query = url.split('#')[0]?.split('?')[1] ?? '';
  for (const part of query.split('&')) {
    if (!part.startsWith(`${REDIRECT_MARKER}=`)) continue;
    try {
      return decodeURIComponent(part.slice(REDIRECT_MARKER.length + 1));
    } catch {
      return undefined;
    }
  }
  return undefined;
}
