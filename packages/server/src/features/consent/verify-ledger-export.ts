import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { chainHash } from './chain.js';
import { LedgerExportFile, type LedgerExportDocument } from './ledger-export-format.js';
import { purposeTextVersion } from './purpose-version.js';

/** The checks a ledger export must pass, in the order they run. */
export type LedgerCheckName = 'format' | 'signature' | 'chain' | 'purpose_texts';

/** One check's outcome, with a sentence a person can act on. */
export interface LedgerCheck {
  readonly name: LedgerCheckName;
  readonly ok: boolean;
  readonly detail: string;
}

/** The verdict on an export: valid only when every check passed. */
export interface LedgerVerdict {
  readonly valid: boolean;
  readonly checks: readonly LedgerCheck[];
}

/** The signed bytes of a document (see `LedgerExportFile`). */
export function signedBytes(document: LedgerExportDocument): Buffer {
  return Buffer.from(JSON.stringify(document), 'utf8');
}

function checkSignature(file: LedgerExportFile, trustedKey: KeyObject | undefined): LedgerCheck {
  let key: KeyObject;
  try {
    key = trustedKey ?? createPublicKey({ key: file.publicKey as JsonWebKey, format: 'jwk' });
  } catch {
    return { name: 'signature', ok: false, detail: 'The public key in the file is not a usable key; pass --key.' };
  }
  const ok = verify(
    'sha256',
    signedBytes(file.document),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(file.signature.value, 'base64url'),
  );
  const against =
    trustedKey === undefined ? 'the key embedded in the file (pass --key to use a key you trust)' : 'the given key';
  return ok
    ? { name: 'signature', ok, detail: `Signature valid against ${against}.` }
    : { name: 'signature', ok, detail: `Signature does NOT match the content, checked against ${against}.` };
}

function checkChain(document: LedgerExportDocument): LedgerCheck {
  const { entries } = document;
  for (const [index, entry] of entries.entries()) {
    const previous = entries[index - 1];
    if (previous !== undefined && (entry.prevHash !== previous.hash || entry.seq <= previous.seq)) {
      return {
        name: 'chain',
        ok: false,
        detail: `Record seq ${entry.seq} does not follow seq ${previous.seq}: a record was removed, added or reordered.`,
      };
    }
    if (entry.payload !== null && chainHash(entry.prevHash, entry.payload) !== entry.hash) {
      return {
        name: 'chain',
        ok: false,
        detail: `Record seq ${entry.seq} was altered: its content no longer matches its hash.`,
      };
    }
    if (entry.createdAt < document.from || entry.createdAt >= document.to) {
      return { name: 'chain', ok: false, detail: `Record seq ${entry.seq} lies outside the exported range.` };
    }
  }
  const erased = entries.filter((entry) => entry.payload === null).length;
  return {
    name: 'chain',
    ok: true,
    detail: `${entries.length} record(s) linked without a gap${erased > 0 ? ` (${erased} erased at the visitor's request: hash kept, content gone)` : ''}.`,
  };
}

/** The purpose versions a record answered: its `purposeVersions`, or for older records each purpose id alone. */
function answered(payload: string): { id: string; version: string | undefined }[] {
  const record = JSON.parse(payload) as {
    purposes?: Record<string, unknown>;
    purposeVersions?: Record<string, string>;
  };
  if (record.purposeVersions !== undefined) {
    return Object.entries(record.purposeVersions).map(([id, version]) => ({ id, version }));
  }
  return Object.keys(record.purposes ?? {}).map((id) => ({ id, version: undefined }));
}

function checkPurposeTexts(document: LedgerExportDocument): LedgerCheck {
  const versions = new Set<string>();
  const ids = new Set<string>();
  for (const text of document.purposeTexts) {
    if (purposeTextVersion(text) !== text.version) {
      return {
        name: 'purpose_texts',
        ok: false,
        detail: `The text of purpose ${text.id} does not match its version ${text.version.slice(0, 12)}….`,
      };
    }
    versions.add(`${text.id}\n${text.version}`);
    ids.add(text.id);
  }
  for (const entry of document.entries) {
    if (entry.payload === null) continue;
    let choices: { id: string; version: string | undefined }[];
    try {
      choices = answered(entry.payload);
    } catch {
      return { name: 'purpose_texts', ok: false, detail: `Record seq ${entry.seq} is not readable JSON.` };
    }
    const missing = choices.find(({ id, version }) =>
      version === undefined ? !ids.has(id) : !versions.has(`${id}\n${version}`),
    );
    if (missing !== undefined) {
      return {
        name: 'purpose_texts',
        ok: false,
        detail: `Record seq ${entry.seq} answered purpose ${missing.id}${missing.version === undefined ? '' : ` version ${missing.version.slice(0, 12)}…`}, whose text is not in the file.`,
      };
    }
  }
  return {
    name: 'purpose_texts',
    ok: true,
    detail: `Every record's purpose text is included (${document.purposeTexts.length} version(s)).`,
  };
}

/**
 * Verifies a ledger export offline: its shape, its signature (against `trustedKey` when given, else the
 * key embedded in the file), the hash chain with no gap, and that the text of every purpose version a
 * record answered is in the file. Never throws: an unreadable file is a failed `format` check.
 */
export function verifyLedgerExport(text: string, trustedKey?: KeyObject): LedgerVerdict {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { valid: false, checks: [{ name: 'format', ok: false, detail: 'The file is not JSON.' }] };
  }
  const result = LedgerExportFile.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue === undefined ? '' : ` at ${issue.path.join('.') || '(root)'}: ${issue.message}`;
    return { valid: false, checks: [{ name: 'format', ok: false, detail: `Not a Candor ledger export${where}.` }] };
  }
  const file = result.data;
  const checks: LedgerCheck[] = [
    { name: 'format', ok: true, detail: `Ledger export of site ${file.document.siteKey}.` },
    checkSignature(file, trustedKey),
    checkChain(file.document),
    checkPurposeTexts(file.document),
  ];
  return { valid: checks.every((check) => check.ok), checks };
}

/** Reads a public key file: a JWK, a JWKS (`{"keys": [...]}`, first key) or a PEM. */
export function readPublicKey(text: string): KeyObject {
  if (text.trimStart().startsWith('-----BEGIN')) return createPublicKey(text);
  const parsed = JSON.parse(text) as { keys?: unknown[] };
  const jwk = Array.isArray(parsed.keys) ? parsed.keys[0] : parsed;
  return createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
}
