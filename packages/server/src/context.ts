import type { Redis } from 'ioredis';
import type { RandomSource } from '@candor/stats';
import type { ServerConfig } from './config.js';
import type { Keyring } from './crypto/keyring.js';
import type { SnapshotCache } from './features/publish/snapshot-cache.js';
import type { WebhookDispatcher } from './features/webhooks/dispatcher.js';
import type { Storage } from './storage/storage.js';

/** What every feature's routes and services get: storage, keys, clock and config, passed in (never global). */
export interface AppContext {
  readonly storage: Storage;
  readonly keyring: Keyring;
  readonly config: ServerConfig;
  /** Epoch ms; a parameter so tests control time. */
  readonly clock: () => number;
  /** Uniform draws for differential-privacy noise: a CSPRNG in production, seeded in tests so they cannot flake. */
  readonly noiseRandom: RandomSource;
  /** Shared rate-limit counts across nodes (`REDIS_URL`); absent: each node counts alone. */
  readonly redis?: Redis;
  readonly snapshots: SnapshotCache;
  readonly webhooks: WebhookDispatcher;
}
