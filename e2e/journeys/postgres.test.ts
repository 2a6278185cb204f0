// Issue 10, "Close the blind spot": the same journeys on PostgreSQL (DATABASE_URL, a fresh schema).
// Under CI=true a missing CANDOR_TEST_PG_URL fails here instead of skipping.
import { journeyPostgresUrl, PG_SKIP_REASON } from '../support/candor-process.js';
import { defineJourneys } from './define-journeys.js';

defineJourneys('postgres', journeyPostgresUrl() === undefined ? PG_SKIP_REASON : undefined);
