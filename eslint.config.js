// Type-aware lint for every workspace (run from each workspace with `eslint src`).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.config.*', '**/build.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      // Y.Text and Y.XmlFragment have their own toString, which the rule does not see.
      '@typescript-eslint/no-base-to-string': ['error', { ignoredTypeNames: ['Error', 'RegExp', 'URL', 'URLSearchParams', 'YText', 'Text', 'YXmlFragment'] }],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/apps/*', '@samverkan/server', '@samverkan/server/*'], message: 'Packages and the web app never import server code.' }] },
      ],
    },
  },
  // Plain-JavaScript files (the SQLite worker) are type-checked by tsc with checkJs.
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
);
