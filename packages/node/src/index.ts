// @candor/node: the one explicit public surface (no `export *`, docs/architecture.md code habit 6).
export { createCandorClient } from './client.js';
export type {
  CandorClient,
  CandorClientOptions,
  ClientStatus,
  DecideRequestOptions,
  RedirectResponse,
  RequestDecisions,
  SnapshotOrigin,
} from './client.js';
export { HOLDOUT_VARIANT, createAggregateReporter, measurable } from './aggregate-reporter.js';
export type { AggregateReporter, FlushResult, ReporterOptions, VisitorOutcome } from './aggregate-reporter.js';
export type { CandorNodeError, CandorNodeErrorCode } from './errors.js';
export { clearVisitorCookie, visitorSetCookie } from './set-cookie.js';
export type { CookieAttributes, SetCookieResult } from './set-cookie.js';
export type { SnapshotCache } from './snapshot-cache.js';
export type { SignedSnapshotBytes, VerifiedSnapshot } from './snapshot-source.js';
export { verifySignature } from './verify-signature.js';
export type { PublicJwk } from './verify-signature.js';
export { cookieValue } from '@candor/core';
export { acceptedLanguages, readRequestVisitor } from './visitor-request.js';
export type { HeaderSource, RequestLike, RequestVisitor } from './visitor-request.js';
