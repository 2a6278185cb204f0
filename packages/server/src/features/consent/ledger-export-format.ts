import { z } from 'zod';

/** The `format` member every ledger export carries, so a reader knows what it holds. */
export const LEDGER_EXPORT_FORMAT = 'candor-ledger-export';

const Hash = z.string().regex(/^[0-9a-f]{64}$/);

/** One ledger record as exported: `payload` is the exact text the chain hash covers (null once erased). */
export const LedgerExportEntry = z.object({
  seq: z.number().int(),
  createdAt: z.number().int(),
  prevHash: Hash,
  hash: Hash,
  payload: z.string().nullable(),
});

/** One version of a purpose's visitor-facing text, and the published snapshots that carried it. */
export const PurposeTextInForce = z.object({
  id: z.string(),
  version: Hash,
  class: z.string(),
  legalBasis: z.string(),
  name: z.record(z.string(), z.string()),
  description: z.record(z.string(), z.string()),
  snapshotVersions: z.array(z.number().int()),
});

/** What the signature covers: the chain entries of a date range and the purpose texts in force. */
export const LedgerExportDocument = z.object({
  format: z.literal(LEDGER_EXPORT_FORMAT),
  formatVersion: z.literal(1),
  siteKey: z.string(),
  exportedAt: z.number().int(),
  /** The range, UTC epoch ms, half-open: records created at or after `from` and before `to`. */
  from: z.number().int(),
  to: z.number().int(),
  entries: z.array(LedgerExportEntry),
  purposeTexts: z.array(PurposeTextInForce),
});

/**
 * The exported file. The signature is ECDSA P-256 with SHA-256 (IEEE P1363, base64url) over the
 * UTF-8 bytes of `JSON.stringify(document)`: the document holds only strings, integers and nulls,
 * so parsing the file and serialising `document` again gives back exactly the signed bytes.
 */
export const LedgerExportFile = z.object({
  document: LedgerExportDocument,
  signature: z.object({ alg: z.literal('ES256'), keyId: z.string(), value: z.string() }),
  /** The site's public signing key, for convenience; a verifier should compare it with the site's published key. */
  publicKey: z.record(z.string(), z.unknown()),
});

/** Types of the export file. */
export type LedgerExportEntry = z.infer<typeof LedgerExportEntry>;
/** One purpose text version in force during the range. */
export type PurposeTextInForce = z.infer<typeof PurposeTextInForce>;
/** The signed part of an export. */
export type LedgerExportDocument = z.infer<typeof LedgerExportDocument>;
/** A whole export file. */
export type LedgerExportFile = z.infer<typeof LedgerExportFile>;
