import {
  SNAPSHOT_SCHEMA_VERSION,
  hasBlockingFindings,
  lint,
  unacknowledgedWarnings,
  validateSnapshot,
  type LintFinding,
  type Snapshot,
} from '@candor/core';
import { draftInLanguages, siteLanguages } from '@candor/schema';
import type { AppContext } from '../../context.js';
import { signBytes } from '../../crypto/signing.js';
import { purposeTextVersion } from '../consent/purpose-version.js';
import { AppError } from '../../http/app-error.js';
import { unknownMappedPurposes } from './consent-source-check.js';
import { loadDraft } from '../drafts/service.js';
import { signingKeyOf } from '../sites/service.js';
import type { SiteRecord } from '../sites/store.js';
import type { SnapshotRecord } from './store.js';
import { publishPurge } from '../../http/cdn-cache.js';

/** What the privacy page says about the last publish's lint: facts, not a hand-written claim. */
export interface LintSummary {
  readonly at: number;
  readonly errors: number;
  readonly warnings: number;
  readonly acknowledged: readonly string[];
  readonly rolledBackFrom?: number;
}

/** What a publish answers. */
export interface PublishResult {
  readonly version: number;
  readonly publishedAt: number;
  readonly keyId: string;
  readonly findings: readonly LintFinding[];
}

/** The site settings a snapshot carries (publish, and the editor's preview of the draft). */
export function siteSettings(site: SiteRecord): Snapshot['site'] {
  const { name, defaultLanguage, policyVersion, privacyPageUrl, explainDefaults, consentSource, questionLimits } =
    site.settings;
  return {
    siteKey: site.siteKey,
    name,
    defaultLanguage,
    languages: siteLanguages(site.settings),
    policyVersion,
    explainDefaults,
    ...(privacyPageUrl === undefined ? {} : { privacyPageUrl }),
    ...(consentSource === undefined ? {} : { consentSource }),
    ...(questionLimits === undefined ? {} : { questionLimits }),
  };
}

async function store(
  context: AppContext,
  site: SiteRecord,
  build: (version: number, publishedAt: number) => Snapshot,
  lintSummary: Omit<LintSummary, 'at'>,
  actor: string,
): Promise<SnapshotRecord> {
  const latest = await context.storage.latestSnapshot(site.id);
  const version = (latest?.version ?? 0) + 1;
  const publishedAt = context.clock();
  const snapshot = build(version, publishedAt);
  const validation = validateSnapshot(snapshot);
  if (!validation.ok)
    throw new AppError('snapshot_invalid', `The snapshot would be unreadable by the SDK: ${validation.detail}.`);
  // Checked here, where every snapshot is stored (publish, rollback, a bandit's revision), so no path
  // can serve a map that grants nothing and shows a bare id on the trust page. A rollback or revision
  // of a snapshot stored before this check existed is refused the same way.
  const unknown = unknownMappedPurposes(snapshot.site.consentSource, snapshot.purposes);
  if (unknown.length > 0)
    throw new AppError(
      'snapshot_invalid',
      `The consent source's map names purpose(s) ${unknown.join(', ')}, which this site does not have: fix the map in Site settings or add the purpose.`,
    );
  // These exact bytes are stored, signed and served; nothing re-serialises them later.
  const body = JSON.stringify(snapshot);
  const keyId = (JSON.parse(site.signingPublicJwk) as { kid: string }).kid;
  const record: SnapshotRecord = {
    siteId: site.id,
    version,
    body,
    signature: signBytes(signingKeyOf(context, site), Buffer.from(body, 'utf8')),
    keyId,
    lintSummary: JSON.stringify({ at: publishedAt, ...lintSummary }),
    publishedAt,
    publishedBy: actor,
  };
  if (!(await context.storage.insertSnapshot(record))) {
    throw new AppError('conflict', `Version ${version} was published by someone else a moment ago; publish again.`);
  }
  context.snapshots.invalidate(site.id);
  await context.storage.notifySnapshot(site.id);
  return record;
}

/**
 * Publishes a site's drafts: lint (errors block, warnings need their fingerprints acknowledged),
 * freeze vN, sign the exact bytes, tell every node, audit, and fire webhooks.
 */
export async function publish(
  context: AppContext,
  site: SiteRecord,
  acknowledge: readonly string[],
  actor: string,
): Promise<PublishResult> {
  const written = await loadDraft(context, site.id);
  // The linter checks the site's own languages as written; the snapshot carries every language,
  // a text the site does not write (or left empty) reading the default language's.
  const findings = lint(draftInLanguages(written, site.settings, { onlyUnwritten: true }));
  const draft = draftInLanguages(written, site.settings);
  if (hasBlockingFindings(findings)) {
    const errors = findings.filter((finding) => finding.severity === 'error');
    throw new AppError(
      'lint_errors',
      `Publish refused: ${errors.length} lint error(s). First: ${errors[0]?.message ?? ''} Fix: ${errors[0]?.fixHint ?? ''}`,
      { findings: errors },
    );
  }
  const pending = unacknowledgedWarnings(findings, acknowledge);
  if (pending.length > 0) {
    throw new AppError(
      'lint_warnings_unacknowledged',
      `Publish needs ${pending.length} warning(s) acknowledged: send their fingerprints in "acknowledge".`,
      { findings: pending },
    );
  }
  const warnings = findings.filter((finding) => finding.severity === 'warning');
  const record = await store(
    context,
    site,
    (version, publishedAt) => ({
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      version,
      publishedAt,
      site: siteSettings(site),
      // Each purpose carries the version of its text, so a choice can say which text it answered.
      purposes: draft.purposes.map((purpose) => ({ ...purpose, textVersion: purposeTextVersion(purpose) })),
      fields: draft.fields,
      audiences: draft.audiences,
      experiences: draft.experiences,
      metrics: draft.metrics,
      ...(draft.savedGroups === undefined ? {} : { savedGroups: draft.savedGroups }),
      ...(draft.placements === undefined || draft.placements.length === 0 ? {} : { placements: draft.placements }),
    }),
    { errors: 0, warnings: warnings.length, acknowledged: warnings.map((finding) => finding.fingerprint) },
    actor,
  );
  await context.storage.appendAudit({
    at: record.publishedAt,
    actor,
    action: 'snapshot.publish',
    siteId: site.id,
    target: `snapshots/${record.version}`,
    before: null,
    after: { version: record.version, acknowledged: warnings.map((finding) => finding.fingerprint) },
  });
  context.webhooks.emit(site.id, 'snapshot.published', {
    siteKey: site.siteKey,
    version: record.version,
    ...publishPurge(site.siteKey),
  });
  return { version: record.version, publishedAt: record.publishedAt, keyId: record.keyId, findings: warnings };
}

/**
 * Rolls back by publishing an earlier version's content as a new version, so versions only grow
 * and no cache ever serves an older number as "latest".
 */
export async function rollback(
  context: AppContext,
  site: SiteRecord,
  toVersion: number,
  actor: string,
): Promise<PublishResult> {
  const target = await context.storage.getSnapshot(site.id, toVersion);
  if (target === undefined)
    throw new AppError('not_found', `Site ${site.siteKey} has no snapshot version ${toVersion}.`);
  // A withdrawn version was taken down for what it held; serving its content again would undo that.
  if (target.withdrawnAt !== undefined)
    throw new AppError(
      'gone',
      `Version ${toVersion} of ${site.siteKey} was withdrawn, so it cannot be served again. Roll back to another version, or fix the drafts and publish.`,
    );
  const old = JSON.parse(target.body) as Snapshot;
  const oldSummary = JSON.parse(target.lintSummary) as LintSummary;
  const record = await store(
    context,
    site,
    (version, publishedAt) => ({ ...old, version, publishedAt }),
    {
      errors: oldSummary.errors,
      warnings: oldSummary.warnings,
      acknowledged: oldSummary.acknowledged,
      rolledBackFrom: toVersion,
    },
    actor,
  );
  await context.storage.appendAudit({
    at: record.publishedAt,
    actor,
    action: 'snapshot.rollback',
    siteId: site.id,
    target: `snapshots/${record.version}`,
    before: { version: record.version - 1 },
    after: { version: record.version, contentOf: toVersion },
  });
  context.webhooks.emit(site.id, 'snapshot.rolled_back', {
    siteKey: site.siteKey,
    version: record.version,
    contentOf: toVersion,
  });
  return { version: record.version, publishedAt: record.publishedAt, keyId: record.keyId, findings: [] };
}

/**
 * Withdraws a published version's public copy: the public route answers 410 Gone for it from now
 * on, and it can no longer be rolled back to. The live version cannot be withdrawn, since browsers
 * would lose the site's content; publish or roll back to another version first. Audited.
 */
export async function withdrawVersion(
  context: AppContext,
  site: SiteRecord,
  version: number,
  actor: string,
): Promise<{ version: number; withdrawnAt: number }> {
  const [target, latest] = await Promise.all([
    context.storage.getSnapshot(site.id, version),
    context.storage.latestSnapshot(site.id),
  ]);
  if (target === undefined) throw new AppError('not_found', `Site ${site.siteKey} has no snapshot version ${version}.`);
  if (target.withdrawnAt !== undefined) return { version, withdrawnAt: target.withdrawnAt };
  if (latest?.version === version)
    throw new AppError(
      'conflict',
      `Version ${version} is live and cannot be withdrawn: publish a corrected version (or roll back to an earlier one) first, then withdraw ${version}.`,
    );
  const at = context.clock();
  // A concurrent withdrawal of the same version wins harmlessly: the answer is the same.
  if (await context.storage.withdrawSnapshot(site.id, version, at, actor)) {
    await context.storage.appendAudit({
      at,
      actor,
      action: 'snapshot.withdraw',
      siteId: site.id,
      target: `snapshots/${version}`,
      before: { version, public: true },
      after: { version, public: false },
    });
  }
  return { version, withdrawnAt: at };
}

/** Why an automated revision of the live snapshot was not published. */
export type RevisionRefusal = 'no_snapshot' | 'lint_errors' | 'lint_warnings_unacknowledged' | 'snapshot_invalid';

/**
 * Publishes a change a job makes to the live snapshot (a bandit's weights) through the same path as a
 * human publish — lint, sign the exact bytes, tell every node, audit, webhooks — without shipping
 * anyone's unpublished drafts. Refuses on lint errors, and on warnings the last publish did not acknowledge.
 */
export async function publishRevision(
  context: AppContext,
  site: SiteRecord,
  revise: (snapshot: Snapshot) => Snapshot,
  actor: string,
  reason: string,
): Promise<{ ok: true; result: PublishResult } | { ok: false; refusal: RevisionRefusal }> {
  const latest = await context.storage.latestSnapshot(site.id);
  if (latest === undefined) return { ok: false, refusal: 'no_snapshot' };
  const revised = revise(JSON.parse(latest.body) as Snapshot);
  const findings = lint(revised as unknown as Parameters<typeof lint>[0]);
  if (hasBlockingFindings(findings)) return { ok: false, refusal: 'lint_errors' };
  const acknowledged = (JSON.parse(latest.lintSummary) as LintSummary).acknowledged;
  if (unacknowledgedWarnings(findings, acknowledged).length > 0)
    return { ok: false, refusal: 'lint_warnings_unacknowledged' };
  const warnings = findings.filter((finding) => finding.severity === 'warning');
  let record: SnapshotRecord;
  try {
    record = await store(
      context,
      site,
      (version, publishedAt) => ({ ...revised, version, publishedAt }),
      { errors: 0, warnings: warnings.length, acknowledged: warnings.map((finding) => finding.fingerprint) },
      actor,
    );
  } catch (error) {
    // A job has no one to answer: an unstorable revision is a refusal it records, like a lint error.
    if (error instanceof AppError && error.code === 'snapshot_invalid')
      return { ok: false, refusal: 'snapshot_invalid' };
    throw error;
  }
  await context.storage.appendAudit({
    at: record.publishedAt,
    actor,
    action: 'snapshot.publish',
    siteId: site.id,
    target: `snapshots/${record.version}`,
    before: { version: latest.version },
    after: { version: record.version, reason },
  });
  context.webhooks.emit(site.id, 'snapshot.published', {
    siteKey: site.siteKey,
    version: record.version,
    ...publishPurge(site.siteKey),
  });
  return {
    ok: true,
    result: { version: record.version, publishedAt: record.publishedAt, keyId: record.keyId, findings: warnings },
  };
}
