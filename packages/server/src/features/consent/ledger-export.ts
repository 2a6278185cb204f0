import type { Purpose } from '@candor/core';
import { signBytes } from '../../crypto/signing.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { signingKeyOf } from '../sites/service.js';
import type { SiteRecord } from '../sites/store.js';
import {
  LEDGER_EXPORT_FORMAT,
  type LedgerExportDocument,
  type LedgerExportFile,
  type PurposeTextInForce,
} from './ledger-export-format.js';
import { purposeTextVersion } from './purpose-version.js';
import { signedBytes } from './verify-ledger-export.js';

const DAY = 86_400_000;
/** The longest range one export covers: a year, leap day included. */
export const MAX_EXPORT_DAYS = 366;
/** The most records one export holds; a busier range must be exported in parts. */
export const MAX_EXPORT_ENTRIES = 100_000;

/** The purpose texts of every snapshot in force during [from, to): the one live at `from` and each published after. */
async function purposeTextsInForce(
  context: AppContext,
  site: SiteRecord,
  from: number,
  to: number,
): Promise<PurposeTextInForce[]> {
  const versions = (await context.storage.listSnapshotVersions(site.id)).sort((a, b) => a.version - b.version);
  const liveAtStart = versions.filter((version) => version.publishedAt <= from).at(-1);
  const inForce = versions.filter(
    (version) => version === liveAtStart || (version.publishedAt > from && version.publishedAt < to),
  );
  const texts = new Map<string, PurposeTextInForce>();
  for (const { version } of inForce) {
    const snapshot = await context.storage.getSnapshot(site.id, version);
    if (snapshot === undefined) continue;
    for (const purpose of (JSON.parse(snapshot.body) as { purposes: Purpose[] }).purposes) {
      const textVersion = purposeTextVersion(purpose);
      const key = `${purpose.id}\n${textVersion}`;
      const seen = texts.get(key);
      if (seen !== undefined) {
        seen.snapshotVersions.push(version);
        continue;
      }
      texts.set(key, {
        id: purpose.id,
        version: textVersion,
        class: purpose.class,
        legalBasis: purpose.legalBasis,
        name: { ...purpose.name },
        description: { ...purpose.description },
        snapshotVersions: [version],
      });
    }
  }
  return [...texts.values()];
}

/**
 * Builds the signed consent-proof file of a site for the UTC days `fromDay` to `toDay` inclusive:
 * the ledger entries (hash chain), the purpose texts in force, signed with the site's snapshot
 * key so that anyone holding the public key can check it offline (`candor verify-ledger`).
 */
export async function exportLedger(
  context: AppContext,
  site: SiteRecord,
  fromDay: number,
  toDay: number,
  maxEntries: number = MAX_EXPORT_ENTRIES,
): Promise<LedgerExportFile> {
  const from = fromDay;
  const to = toDay + DAY;
  if (to <= from) throw new AppError('validation_failed', '"to" must be the same day as "from" or later.');
  if ((to - from) / DAY > MAX_EXPORT_DAYS) {
    throw new AppError('validation_failed', `Export at most ${MAX_EXPORT_DAYS} days at a time; split the range.`);
  }
  const rows = await context.storage.ledgerRange(site.id, from, to, maxEntries + 1);
  if (rows.length > maxEntries) {
    throw new AppError(
      'payload_too_large',
      `The range holds more than ${maxEntries} consent records; export shorter ranges one after another.`,
    );
  }
  const document: LedgerExportDocument = {
    format: LEDGER_EXPORT_FORMAT,
    formatVersion: 1,
    siteKey: site.siteKey,
    exportedAt: context.clock(),
    from,
    to,
    entries: rows.map((row) => ({
      seq: row.seq,
      createdAt: row.createdAt,
      prevHash: row.prevHash,
      hash: row.hash,
      payload: row.payload,
    })),
    purposeTexts: await purposeTextsInForce(context, site, from, to),
  };
  const publicKey = JSON.parse(site.signingPublicJwk) as { kid: string } & Record<string, unknown>;
  return {
    document,
    signature: {
      alg: 'ES256',
      keyId: publicKey.kid,
      value: signBytes(signingKeyOf(context, site), signedBytes(document)),
    },
    publicKey,
  };
}
