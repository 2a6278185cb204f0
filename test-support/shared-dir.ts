import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where `../shared` (design docs and conformance data) lives; `CANDOR_SHARED_DIR` overrides. */
export const sharedDir = process.env['CANDOR_SHARED_DIR'] ?? resolve(repoRoot, '..', 'shared');

/**
 * Whether a suite reading `../shared/<relative>` can run. Outside CI a missing file skips the suite
 * with a reason, so a user's fresh clone still passes; under `CI=true` a missing file is an error.
 */
export function sharedFileAvailable(relative: string): { path: string; available: boolean } {
  const path = resolve(sharedDir, relative);
  const available = existsSync(path);
  if (!available && process.env['CI'] === 'true') {
    throw new Error(`CI=true but ${path} is missing: conformance suites may not skip in CI. Set CANDOR_SHARED_DIR.`);
  }
  if (!available) {
    process.stderr.write(`[candor] skipping suite: ${path} not found (set CANDOR_SHARED_DIR to run it)\n`);
  }
  return { path, available };
}
