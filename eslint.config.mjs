import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import { ARCHITECTURE_ZONES, architecturePlugin } from './eslint-rules/architecture.mjs';

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: ['.next/**', '.next-*/**', 'node_modules/**', 'data/**', 'db/migrations/**', 'test-results/**', 'playwright-report/**', 'bench/results/**', 'next-env.d.ts'],
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Plain, escaped text only (docs/security/README.md).' },
      ],
    },
  },
  // The rooms and the arrows between them (docs/architecture.md "Rooms and arrows").
  {
    files: ['app/**/*.{ts,tsx}', 'lib/**/*.{ts,tsx}', 'db/**/*.ts'],
    ignores: ['**/*.test.ts', 'lib/testing/**'],
    plugins: { architecture: architecturePlugin },
    rules: {
      'import/no-restricted-paths': ['error', { zones: ARCHITECTURE_ZONES }],
      'architecture/shared-ui-no-data-layer': 'error',
    },
  },
  // next.config.js is CommonJS (the design card names it .js and the package is not ESM).
  { files: ['next.config.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
];

export default config;
