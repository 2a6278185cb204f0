// One linter for the monorepo: typescript-eslint, kebab-case file names, and the package
// boundaries of docs/architecture.md enforced as rules rather than good intentions. Prettier formats.
import checkFile from 'eslint-plugin-check-file';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// A relative path into another package's folders skips that package's public surface (its index,
// or `@candor/server/testing` for suites and benches): import the package by name instead.
const leavesPackage = {
  regex: '^(\\.\\./)+(packages/)?[a-z-]+/src/',
  message: "import another package by its name (its index or '@candor/server/testing'), not by a path into its folders",
};
const pure = 'core and stats are pure: no imports beyond relative ones (zero runtime dependencies)';
const platformGlobals = [
  'window',
  'document',
  'navigator',
  'localStorage',
  'sessionStorage',
  'process',
  'fetch',
  'setTimeout',
  'setInterval',
  'crypto',
].map((name) => ({ name, message: 'core and stats are blind to their platform: pass it in as a parameter' }));

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'coverage/**',
      'candor-data/**',
      'packages/*/public/**',
      'e2e/artifacts/**',
      'bench/.build/**',
      // Next.js writes its build and a generated type reference file here.
      'examples/next/.next/**',
      'examples/next/next-env.d.ts',
      'bench/next/.next/**',
      'bench/next/next-env.d.ts',
    ],
  },
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { 'check-file': checkFile },
    rules: {
      'check-file/filename-naming-convention': [
        'error',
        { '**/*.{ts,tsx,js}': 'KEBAB_CASE' },
        { ignoreMiddleExtensions: true },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    rules: { 'no-restricted-imports': ['error', { patterns: [leavesPackage] }] },
  },
  {
    // Tool config files (eslint, vitest, vite) must export a default; project code never does.
    files: ['packages/**', 'bench/**', 'examples/**', 'e2e/**', 'test-support/**'],
    // Modules a tool loads by path (a Vitest config, a Vitest reporter, Next.js pages, layouts and
    // its config) must export a default too.
    ignores: [
      '**/vitest.*config.ts',
      'test-support/stall-watchdog.ts',
      'examples/next/app/**/{page,layout}.tsx',
      'examples/next/next.config.mjs',
      'bench/next/next.config.mjs',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports (docs/architecture.md code habit 6).' },
      ],
    },
  },
  {
    files: ['packages/*/src/index.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports (docs/architecture.md code habit 6).' },
        { selector: 'ExportAllDeclaration', message: 'A package root names what it exports: no `export *`.' },
      ],
    },
  },
  {
    files: ['packages/core/src/**/*.ts', 'packages/stats/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-console': 'error',
      'no-restricted-imports': ['error', { patterns: [{ regex: '^[^.]', message: pure }, leavesPackage] }],
      'no-restricted-globals': ['error', ...platformGlobals],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Randomness is a parameter (pass a seeded PRNG).' },
        { object: 'Date', property: 'now', message: 'The clock is a parameter (context.now).' },
      ],
    },
  },
  {
    files: ['packages/schema/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?!\\.|zod$|@candor/core$)', message: 'schema depends only on zod (and core types)' },
            leavesPackage,
          ],
        },
      ],
    },
  },
  {
    files: ['packages/sdk/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?!\\.|@candor/core$)', message: 'the SDK depends only on @candor/core' },
            leavesPackage,
          ],
        },
      ],
    },
  },
  {
    files: ['packages/react/src/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\.|react$|@candor/(core|sdk)$)',
              message: '@candor/react depends only on react, core and the SDK',
            },
            leavesPackage,
          ],
        },
      ],
    },
  },
  {
    // @candor/node runs in Node, Workers, Deno and edge runtimes: Web APIs only, no DOM, and `node:*`
    // only in its node-only entry (src/file-cache.ts).
    files: ['packages/node/src/**/*.ts'],
    ignores: ['**/*.test.ts', 'packages/node/src/file-cache.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-console': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\.|@candor/core$|eventsource-parser$)',
              message:
                '@candor/node depends only on @candor/core and eventsource-parser (node:* only in file-cache.ts)',
            },
            leavesPackage,
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'process', 'Buffer', 'require'].map(
          (name) => ({ name, message: '@candor/node runs on edge runtimes too: use Web APIs only' }),
        ),
      ],
    },
  },
  {
    files: ['packages/openfeature/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // The server provider (server.ts and what it imports) adds @candor/node and the server SDK.
              regex: '^(?!\\.|@candor/(core|sdk|node)$|@openfeature/(core|web-sdk|server-sdk)$)',
              message:
                'the OpenFeature providers depend on @candor/core, @candor/sdk (types), @candor/node and OpenFeature only',
            },
            leavesPackage,
          ],
        },
      ],
    },
  },
  {
    files: ['packages/dashboard/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(node:|@candor/(server|sdk|stats)$)',
              message: 'the dashboard talks to the server over HTTP only',
            },
            leavesPackage,
          ],
        },
      ],
    },
  },
  {
    files: ['packages/server/src/**/*.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^@candor/(sdk|dashboard)$', message: 'the server depends on core, stats and schema only' },
            leavesPackage,
          ],
        },
      ],
    },
  },
);
