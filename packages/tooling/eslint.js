// ESLint flat config shared by every workspace. The rules that matter for this codebase:
// no floating promises (a lost promise is a lost payment step), type-only imports (workflow
// code must import activities as types), exhaustive switches over the payment states, and no
// deep imports into another package's src/.
const tseslint = require('typescript-eslint');

/** @param {string} tsconfigRootDir */
module.exports = (tsconfigRootDir) =>
  tseslint.config(
    { ignores: ['dist/**', 'node_modules/**', 'jest.config.js', 'eslint.config.js'] },
    ...tseslint.configs.recommended,
    {
      files: ['**/*.ts'],
      languageOptions: {
        parserOptions: { project: './tsconfig.json', tsconfigRootDir },
      },
      rules: {
        '@typescript-eslint/no-floating-promises': 'error',
        '@typescript-eslint/consistent-type-imports': 'error',
        '@typescript-eslint/switch-exhaustiveness-check': 'error',
        '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              { group: ['@payments/*/src/*', '@payments/*/dist/*'], message: 'Use the package through its exports.' },
              // jest still installs TypeBox 0.34 for itself: an import of it would work, and quietly split the schemas.
              { group: ['@sinclair/typebox', '@sinclair/typebox/*'], message: "The schemas are on TypeBox 1.x: import from 'typebox'." },
            ],
          },
        ],
      },
    },
  );
