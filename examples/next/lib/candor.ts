// One Candor client per server process: it keeps the verified snapshot (refreshed by live updates)
// so each request decides in memory, without a round trip to the Candor server.
import { createCandorClient, type CandorClient } from '@candor/node';

/** What the app needs to reach Candor; set in the environment (see README.md). */
export interface CandorSettings {
  readonly serverUrl: string;
  readonly siteKey: string;
  /** The site's public signing key (a JWK), pinned so a forged snapshot is refused. */
  readonly publicKey: JsonWebKey;
}

/** Reads CANDOR_SERVER_URL, CANDOR_SITE_KEY and CANDOR_PUBLIC_KEY (the JWK as base64url JSON). */
export function candorSettings(): CandorSettings {
  const serverUrl = process.env.CANDOR_SERVER_URL;
  const siteKey = process.env.CANDOR_SITE_KEY;
  const publicKey = process.env.CANDOR_PUBLIC_KEY;
  if (!serverUrl || !siteKey || !publicKey)
    throw new Error('Set CANDOR_SERVER_URL, CANDOR_SITE_KEY and CANDOR_PUBLIC_KEY (see examples/next/README.md).');
  return {
    serverUrl,
    siteKey,
    publicKey: JSON.parse(Buffer.from(publicKey, 'base64url').toString('utf8')) as JsonWebKey,
  };
}

const held = globalThis as typeof globalThis & { candorClient?: CandorClient };

/** The process's client, created on first use. */
export function candor(): CandorClient {
  if (held.candorClient) return held.candorClient;
  const settings = candorSettings();
  held.candorClient = createCandorClient({
    serverUrl: settings.serverUrl,
    siteKey: settings.siteKey,
    publicKey: settings.publicKey,
    // Logged without the visitor: errors are about the snapshot, never about a person.
    onError: (error) => console.warn(`[candor] ${error.code}: ${error.message}`),
  });
  return held.candorClient;
}
