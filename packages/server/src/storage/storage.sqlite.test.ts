import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStorageContract } from './storage.contract.js';
import { createStorage } from './storage.js';
import { openSqlite } from './sqlite/open-sqlite.js';

describeStorageContract({
  name: 'SQLite (better-sqlite3, WAL)',
  open: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'candor-contract-'));
    const storage = createStorage(openSqlite(join(dir, 'candor.db')));
    await storage.migrate();
    return {
      storage,
      dispose: async () => {
        await storage.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});
