// Candor server: the one explicit public surface (no `export *`, docs/architecture.md code habit 6).
export { buildApp } from './app.js';
export type { AppOptions, CandorApp, RouteEntry } from './app.js';
export { loadConfig } from './config.js';
export type { ServerConfig } from './config.js';
export type { AppContext } from './context.js';
export { openCandor, openConfiguredStorage, startServer } from './main.js';
export type { RunningServer } from './main.js';
export { runCli } from './cli.js';
export { createStorage } from './storage/storage.js';
export type { Storage } from './storage/storage.js';
export { openSqlite } from './storage/sqlite/open-sqlite.js';
export { openPostgres } from './storage/postgres/open-postgres.js';
export type { PostgresOptions } from './storage/postgres/open-postgres.js';
export { migrateToLatest } from './storage/migrate.js';
export { AppError } from './http/app-error.js';
export type { ErrorCode } from './http/app-error.js';
export { webhookSignature } from './features/webhooks/dispatcher.js';
