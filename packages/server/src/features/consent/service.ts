import type { Purpose } from '@candor/core';
import type { ConsentEventInput, ConsentRecord } from '@candor/schema';
import type { AppContext } from '../../context.js';
import { randomId } from '../../crypto/tokens.js';
import { AppError } from '../../http/app-error.js';
import type { LiveSnapshot } from '../publish/snapshot-cache.js';
import type { SiteRecord } from '../sites/store.js';
import type { VisitorRecord } from '../visitors/store.js';
import { subjectHash } from '../visitors/subject-hash.js';
import { purposeTextVersion } from './purpose-version.js';
import { effectiveGrants, overrideGrants, type PrivacySignals } from './signals.js';
import type { ConsentRow } from './store.js';

const DAY = 86_400_000;
/** Consent is asked again after at most 13 months (docs/privacy.md §5 B11). */
export const CONSENT_LIFETIME_MS = 395 * DAY;
/** A refusal is remembered at least 6 months (docs/privacy.md §5 B11). */
export const REFUSAL_LIFETIME_MS = 183 * DAY;
/** The purpose whose grant lets values reach the server (docs/privacy.md §2). */
export const SERVER_STORAGE_PURPOSE = 'sync';

/** Reads a stored ledger row as the §6 record it is. */
export function toConsentRecord(row: ConsentRow): ConsentRecord | undefined {
  if (row.payload === null) return undefined;
  return {
    ...(JSON.parse(row.payload) as Omit<ConsentRecord, 'previousHash' | 'hash'>),
    previousHash: row.prevHash,
    hash: row.hash,
  };
}

/**
 * The purposes in effect for a visitor on this request: their latest, unexpired consent, with the
 * request's privacy signals applied (pending means denied; docs/privacy.md §1).
 */
export async function grantedPurposes(
  context: AppContext,
  visitorId: string,
  purposes: readonly Purpose[],
  signals: PrivacySignals,
): Promise<Set<string>> {
  const latest = await context.storage.latestConsent(visitorId);
  const now = context.clock();
  if (latest === undefined || latest.expiresAt <= now) return new Set();
  return effectiveGrants(purposes, toConsentRecord(latest), signals, now);
}

/**
 * The text versions a choice says it answered, checked against the live snapshot: each must name a
 * purpose of the choice and the version of its text now in force (recomputed from the text, so
 * snapshots published before versions existed check too). An outdated version means the visitor read
 * a text that has since changed: their answer is refused so that the SDK asks again.
 */
function checkedPurposeVersions(
  purposes: readonly Purpose[],
  input: ConsentEventInput,
): Record<string, string> | undefined {
  if (input.purposeVersions === undefined) return undefined;
  const inForce = new Map(purposes.map((purpose) => [purpose.id, purposeTextVersion(purpose)]));
  for (const [id, version] of Object.entries(input.purposeVersions)) {
    if (!Object.hasOwn(input.purposes, id)) {
      throw new AppError('validation_failed', `purposeVersions names ${id}, which this choice does not answer.`);
    }
    if (inForce.size > 0 && inForce.get(id) !== version) {
      throw new AppError(
        'conflict',
        `The text of purpose ${id} has changed since it was shown: load the current snapshot and ask again.`,
      );
    }
  }
  return { ...input.purposeVersions };
}

/**
 * Appends a consent event with every docs/privacy.md §6 field and the request's signals; under GPC or
 * DNT a cross-site grant is recorded as denied, with the signal that did it (`signalOverrides`). Then
 * deletes at once the server values of every purpose it does not grant.
 */
export async function recordConsent(
  context: AppContext,
  site: SiteRecord,
  live: LiveSnapshot | undefined,
  visitor: VisitorRecord,
  input: ConsentEventInput,
  signals: PrivacySignals,
): Promise<ConsentRecord> {
  const purposes: readonly Purpose[] =
    live === undefined ? [] : (JSON.parse(live.snapshot.body) as { purposes: Purpose[] }).purposes;
  if (live !== undefined) {
    const known = new Set(purposes.map((purpose) => purpose.id));
    const unknown = Object.keys(input.purposes).filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new AppError(
        'unknown_reference',
        `Unknown purpose(s) ${unknown.join(', ')}: use the ids of the live snapshot.`,
      );
    }
  }
  const purposeVersions = checkedPurposeVersions(purposes, input);
  const now = context.clock();
  const { purposes: choices, overriddenBy } = overrideGrants(purposes, input.purposes, signals);
  const anyGranted = Object.values(choices).includes('granted');
  const record: Omit<ConsentRecord, 'previousHash' | 'hash'> = {
    consentId: randomId('cns'),
    createdAt: now,
    updatedAt: now,
    action: input.action,
    purposes: choices,
    ...(purposeVersions === undefined ? {} : { purposeVersions }),
    ...(Object.keys(overriddenBy).length > 0 ? { signalOverrides: overriddenBy } : {}),
    source: input.source,
    uiVersion: input.uiVersion,
    noticeVersion: input.noticeVersion,
    noticeTextHash: input.noticeTextHash,
    language: input.language,
    policyVersion: input.policyVersion,
    signals: { gpc: signals.gpc, dnt: signals.dnt },
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
  const granted = new Set(Object.entries(choices).flatMap(([id, status]) => (status === 'granted' ? [id] : [])));
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
