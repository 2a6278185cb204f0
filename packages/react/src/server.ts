// @candor/react/server: what a server (React Server Components included) may import. Nothing here
// touches React state, the DOM or storage; the decisions it prepares go to <CandorProvider>.
export { initialDecisions } from './initial-decision.js';
export type { InitialDecision } from './initial-decision.js';
export { renderedContent } from './slot-content.js';
export type { RenderedContent } from './slot-content.js';
