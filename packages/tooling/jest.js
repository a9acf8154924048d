// Jest preset shared by every workspace: TypeScript through ts-jest, transpile-only (isolatedModules in tsconfig.base.json)
// (types are checked once by `turbo run typecheck`, not again per test file).
/** ESM-only dependencies that Node 20 loads with require(esm) but Jest (before Node 24.9) cannot: compiled to CommonJS for tests. */
const ESM_ONLY = ['typebox'];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
    [`/node_modules/(${ESM_ONLY.join('|')})/.+\\.mjs$`]: ['ts-jest', { diagnostics: false, tsconfig: { allowJs: true, module: 'commonjs', target: 'es2022' } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};
