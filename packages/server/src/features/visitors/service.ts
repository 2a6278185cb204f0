import type { Field, Snapshot } from '@candor/core';
import type { VisitorData, VisitorValueInput } from '@candor/schema';
import type { AppContext } from '../../context.js';
import { open, seal } from '../../crypto/keyring.js';
import { hashToken, randomId, randomToken, sameDigest } from '../../crypto/tokens.js';
import { AppError } from '../../http/app-error.js';
import { grantedPurposes, SERVER_STORAGE_PURPOSE, toConsentRecord } from '../consent/service.js';
import type { PrivacySignals } from '../consent/signals.js';
import type { SiteRecord } from '../sites/store.js';
import type { VisitorRecord } from './store.js';
import { subjectHash } from './subject-hash.js';
import { visitorKeyring } from './value-keys.js';

const DAY = 86_400_000;

/** Registers a pseudonymous visitor; the token is returned once and only its hash is kept. */
export async function registerVisitor(
  context: AppContext,
  site: SiteRecord,
): Promise<{ visitorId: string; token: string }> {
  const visitorId = randomId('vis');
  const secret = randomToken();
  await context.storage.createVisitor({
    id: visitorId,
    siteId: site.id,
    tokenHash: hashToken(secret),
    createdAt: context.clock(),
  });
  return { visitorId, token: `${visitorId}.${secret}` };
}

/** Finds the visitor a `Bearer <visitorId>.<secret>` token belongs to; the same answer for unknown id and wrong secret. */
export async function visitorFromToken(context: AppContext, authorization: string | undefined): Promise<VisitorRecord> {
  const refuse = (): never => {
    throw new AppError(
      'unauthenticated',
      'Send the visitor token from registration as "Authorization: Bearer <token>".',
    );
  };
  if (authorization === undefined || !authorization.startsWith('Bearer ')) return refuse();
  const token = authorization.slice('Bearer '.length);
  const dot = token.lastIndexOf('.');
  if (dot <= 0) return refuse();
  const visitor = await context.storage.getVisitor(token.slice(0, dot));
  if (visitor === undefined || !sameDigest(hashToken(token.slice(dot + 1)), visitor.tokenHash)) return refuse();
  return visitor;
}

function valueContext(visitorId: string, fieldKey: string): string {
  return `value:${visitorId}:${fieldKey}`;
}

function checkType(field: Field, value: VisitorValueInput['value']): void {
  const ok =
    field.type === 'string[]'
      ? Array.isArray(value)
      : field.type === 'string'
        ? typeof value === 'string'
        : typeof value === field.type;
  if (!ok) throw new AppError('validation_failed', `Field ${field.key} holds a ${field.type}.`);
  if (field.options !== undefined && field.options.length > 0) {
    const allowed = new Set(field.options.map((option) => option.value));
    const given = Array.isArray(value) ? value : [value];
    const bad = given.filter((item) => !allowed.has(String(item)));
    if (bad.length > 0)
      throw new AppError('validation_failed', `Field ${field.key} accepts only its declared options.`);
  }
}

/**
 * Stores a value on the server, only when the field's purpose and server storage (sync) are both
 * in effect under the request's privacy signals (the golden rule): the value is sealed with
 * AES-256-GCM and expires with the field's retention.
 */
export async function putValue(
  context: AppContext,
  snapshot: Snapshot | undefined,
  visitor: VisitorRecord,
  key: string,
  input: VisitorValueInput,
  signals: PrivacySignals,
): Promise<void> {
  const field = snapshot?.fields.find((candidate) => candidate.key === key);
  if (field === undefined) throw new AppError('unknown_reference', `No field "${key}" in the live snapshot.`);
  if (field.source === 'context' || field.source === 'inferred') {
    throw new AppError('validation_failed', `Field ${key} is ${field.source}: it is never stored on the server.`);
  }
  checkType(field, input.value);
  const granted = await grantedPurposes(context, visitor.id, snapshot?.purposes ?? [], signals);
  const missing = [field.purpose, SERVER_STORAGE_PURPOSE].filter((purpose) => !granted.has(purpose));
  if (missing.length > 0) {
    const signal = signals.gpc ? ' Global Privacy Control is on: only a choice made with the signal on counts.' : '';
    throw new AppError(
      'consent_required',
      `Storing ${key} on the server needs consent to: ${missing.join(', ')}.${signal}`,
    );
  }
  const now = context.clock();
  await context.storage.putValue({
    visitorId: visitor.id,
    fieldKey: key,
    purpose: field.purpose,
    source: input.source ?? field.source,
    sealed: seal(
      await visitorKeyring(context.storage, context.keyring, visitor.id, true),
      JSON.stringify(input.value),
      valueContext(visitor.id, key),
    ),
    collectedAt: now,
    expiresAt: now + field.retentionDays * DAY,
  });
}

/** Everything held about a visitor (GDPR Art. 15 and 20), values opened, with their consent history. */
export async function visitorData(context: AppContext, site: SiteRecord, visitor: VisitorRecord): Promise<VisitorData> {
  const now = context.clock();
  const keyring = await visitorKeyring(context.storage, context.keyring, visitor.id, false);
  const values = (await context.storage.listValues(visitor.id))
    .filter((value) => value.expiresAt > now)
    .map((value) => ({
      key: value.fieldKey,
      value: JSON.parse(open(keyring, value.sealed, valueContext(visitor.id, value.fieldKey))) as unknown,
      source: value.source,
      purpose: value.purpose,
      collectedAt: value.collectedAt,
      expiresAt: value.expiresAt,
    }));
  const consent = (await context.storage.listConsent(visitor.id)).flatMap((row) => {
    const record = toConsentRecord(row);
    return record === undefined ? [] : [record];
  });
  const latest = consent.at(-1);
  return {
    visitorId: visitor.id,
    siteKey: site.siteKey,
    createdAt: visitor.createdAt,
    values,
    consent,
    receipt: {
      latestConsentId: latest?.consentId ?? null,
      latestHash: latest?.hash ?? null,
      policyVersion: latest?.policyVersion ?? null,
    },
    logic:
      'Decisions are made in your browser from the published rules; the server only keeps values you let it keep for cross-device sync, ' +
      'each under the purpose you granted, until its retention ends. Every decision explains which of your values it used.',
  };
}

/**
 * Erases a visitor (GDPR Art. 17), the one path for self-service, admin and CLI: every visitor-keyed
 * row goes with the visitor's value key, then the database purges what the deletion left in its
 * files; a salted hash records that it happened. `purged` is false when another process held the
 * purge back (the erasure stands; the next checkpoint completes it).
 */
export async function eraseVisitor(
  context: AppContext,
  visitor: VisitorRecord,
  requestedBy: string,
): Promise<{ subjectHash: string; erasedAt: number; purged: boolean }> {
  const erasedAt = context.clock();
  const hash = subjectHash(visitor.siteId, visitor.id);
  await context.storage.eraseVisitor(visitor.id, { subjectHash: hash, siteId: visitor.siteId, erasedAt, requestedBy });
  const purged = await context.storage.purgeResidue().then(
    () => true,
    () => false,
  );
  return { subjectHash: hash, erasedAt, purged };
}
