// What tests and benches outside the server package use, as one import (`@candor/server/testing`),
// so none of them reaches into the server's folders by relative path: a file moved inside the
// server changes this list, not every suite. Not part of the published runtime (no build output).
export { createTestApp, TEST_PASSWORD, TEST_SITE } from './test-app.js';
export type { Credentials, TestApp } from './test-app.js';
export { HERO_EXPERIENCE, REVENUE_METRIC, ROLE_FIELD, SIGNUP_METRIC } from './fixtures.js';
export { publishDraft, seedAndPublish } from './seed.js';
export { consent, NOTICE_HASH, registerTestVisitor } from './visitor-flow.js';
export type { TestVisitor } from './visitor-flow.js';

// Services that benches drive directly, without HTTP in between.
export { createAdmin, createApiKey } from '../features/auth/service.js';
export { loadDraft } from '../features/drafts/service.js';
export { publish } from '../features/publish/service.js';
export { createSite } from '../features/sites/service.js';

// The analysis the results endpoint runs, for calibration and speed benches that simulate through it.
export { analyseExperience } from '../features/results/analyse.js';
export type { Analysis } from '../features/results/analyse.js';
export { noisyCells, releaseNoise } from '../features/results/privacy-release.js';
export type { CellDelta } from '../features/reports/store.js';
// The rollup job the server runs on CANDOR_ROLLUP_MINUTES, for the results-at-scale bench.
export { runSeriesRollups } from '../features/results/series-rollup-job.js';
