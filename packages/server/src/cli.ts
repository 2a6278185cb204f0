#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { hasBlockingFindings, lint } from '@candor/core';
import { loadConfig } from './config.js';
import { beginKeyFileRotation, finishKeyFileRotation } from './crypto/key-file.js';
import { createAdmin } from './features/auth/service.js';
import { runBandits } from './features/bandit/service.js';
import { readPublicKey, verifyLedgerExport } from './features/consent/verify-ledger-export.js';
import { importGrowthBookCommand } from './features/import-growthbook/cli-command.js';
import { rotateKeys } from './features/keys/rotate-keys.js';
import { publish } from './features/publish/service.js';
import { runRetention } from './features/retention/service.js';
import { requireSite } from './features/sites/service.js';
import { eraseVisitor, visitorData } from './features/visitors/service.js';
import { AppError } from './http/app-error.js';
import { configuredKeyring, keyFilePath, openCandor, startServer } from './main.js';

const USAGE = `Usage: candor <command>

  start                          start the server (SQLite in ./candor-data unless DATABASE_URL is set)
  migrate                        apply database migrations
  create-admin <email> [role]    add an admin (owner|editor|viewer); prints a one-time password
  publish <siteKey> [fp ...]     lint and publish a site's drafts, acknowledging warnings by fingerprint
  lint <file.json>               lint a draft file; exit 1 on errors
  export-visitor <visitorId>     print everything held about a visitor as JSON
  erase-visitor <visitorId>      erase a visitor (GDPR Art. 17)
  rotate-key                     re-seal personal data under a new data key
  retention run                  enforce retention now
  bandit run                     re-weight due bandit experiences now and publish changed weights
  verify-ledger <file> [--key <public key file>]
                                 check a consent-ledger export offline; exit 1 unless valid
  import-growthbook <file.json> [--site <siteKey>] [--dry-run] [--id-attribute <attr>]
                                 turn a GrowthBook features payload into drafts; lists what cannot carry over

Environment: PORT (8787), HOST, DATABASE_URL, CANDOR_DATA_DIR, CANDOR_DATA_KEY, CANDOR_DATA_KEY_FILE, CANDOR_SECRET, CANDOR_PREVIOUS_SECRETS, CANDOR_BANDIT_MINUTES, CANDOR_ROLLUP_MINUTES, LOG_LEVEL,
CANDOR_PG_PARTITIONS=daily (PostgreSQL: daily cells partitioned by day), CANDOR_PARTITION_MINUTES,
CANDOR_TRUST_PROXY (proxies whose X-Forwarded-For is believed, e.g. 127.0.0.1,10.0.0.0/8),
CANDOR_DEMO=off (no demo site at /demo on first start).`;

function write(text: string): void {
  process.stdout.write(`${text}\n`);
}

async function withCandor<T>(fn: (candor: Awaited<ReturnType<typeof openCandor>>) => Promise<T>): Promise<T> {
  // CLI commands log nothing but errors: their output is the command's answer.
  const candor = await openCandor({ ...loadConfig(), logLevel: 'error' });
  try {
    return await fn(candor);
  } finally {
    await candor.app.close();
    await candor.storage.close();
  }
}

/** Runs one CLI command; resolves to the process exit code. */
export async function runCli(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'start': {
      const server = await startServer(loadConfig(), process.stdout);
      const stop = (): void => {
        void server.stop().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return -1;
    }
    case 'migrate':
      return withCandor(async () => {
        write('migrations applied');
        return 0;
      });
    case 'create-admin': {
      const [email, role = 'owner'] = rest;
      if (email === undefined || !['owner', 'editor', 'viewer'].includes(role)) {
        write('Usage: candor create-admin <email> [owner|editor|viewer]');
        return 2;
      }
      return withCandor(async ({ context }) => {
        const admin = await createAdmin(context, email, role as 'owner');
        write(`created ${role} ${email}; one-time password: ${admin.password}`);
        return 0;
      });
    }
    case 'publish': {
      const [siteKey, ...acknowledge] = rest;
      if (siteKey === undefined) {
        write('Usage: candor publish <siteKey> [fingerprint ...]');
        return 2;
      }
      return withCandor(async ({ context }) => {
        // publish() tells the other nodes itself (LISTEN/NOTIFY on PostgreSQL).
        const result = await publish(context, await requireSite(context, siteKey), acknowledge, 'cli');
        write(`published ${siteKey} v${result.version}`);
        return 0;
      });
    }
    case 'lint': {
      const [file] = rest;
      if (file === undefined) {
        write('Usage: candor lint <draft.json>');
        return 2;
      }
      const findings = lint(JSON.parse(readFileSync(file, 'utf8')) as Parameters<typeof lint>[0]);
      for (const finding of findings)
        write(`${finding.severity}\t${finding.fingerprint}\t${finding.message}\n\t→ ${finding.fixHint}`);
      write(`${findings.length} finding(s)`);
      return hasBlockingFindings(findings) ? 1 : 0;
    }
    case 'export-visitor':
    case 'erase-visitor': {
      const [visitorId] = rest;
      if (visitorId === undefined) {
        write(`Usage: candor ${command} <visitorId>`);
        return 2;
      }
      return withCandor(async ({ context }) => {
        const visitor = await context.storage.getVisitor(visitorId);
        if (visitor === undefined) throw new AppError('not_found', `No visitor ${visitorId}.`);
        const site = await context.storage.getSite(visitor.siteId);
        if (site === undefined) throw new AppError('not_found', 'The visitor has no site.');
        if (command === 'export-visitor') write(JSON.stringify(await visitorData(context, site, visitor), null, 2));
        else write(JSON.stringify(await eraseVisitor(context, visitor, 'cli')));
        return 0;
      });
    }
    case 'rotate-key': {
      const config = loadConfig();
      if (config.secret !== undefined || config.dataKey !== undefined) {
        // With CANDOR_SECRET (or CANDOR_DATA_KEY) the operator chooses the new one: set it, list the old
        // one in CANDOR_PREVIOUS_SECRETS (CANDOR_PREVIOUS_DATA_KEYS), run this, then drop the old one.
        return withCandor(async ({ context }) => {
          write(JSON.stringify(await rotateKeys(context, configuredKeyring(config))));
          return 0;
        });
      }
      const keyring = beginKeyFileRotation(keyFilePath(config));
      const report = await withCandor(({ context }) => rotateKeys(context, keyring));
      finishKeyFileRotation(keyFilePath(config));
      write(JSON.stringify(report));
      return 0;
    }
    case 'retention': {
      if (rest[0] !== 'run') {
        write('Usage: candor retention run');
        return 2;
      }
      return withCandor(async ({ context }) => {
        write(JSON.stringify(await runRetention(context)));
        return 0;
      });
    }
    case 'bandit': {
      if (rest[0] !== 'run') {
        write('Usage: candor bandit run');
        return 2;
      }
      return withCandor(async ({ context }) => {
        for (const outcome of await runBandits(context)) write(JSON.stringify(outcome));
        return 0;
      });
    }
    case 'verify-ledger': {
      const [file, flag, keyFile] = rest;
      if (file === undefined || (flag !== undefined && (flag !== '--key' || keyFile === undefined))) {
        write('Usage: candor verify-ledger <export.json> [--key <public key: JWK, JWKS or PEM>]');
        return 2;
      }
      const key = keyFile === undefined ? undefined : readPublicKey(readFileSync(keyFile, 'utf8'));
      const verdict = verifyLedgerExport(readFileSync(file, 'utf8'), key);
      for (const check of verdict.checks) write(`${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}`);
      write(verdict.valid ? 'VALID: the export is intact and signed.' : 'INVALID: do not rely on this export.');
      return verdict.valid ? 0 : 1;
    }
    case 'import-growthbook':
      return importGrowthBookCommand(rest, write, (fn) => withCandor(({ context }) => fn(context)));
    default:
      write(USAGE);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

const invokedDirectly = process.argv[1] !== undefined && /cli\.(ts|js)$/.test(process.argv[1]);
if (invokedDirectly) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      if (code >= 0) process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`candor: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
