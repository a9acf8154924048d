// The payment's rules (pure functions) are tested without Temporal; the workflow itself runs
// against a real Temporal dev server, started once per run and only when one of its tests runs.
const base = require('@payments/tooling/jest');

const RULES = ['<rootDir>/src/state.test.ts', '<rootDir>/src/refunds.test.ts', '<rootDir>/src/failures.test.ts', '<rootDir>/src/reconcile/match.test.ts'];

module.exports = {
  testTimeout: 60_000,
  projects: [
    { ...base, displayName: 'rules', testMatch: RULES },
    {
      ...base,
      displayName: 'workflow',
      testPathIgnorePatterns: [...(base.testPathIgnorePatterns ?? ['/node_modules/']), ...RULES.map((p) => p.replace('<rootDir>', ''))],
      globalSetup: '@payments/tooling/jest-temporal-setup',
      globalTeardown: '@payments/tooling/jest-temporal-teardown',
    },
  ],
};
