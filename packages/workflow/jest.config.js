// Workflow tests run against a real Temporal dev server, started once per run.
module.exports = {
  ...require('@payments/tooling/jest'),
  globalSetup: '@payments/tooling/jest-temporal-setup',
  globalTeardown: '@payments/tooling/jest-temporal-teardown',
  testTimeout: 60_000,
};
