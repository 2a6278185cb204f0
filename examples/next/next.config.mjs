// The workspace packages are used from their built dist (run `npm run build` at the root first).
const root = new URL('../..', import.meta.url).pathname;

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // The monorepo's `npm run typecheck` (tsc -b) checks this app against the packages' sources.
  typescript: { ignoreBuildErrors: true },
  // Next would otherwise guess the root from the nearest lock file and warn about it.
  outputFileTracingRoot: root,
  turbopack: { root },
};

export default nextConfig;
