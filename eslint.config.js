import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import { builtinModules as b } from 'node:module'

// The fence of DESIGN.md, held by the linter: only src/main/app and src/preload may import
// electron; src/shared and src/renderer may import neither electron nor Node's built-ins.
// The last matching block wins, so each block lists every ban for its files.
const ban = (files, paths, ignores = []) => ({
  files,
  ignores,
  rules: { 'no-restricted-imports': ['error', { paths }] },
})

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'release/**',
      'node_modules/**',
      '.toolchain/**',
      'test-results/**',
      '**/scratch/**',
      'bench/.scratch/**',
      'models/**/*.py',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  ban(['src/**/*.{ts,tsx}'], ['electron'], ['src/main/app/**', 'src/preload/**']),
  ban(['src/shared/**', 'src/renderer/**'], ['electron', ...b, ...b.map((m) => `node:${m}`)]),
)
