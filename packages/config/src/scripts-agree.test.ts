import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SCHEMAS } from './index';

// The plain-Node scripts parse their few variables themselves (they run before `npm ci`, so they
// cannot load this package): these tests hold their defaults to the declarations.
const ROOT = path.resolve(__dirname, '..', '..', '..');
const declared = (name: string) => {
  const v = SCHEMAS.flatMap((s) => s.variables).find((w) => w.name === name);
  if (!v) throw new Error(`${name} is not declared`);
  return v;
};

/** An ES module's export called in plain Node, as the scripts call it. */
function callScript(file: string, fn: string, args: unknown[]): Record<string, unknown> {
  const code = `import { ${fn} } from ${JSON.stringify(path.join(ROOT, file))}; console.log(JSON.stringify(${fn}(...${JSON.stringify(args)})));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' })) as Record<string, unknown>;
}

test('temporal/settings.mjs (npm start, npm run temporal): the declared defaults of TEMPORAL_ADDRESS, TEMPORAL_UI_PORT, TEMPORAL_NAMESPACE, DATA_DIR', () => {
  const s = callScript('temporal/settings.mjs', 'devServerSettingsFromEnv', [{}, '/repo']);
  expect(`${String(s.ip)}:${String(s.port)}`).toBe(declared('TEMPORAL_ADDRESS').defaultText);
  expect(String(s.uiPort)).toBe(declared('TEMPORAL_UI_PORT').defaultText);
  expect(s.namespace).toBe(declared('TEMPORAL_NAMESPACE').defaultText);
  expect(s.dataDir).toBe(path.join('/repo', declared('DATA_DIR').defaultText));
});

test('temporal/cluster.mjs (npm run cluster): the declared defaults of NUM_HISTORY_SHARDS and the PostgreSQL variables', () => {
  const s = callScript('temporal/cluster.mjs', 'clusterSettingsFromEnv', [{}, '/repo']);
  expect(String(s.numHistoryShards)).toBe(declared('NUM_HISTORY_SHARDS').defaultText);
  expect(s.postgres).toEqual({
    port: Number(declared('POSTGRES_PORT').defaultText),
    user: declared('POSTGRES_USER').defaultText,
    password: declared('POSTGRES_PASSWORD').defaultText,
  });
});

test('scripts/start.mjs and scripts/cluster.mjs: the apps\' ports default to the declared ones (the view push port: the one the declaration names for each)', () => {
  const ports = callScript('scripts/app-processes.mjs', 'portsFromEnv', [{}, { viewPush: 3001 }]);
  expect(String(ports.api)).toBe(declared('PORT').defaultText);
  expect(String(ports.simulator)).toBe(declared('SIM_PORT').defaultText);
  expect(declared('WORKER_METRICS_PORT').defaultText).toContain(String(ports.workerMetrics));
  for (const [file, viewPush] of [['scripts/start.mjs', '3001'], ['scripts/cluster.mjs', '3011']] as const) {
    expect(fs.readFileSync(path.join(ROOT, file), 'utf8')).toContain(`portsFromEnv(env, { viewPush: ${viewPush} })`);
    expect(declared('VIEW_PUSH_PORT').defaultText).toContain(viewPush);
  }
});
