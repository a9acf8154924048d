// Jest globalTeardown: stops the dev server that jest-temporal-setup.js started.
module.exports = async function stopTemporalForTests() {
  await globalThis.__temporalTestServer?.stop();
};
