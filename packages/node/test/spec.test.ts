/**
 * spec/decide.json through both paths: core's browser path (`decideVerified` on the device's profile
 * and consent) and @candor/node (the same state carried in Candor's cookie, read from a request, the
 * snapshot fetched and verified). Every row must decide identically, and a cookie forged to carry
 * data of purposes it does not grant must change nothing (the golden rule).
 */
import { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  decide,
  decideVerified,
  encodeVisitorCookie,
  type ConsentState,
  type DecisionContext,
  type Profile,
  type Snapshot,
} from '@candor/core';
import { createCandorClient } from '@candor/node';

type Row = [string, Profile | null, ConsentState | null, DecisionContext, unknown, Partial<Snapshot>?];
const specDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../spec');
const load = <T>(file: string): T => JSON.parse(readFileSync(resolve(specDir, file), 'utf8')) as T;
const spec = load<{ snapshot: string; decide: Row[] }>('decide.json');

const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
const publicKey = await webcrypto.subtle.exportKey('jwk', keys.publicKey);

/** The Candor server's snapshot route for one signed body: what the client fetches and verifies. */
async function snapshotRoute(snapshot: Snapshot): Promise<typeof fetch> {
  const body = JSON.stringify(snapshot);
  const signature = Buffer.from(
    await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keys.privateKey, new TextEncoder().encode(body)),
  ).toString('base64url');
  return async () => new Response(body, { headers: { 'candor-signature': signature, etag: '"spec"' } });
}

function wireOf(cookie: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(cookie.slice(2), 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The same cookie, plus a value for every field whose purpose it does not grant. */
function forgeUngranted(cookie: string, snapshot: Snapshot, consent: ConsentState): string {
  const wire = wireOf(cookie);
  const stored = { ...((wire['p'] as Record<string, unknown> | undefined) ?? {}) };
  for (const field of snapshot.fields) {
    if (consent.purposes[field.purpose]?.status === 'granted') continue;
    const value =
      field.type === 'number' ? 500 : field.type === 'boolean' ? true : field.type === 'string[]' ? ['x'] : 'developer';
    stored[field.key] = [value, field.source, 1795867200000, 1798545600000];
  }
  return `1.${Buffer.from(JSON.stringify({ ...wire, p: stored }), 'utf8').toString('base64url')}`;
}

describe('spec/decide.json: browser path and @candor/node decide alike', () => {
  it.each(spec.decide)('%s', async (_name, profile, consent, context, _expected, override) => {
    const snapshot = { ...load<Snapshot>(spec.snapshot), ...override };
    const checked = decide(snapshot, profile, consent, context);
    // Rows about malformed snapshots are core's alone: a server never signs one.
    if (checked.some((decision) => decision.reason === 'ERROR')) return;
    const state = consent ?? { purposes: {}, signals: {} };
    const browser = decideVerified(snapshot, profile ?? undefined, state, context);
    expect(browser.length).toBeGreaterThan(0);

    const written = encodeVisitorCookie(
      { consent: state, profile: profile ?? { version: 1, values: {} }, snapshotVersion: snapshot.version },
      snapshot,
    );
    // No choice, no cookie: only the browser's signals travel, as headers.
    const signalHeaders = {
      ...(state.signals.gpc ? { 'sec-gpc': '1' } : {}),
      ...(state.signals.dnt ? { dnt: '1' } : {}),
    };
    const headersFor = (cookie: string | undefined): Record<string, string> => ({
      'accept-language': (context.languages ?? []).join(', '),
      ...(cookie === undefined ? signalHeaders : { cookie: `candor_${snapshot.site.siteKey}=${cookie}` }),
    });
    const client = createCandorClient({
      serverUrl: 'https://candor.example',
      siteKey: snapshot.site.siteKey,
      publicKey,
      liveUpdates: false,
      fetch: await snapshotRoute(snapshot),
      now: () => context.now,
    });
    const options = { attributes: context.attributes, ...(context.slots ? { slots: context.slots } : {}) };
    const cookie = written.ok ? written.value : undefined;
    const fromCookie = await client.decide({ headers: headersFor(cookie) }, options);
    expect(fromCookie.decisions).toEqual(browser);

    if (cookie !== undefined) {
      const forged = await client.decide({ headers: headersFor(forgeUngranted(cookie, snapshot, state)) }, options);
      expect(forged.decisions).toEqual(browser);
    }
    await client.close();
  });
});
