// The API's src/ is grouped by concern (spi/, views/, auth/, callbacks/, ops/, http/, temporal/,
// memory/); each folder is used from outside only through its index.ts. Test fixtures are shared.
const shared = require('@payments/tooling/eslint')(__dirname);

module.exports = [
  ...shared,
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@payments/*/src/*', '@payments/*/dist/*'], message: 'Use the package through its exports.' },
            { group: ['@sinclair/typebox', '@sinclair/typebox/*'], message: "The schemas are on TypeBox 1.x: import from 'typebox'." },
            {
              group: ['./*/*', '../*/*', '!./__fixtures__/*', '!../__fixtures__/*'],
              message: "Import another folder of src/ through its index.ts (its public face).",
            },
          ],
        },
      ],
    },
  },
];
