// The benchmark's Next.js app: two route handlers, one per engine, on the same workload.
const root = new URL('../..', import.meta.url).pathname;

/** @type {import('next').NextConfig} */
const nextConfig = {
  typescript: { ignoreBuildErrors: true },
  outputFileTracingRoot: root,
  turbopack: { root },
};

export default nextConfig;
