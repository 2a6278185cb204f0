import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The dashboard is served by the Candor server under /admin/, so every asset URL starts there. */
export const dashboardConfig = defineConfig({
  base: '/admin/',
  plugins: [react()],
  // Workspace packages (schema, core) are used from their TypeScript source, unbuilt.
  resolve: { conditions: ['@candor/source', 'module', 'browser', 'development|production'] },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
  // `npm run dev -w @candor/dashboard` serves the SPA with hot reload and sends API calls to a running
  // server (`npm start`), so the session cookie stays same-origin.
  server: {
    proxy: Object.fromEntries(
      ['/v1', '/sdk'].map((path) => [path, process.env['CANDOR_API'] ?? 'http://127.0.0.1:8787']),
    ),
  },
});

// eslint-disable-next-line no-restricted-syntax -- Vite reads its config from the default export.
export default dashboardConfig;
