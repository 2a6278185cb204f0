import { describeStorageContract } from './storage.contract.js';
import { createStorage } from './storage.js';
import { createTestPostgres, testPostgresUrl } from './postgres/test-database.js';

describeStorageContract({
  // The name says which PostgreSQL ran, so a PGlite fallback is never mistaken for the real server.
  name: testPostgresUrl() === undefined ? 'PostgreSQL (PGlite: CANDOR_TEST_PG_URL unset)' : 'PostgreSQL (server)',
  open: async () => {
    const database = await createTestPostgres();
    const storage = createStorage(database.handle);
    await storage.migrate();
    return { storage, dispose: database.drop };
  },
});
