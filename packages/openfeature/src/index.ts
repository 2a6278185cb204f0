// @candor/openfeature: the one explicit public surface (docs/architecture.md code habit 6).
export { CandorWebProvider } from './candor-web-provider.js';
export type { CandorForOpenFeature, CandorWebProviderOptions } from './candor-web-provider.js';
export { resolveDecision } from './resolution.js';
