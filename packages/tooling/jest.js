// Jest preset shared by every workspace: TypeScript through ts-jest, transpile-only (isolatedModules in tsconfig.base.json)
// (types are checked once by `turbo run typecheck`, not again per test file).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
