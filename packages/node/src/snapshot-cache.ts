import type { SignedSnapshotBytes } from './snapshot-source.js';

/**
 * Where the last good snapshot's bytes outlive the process (a file, a KV store). What comes back is
 * verified again before use, so a cache needs no trust of its own.
 */
export interface SnapshotCache {
  read(): Promise<SignedSnapshotBytes | undefined>;
  write(bytes: SignedSnapshotBytes): Promise<void>;
}
