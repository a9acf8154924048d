// The cluster's settings, checked without starting it (node --test; no npm dependencies). The
// cluster itself runs in test/src/cluster/.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterSettingsFromEnv, derivedPorts } from './cluster.mjs';
import { searchAttributes } from './dev-server.mjs';

test('clusterSettingsFromEnv with nothing set → 4 history shards, PostgreSQL on 5433, the dev server\'s addresses', () => {
  const s = clusterSettingsFromEnv({}, '/repo');
  assert.equal(s.numHistoryShards, 4);
  assert.deepEqual(s.postgres, { port: 5433, user: 'temporal', password: 'temporal' });
  assert.equal(s.port, 7233);
  assert.equal(s.dataDir, '/repo/.data');
});

test('clusterSettingsFromEnv with a bad NUM_HISTORY_SHARDS, POSTGRES_PORT or frontend port → one line naming the variable', () => {
  assert.throws(() => clusterSettingsFromEnv({ NUM_HISTORY_SHARDS: '0' }, '/repo'), /^Error: NUM_HISTORY_SHARDS must be a whole number from 1 to 16384, got "0"$/);
  assert.throws(() => clusterSettingsFromEnv({ NUM_HISTORY_SHARDS: '2.5' }, '/repo'), /NUM_HISTORY_SHARDS/);
  assert.throws(() => clusterSettingsFromEnv({ POSTGRES_PORT: 'pg' }, '/repo'), /^Error: POSTGRES_PORT must be a port number, got "pg"$/);
  assert.throws(() => clusterSettingsFromEnv({ TEMPORAL_ADDRESS: '127.0.0.1:40000' }, '/repo'), /^Error: TEMPORAL_ADDRESS's port must be from 301 to 32757/);
});

test('derivedPorts(7233) → Temporal\'s own default layout', () => {
  assert.deepEqual(derivedPorts(7233), {
    frontend: 7233,
    frontendMembership: 6933,
    frontendHttp: 7243,
    history: 7234,
    historyMembership: 6934,
    matching: 7235,
    matchingMembership: 6935,
    worker: 7239,
    workerMembership: 6939,
    metrics: 8000,
  });
});

test('the payment search attributes fit PostgreSQL visibility\'s columns (10 Keyword, 3 of every other type)', () => {
  // schema/postgresql/v12/visibility of server v1.29.1: Keyword01–10, and 01–03 of the others.
  const columns = { Keyword: 10, Text: 3, Int: 3, Double: 3, Bool: 3, Datetime: 3, KeywordList: 3 };
  const used = {};
  for (const type of Object.values(searchAttributes)) used[type] = (used[type] ?? 0) + 1;
  for (const [type, n] of Object.entries(used)) assert.ok(n <= (columns[type] ?? 0), `${n} ${type} attributes, PostgreSQL has ${columns[type] ?? 0}`);
});
