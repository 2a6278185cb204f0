// What `next-route-bench.ts` prepared before starting the app: the signed snapshot, its key, and the
// same experiences as GrowthBook features. Read once per process, never per request.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.BENCH_NEXT_DATA;
if (!dir) throw new Error('BENCH_NEXT_DATA is not set: run the benchmark with `npm run -w bench bench:next`.');

export const SNAPSHOT_BODY = readFileSync(join(dir, 'snapshot.json'), 'utf8');
export const SNAPSHOT_SIGNATURE = readFileSync(join(dir, 'snapshot.sig'), 'utf8');
export const PUBLIC_KEY = JSON.parse(readFileSync(join(dir, 'public-key.json'), 'utf8')) as JsonWebKey;
export const GROWTHBOOK_FEATURES = JSON.parse(readFileSync(join(dir, 'growthbook-features.json'), 'utf8')) as Record<
  string,
  object
>;
export const SLOTS: readonly string[] = JSON.parse(readFileSync(join(dir, 'slots.json'), 'utf8')) as string[];

/** The request's context attributes (country, campaign, path), sent as base64url JSON in `?c=`. */
export function contextOf(request: Request): Record<string, string> {
  const encoded = new URL(request.url).searchParams.get('c') ?? '';
  return JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Record<string, string>;
}
