// Lint keeps the layers apart (docs/ARCHITECTURE.md): imports point down only (eslint/layers.js), only
// the Electron shell imports 'electron', the renderer never reaches Node, and shared/ stays pure. Do not relax these rules; fix the import.
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import layers from './eslint/layers.js'

const NODE_MODULES = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'better-sqlite3', 'electron', 'playwright-core']

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'resources/**', 'screenshots/**', 'tmp/**'] },
  ...tseslint.configs.recommended,
  {
    // Imports point down only: renderer → shared; faces → app → stages → store / llm / net → shared.
    files: ['electron/**/*.ts', 'renderer/**/*.{ts,tsx}', 'shared/**/*.ts'],
    plugins: { sightline: layers },
    rules: { 'sightline/layers': 'error' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main.ts', 'electron/preload.ts', 'electron/clips/frames-electron.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only main.ts, preload.ts and clips/frames-electron.ts may import electron: the core also runs under plain Node.' }] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'no-restricted-imports': ['error', { patterns: [{ group: NODE_MODULES, message: 'The renderer has no Node access: go through renderer/lib/api.ts.' }, { group: ['**/electron/**'], message: 'The renderer talks to the core only through shared/api.ts.' }] }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: NODE_MODULES, message: 'shared/ is pure TypeScript used by both sides.' }, { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ depends on nothing of ours.' }] }],
    },
  },
)
