import type { ConsentEventInput, ConsentRecord } from '@candor/schema';
import type { IncomingHttpHeaders } from 'node:http';
import type { AppContext } from '../../context.js';
import { randomId } from '../../crypto/tokens.js';
import { AppError } from '../../http/app-error.js';
import type { LiveSnapshot } from '../publish/snapshot-cache.js';
import type { SiteRecord } from '../sites/store.js';
import type { VisitorRecord } from '../visitors/store.js';
import { subjectHash } from '../visitors/subject-hash.js';
import type { ConsentRow } from './store.js';

const DAY = 86_400_000;
/** Consent is asked again after at most 13 months (docs/privacy.md §5 B11). */
export const CONSENT_LIFETIME_MS = 395 * DAY;
/** A refusal is remembered at least 6 months (docs/privacy.md §5 B11). */
export const REFUSAL_LIFETIME_MS = 183 * DAY;
/** The purpose whose grant lets values reach the server (docs/privacy.md §2). */
export const SERVER_STORAGE_PURPOSE = 'sync';

/** Whether a privacy header carries the exact value `1` (docs/privacy.md §1: any header equal to 1 wins). */
export function signalOn(value: string | string[] | undefined): boolean {
  const values = Array.isArray(value) ? value : value === undefined ? [] : value.split(',');
  return values.some((item) => item.trim() === '1');
}

/** Reads a stored ledger row as the §6 record it is. */
export function toConsentRecord(row: ConsentRow): ConsentRecord | undefined {
  if (row.payload === null) return undefined;
  return {
    ...(JSON.parse(row.payload) as Omit<ConsentRecord, 'previousHash' | 'hash'>),
    previousHash: row.prevHash,
    hash: row.hash,
  };
}

/** The purposes a visitor's latest, unexpired consent grants (pending means denied). */
export async function grantedPurposes(context: AppContext, visitorId: string): Promise<Set<string>> {
  const latest = await context.storage.latestConsent(visitorId);
  if (latest === undefined || latest.expiresAt <= context.clock()) return new Set();
  const record = toConsentRecord(latest);
  return new Set(Object.entries(record?.purposes ?? {}).flatMap(([id, status]) => (status === 'granted' ? [id] : [])));
}

/**
 * Appends a consent event with every docs/privacy.md §6 field, the Sec-GPC/DNT headers as signals, and
 * deletes at once the server values of every purpose it does not grant.
 */
export async function recordConsent(
  context: AppContext,
  site: SiteRecord,
  live: LiveSnapshot | undefined,
  visitor: VisitorRecord,
  input: ConsentEventInput,
  headers: IncomingHttpHeaders,
): Promise<ConsentRecord> {
  if (live !== undefined) {
    const known = new Set(
      JSON.parse(live.snapshot.body).purposes.map((purpose: { id: string }) => purpose.id) as string[],
    );
    const unknown = Object.keys(input.purposes).filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new AppError(
        'unknown_reference',
        `Unknown purpose(s) ${unknown.join(', ')}: use the ids of the live snapshot.`,
      );
    }
  }
  const now = context.clock();
  const anyGranted = Object.values(input.purposes).includes('granted');
  const record: Omit<ConsentRecord, 'previousHash' | 'hash'> = {
    consentId: randomId('cns'),
    createdAt: now,
    updatedAt: now,
    action: input.action,
    purposes: input.purposes,
    source: input.source,
    uiVersion: input.uiVersion,
    noticeVersion: input.noticeVersion,
    noticeTextHash: input.noticeTextHash,
    language: input.language,
    policyVersion: input.policyVersion,
    signals: { gpc: signalOn(headers['sec-gpc']) || input.gpcJs === true, dnt: signalOn(headers['dnt']) },
    expiresAt: now + (anyGranted ? CONSENT_LIFETIME_MS : REFUSAL_LIFETIME_MS),
  };
  const { prevHash, hash } = await context.storage.appendConsent({
    siteId: site.id,
    visitorId: visitor.id,
    subjectHash: subjectHash(site.id, visitor.id),
    consentId: record.consentId,
    createdAt: now,
    expiresAt: record.expiresAt,
    payload: JSON.stringify(record),
  });
  // Withdrawal is immediate (docs/privacy.md §9 principle 4): values under a purpose not granted now go.
  const granted = new Set(Object.entries(input.purposes).flatMap(([id, status]) => (status === 'granted' ? [id] : [])));
  if (!granted.has(SERVER_STORAGE_PURPOSE)) {
    await context.storage.deleteValuesByPurpose(visitor.id, 'all');
  } else {
    const held = await context.storage.listValues(visitor.id);
    await context.storage.deleteValuesByPurpose(
      visitor.id,
      [...new Set(held.map((value) => value.purpose))].filter((purpose) => !granted.has(purpose)),
    );
  }
  return { ...record, previousHash: prevHash, hash };
}
