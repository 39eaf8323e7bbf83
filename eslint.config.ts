import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'
import prettier from 'eslint-config-prettier'
import globals from 'globals'

export default tseslint.config(
  { ignores: ['.tmp/**', 'out/**', 'dist/**', 'node_modules/**', 'native/**', 'e2e/.artifacts/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    files: ['src/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['electron/**/*.ts', 'scripts/**/*.{ts,mjs}', 'bench/**/*.ts', 'e2e/**/*.ts', '*.config.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      'vue/multi-word-component-names': 'off',
    },
  },
  {
    // The engine is pure: no Electron, no SQLite, no I/O.
    files: ['electron/engine/**/*.ts'],
    ignores: ['electron/engine/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'better-sqlite3', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'http', 'node:http', 'net', 'node:net', 'child_process', 'node:child_process'],
          patterns: ['**/store/**', '**/services/**', '**/transports/**', '**/main/**'],
        },
      ],
    },
  },
  {
    // The renderer is untrusted and transport-agnostic: it reaches the backend only through the api client.
    files: ['src/**/*.{ts,vue}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'better-sqlite3', 'node:fs', 'fs'],
          patterns: [
            {
              group: ['@engine/*', '**/electron/engine/**'],
              allowTypeImports: true,
              message: 'The renderer may use the engine\'s types only; figures come from the backend.',
            },
            { group: ['**/electron/store/**', '**/electron/services/**', '**/electron/transports/**', '**/electron/importers/**'], message: 'The renderer reaches the backend only through src/api.' },
          ],
        },
      ],
    },
  },
  prettier,
)
