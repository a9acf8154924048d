// The shared preset, plus the examples, which have their own tsconfig (they import the package by its name).
const preset = require('@payments/tooling/eslint')(__dirname);

module.exports = [
  ...preset,
  { ignores: ['examples/dist/**'] },
  { files: ['examples/**/*.ts'], languageOptions: { parserOptions: { project: './examples/tsconfig.json', tsconfigRootDir: __dirname } } },
];
