import type { Language } from '@candor/core';
import type { KeyValueStore } from '../store.js';
import type { ConsentChange } from './consent.js';
import { CREDENTIALS_KEY as KEY, readCredentials, type VisitorCredentials } from './credentials.js';

export type { VisitorCredentials } from './credentials.js';

/** What the notice looked like when the choice was made (hashed into the ledger record). */
export interface NoticeShown {
  readonly text: string;
  readonly language: Language;
  readonly policyVersion: string;
}

/** Talks to the server's visitor routes. Every call resolves; failures come back as `undefined`/`false`. */
export interface Ledger {
  /**
   * The record id of the appended choice; `'stale'` when the server refused it (409) because a
   * purpose text it answered has changed since (a newer snapshot was published); else `undefined`.
   */
  append(change: ConsentChange, notice: NoticeShown, gpcJs: boolean): Promise<string | 'stale' | undefined>;
  data(): Promise<unknown>;
  erase(): Promise<boolean>;
  deleteValue(field: string): Promise<boolean>;
  /** Keeps a declared value on the server (only called while sync and the field's purpose are granted). */
  putValue(field: string, value: unknown): Promise<boolean>;
  credentials(): VisitorCredentials | undefined;
  forget(): void;
}

/** Version of the consent UI, recorded with every ledger entry. */
export const UI_VERSION = 'sdk-0.1';

/** Creates a ledger client. Registration happens only with the first choice (the choice itself). */
export function createLedger(options: {
  api: string;
  siteKey: string;
  store: KeyValueStore;
  fetch: typeof fetch;
}): Ledger {
  const { api, siteKey, store } = options;
  const read = (): VisitorCredentials | undefined => readCredentials(store);
  const request = async (path: string, init: RequestInit, credentials?: VisitorCredentials): Promise<Response> =>
    options.fetch(`${api}${path}`, {
      ...init,
      credentials: 'omit',
      headers: {
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...(credentials ? { authorization: `Bearer ${credentials.token}` } : {}),
      },
    });
  const register = async (): Promise<VisitorCredentials | undefined> => {
    const known = read();
    if (known) return known;
    const response = await request(`/v1/sites/${encodeURIComponent(siteKey)}/visitors`, { method: 'POST' });
    if (!response.ok) return undefined;
    const body = (await response.json()) as VisitorCredentials;
    store.write(KEY, { visitorId: body.visitorId, token: body.token });
    return body;
  };
  return {
    async append(change, notice, gpcJs) {
      try {
        const credentials = await register();
        if (!credentials) return undefined;
        const response = await request(
          '/v1/visitor/consent',
          {
            method: 'POST',
            body: JSON.stringify({
              action: change.action,
              purposes: change.purposes,
              source: change.source,
              uiVersion: UI_VERSION,
              noticeVersion: notice.policyVersion,
              noticeTextHash: await sha256Hex(notice.text),
              language: notice.language,
              policyVersion: notice.policyVersion,
              gpcJs,
              // Absent (undefined, so not sent) for a choice made outside Candor's own texts.
              purposeVersions: change.purposeVersions,
            }),
          },
          credentials,
        );
        if (response.status === 409) return 'stale';
        if (!response.ok) return undefined;
        const record = (await response.json()) as { consentId?: string };
        return record.consentId;
      } catch {
        return undefined;
      }
    },
    async data() {
      const credentials = read();
      if (!credentials) return undefined;
      try {
        const response = await request('/v1/visitor/data', { method: 'GET' }, credentials);
        return response.ok ? ((await response.json()) as unknown) : undefined;
      } catch {
        return undefined;
      }
    },
    async erase() {
      const credentials = read();
      if (!credentials) return true;
      try {
        const response = await request('/v1/visitor/data', { method: 'DELETE' }, credentials);
        if (response.ok) store.remove(KEY);
        return response.ok;
      } catch {
        return false;
      }
    },
    async deleteValue(field) {
      const credentials = read();
      if (!credentials) return true;
      try {
        const path = `/v1/visitor/data/${encodeURIComponent(field)}`;
        return (await request(path, { method: 'DELETE' }, credentials)).ok;
      } catch {
        return false;
      }
    },
    async putValue(field, value) {
      const credentials = read();
      if (!credentials) return false;
      try {
        const path = `/v1/visitor/data/${encodeURIComponent(field)}`;
        const body = JSON.stringify({ value, source: 'declared' });
        return (await request(path, { method: 'PUT', body }, credentials)).ok;
      } catch {
        return false;
      }
    },
    credentials: read,
    forget: () => store.remove(KEY),
  };
}

/** SHA-256 of a text as lowercase hex (the ledger's `noticeTextHash`). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
