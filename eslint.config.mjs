// Lint: type-aware typescript-eslint rules, plus one import rule per src/ folder (and one for
// destinations/) so that a dependency pointing the wrong way fails `npm test` (DESIGN.md, "Layout
// and boundaries").
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export const folders = ['protocol', 'transport', 'sdk', 'widget', 'hub', 'server', 'snippet'];
const nodeOnly = ['node:*', 'ws', 'better-sqlite3', 'pg', 'kysely', 'hono', '@hono/*', '@node-rs/*', 'ioredis'];
const domOnly = ['preact', 'preact/*', '@preact/*'];

/** What each folder may import, besides its own files (DESIGN.md's table). */
const allowed = {
  protocol: { ours: [], packages: ['valibot'] },
  transport: { ours: ['protocol'], packages: [] },
  sdk: { ours: ['protocol', 'transport', 'widget'], packages: [] },
  widget: { ours: ['sdk', 'protocol'], packages: domOnly },
  hub: { ours: ['transport', 'protocol'], packages: domOnly },
  server: { ours: ['protocol'], packages: nodeOnly },
  snippet: { ours: [], packages: [] },
};

/**
 * The import rule of one folder; exported so a test can prove each rule bites.
 * @param {string} folder
 * @returns {import('eslint').Linter.Config}
 */
export function boundary(folder) {
  const { ours } = allowed[folder];
  const forbiddenOurs = folders.filter((other) => other !== folder && !ours.includes(other));
  const patterns = forbiddenOurs.map((other) => ({
    group: [`../${other}`, `../${other}/*`, `**/src/${other}/*`],
    message: `src/${folder} may not import src/${other} (see DESIGN.md, Layout and boundaries).`,
  }));
  if (folder !== 'server') {
    patterns.push({ group: nodeOnly, message: `src/${folder} runs in browsers: no Node or server packages.` });
  }
  if (!['widget', 'hub'].includes(folder)) {
    patterns.push({ group: domOnly, message: `src/${folder} may not import UI packages.` });
  }
  return {
    files: [`src/${folder}/**/*.{ts,tsx}`],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
  };
}

/**
 * The import rule of destinations/: Parley by its package entry only, analytics-next by its types
 * only (a peer dependency the plugin must not bundle), and nothing that cannot run in a browser.
 * @type {import('eslint').Linter.Config}
 */
export const destinationsBoundary = {
  files: ['destinations/**/*.ts'],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: ['../src/*', '../../src/*', '../../../src/*', '**/src/**'],
            message:
              "destinations import Parley by its package entry, 'parley' (see DESIGN.md, Layout and boundaries).",
          },
          {
            group: ['@segment/*'],
            allowTypeImports: true,
            message: 'analytics-next is a peer dependency of destinations: import its types only.',
          },
          { group: nodeOnly, message: 'destinations run in browsers: no Node or server packages.' },
          { group: domOnly, message: 'destinations may not import UI packages.' },
        ],
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'test-results/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Each file is checked in its own program: browser folders without Node types, the
        // server without the DOM, tests with both.
        project: ['./tsconfig.json', './tsconfig.server.json', './tsconfig.test.json', './tsconfig.destinations.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
    },
  },
  ...folders.map(boundary),
  destinationsBoundary,
  {
    files: ['**/*.mjs', 'bin/**/*.js', 'scripts/**', 'bench/**', '.ci/**'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { ...globals.node },
    },
  },
  {
    files: ['examples/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { ...globals.browser },
    },
  },
  {
    files: ['test/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
