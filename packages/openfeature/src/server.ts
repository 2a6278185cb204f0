// @candor/openfeature/server: the provider for @openfeature/server-sdk over @candor/node.
export { CandorServerProvider } from './candor-server-provider.js';
export type { CandorClientForOpenFeature } from './candor-server-provider.js';
export { contextRequest } from './server-context.js';
export type { CandorEvaluationContext, ContextRequest } from './server-context.js';
