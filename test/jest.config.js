// End-to-end tests: real processes (simulator, worker, API) against one Temporal dev server
// started for the run. Files run one at a time: each starts its own processes and the
// machine has two cores.
module.exports = {
  ...require('@payments/tooling/jest'),
  globalSetup: '@payments/tooling/jest-temporal-setup',
  globalTeardown: '@payments/tooling/jest-temporal-teardown',
  testTimeout: 120_000,
};
