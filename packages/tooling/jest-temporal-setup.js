// Jest globalSetup for suites that need a real Temporal server: one dev server per test run
// (free ports, temporary SQLite folder), so tests never collide with a running `npm start`.
// TEMPORAL_TEST_ADDRESS points the suites at a server that is already running instead.
module.exports = async function startTemporalForTests() {
  if (process.env.TEMPORAL_TEST_ADDRESS) return;
  const { startTestServer } = await import('@payments/temporal/test-server');
  const server = await startTestServer({ log: () => undefined });
  globalThis.__temporalTestServer = server;
  process.env.TEMPORAL_TEST_ADDRESS = server.address;
  process.env.TEMPORAL_TEST_NAMESPACE = server.namespace;
};
