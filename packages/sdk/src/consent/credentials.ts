import { isRecord, type KeyValueStore } from '../store.js';

/** The visitor's pseudonymous server identity; the token alone reads or erases their server data. */
export interface VisitorCredentials {
  readonly visitorId: string;
  readonly token: string;
}

/** Where the credentials from registration are kept on the device (beside the consent choice). */
export const CREDENTIALS_KEY = 'visitor';

/**
 * The credentials the server issued at the visitor's first choice, if any. They are the one visitor
 * identity: the ledger, reports and bucketing all use the id the server issued, never a local one.
 */
export function readCredentials(store: KeyValueStore): VisitorCredentials | undefined {
  const value = store.read(CREDENTIALS_KEY);
  return isRecord(value) && typeof value['visitorId'] === 'string' && typeof value['token'] === 'string'
    ? { visitorId: value['visitorId'], token: value['token'] }
    : undefined;
}
