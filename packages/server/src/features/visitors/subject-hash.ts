import { createHash } from 'node:crypto';

/**
 * The salted hash that stands for a visitor after erasure: salted with the site's random id, so it
 * proves "this request was handled" to someone holding the visitor id and reveals nothing otherwise.
 */
export function subjectHash(siteId: string, visitorId: string): string {
  return createHash('sha256').update(`${siteId}:${visitorId}`).digest('hex');
}
