// `npm run cluster`: the production topology on this machine. Installs and builds what is missing
// (the apps, the Temporal server, PostgreSQL), then runs PostgreSQL, the Temporal server with
// NUM_HISTORY_SHARDS shards and Temporal Web (temporal/cluster.mjs), the simulator, two workers on
// one task queue and two APIs (PORT and PORT+1), each worker pushing views to both APIs; until
// Ctrl-C. State survives a restart: PostgreSQL's folder and the ledger live under DATA_DIR.
// Plain Node: it runs before `npm install`.
import { fileURLToPath } from 'node:url';
import { clusterSettingsFromEnv, startCluster } from '../temporal/cluster.mjs';
import { onOrphaned, stopProcess } from '../temporal/processes.mjs';
import { shutdownOnExit, spawnApp, waitForReady } from './app-processes.mjs';
import { ensureInstalled } from './ensure-installed.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 10_000;
/** Two of each: the smallest count that shows a payment moving between instances. */
const INSTANCES = 2;

const log = (line) => console.log(`[cluster] ${line}`);
let cluster;
const apps = []; // { name, child }
let shuttingDown = false;

async function main() {
  // A requested stop is a success: exit 0, so npm does not report a failed script.
  process.on('SIGINT', () => shutdown(0, 'SIGINT'));
  process.on('SIGTERM', () => shutdown(0, 'SIGTERM'));
  onOrphaned(() => shutdown(0, 'npm (our parent) exited'));

  const settings = clusterSettingsFromEnv(process.env, repoRoot);
  const port = portFromEnv('PORT', 3000);
  const pushPort = portFromEnv('VIEW_PUSH_PORT', 3011);
  const metricsPort = portFromEnv('WORKER_METRICS_PORT', 9464);
  const host = process.env.HOST || '127.0.0.1';

  await ensureInstalled({ root: repoRoot, log: console.log });
  log(`starting PostgreSQL on 127.0.0.1:${settings.postgres.port} and Temporal (${settings.numHistoryShards} history shards) on ${settings.ip}:${settings.port}, data in ${settings.dataDir}`);
  cluster = await startCluster({ ...settings, log: console.log });
  watchUnexpectedExit('temporal-server', cluster.server);
  watchUnexpectedExit('postgres', cluster.postgres.process);

  const pushUrls = Array.from({ length: INSTANCES }, (_, i) => `http://127.0.0.1:${pushPort + i}`);
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: cluster.address,
    TEMPORAL_NAMESPACE: settings.namespace,
    DATA_DIR: settings.dataDir,
    // Every worker pushes every view to every API instance (docs/operators/production.md).
    VIEW_PUSH_URLS: pushUrls.join(','),
  };
  startApp('simulator', 'apps/simulator/dist/main.js', env);
  for (let i = 0; i < INSTANCES; i++) {
    startApp(`worker-${i + 1}`, 'apps/worker/dist/main.js', { ...env, WORKER_METRICS_PORT: String(metricsPort + i) });
  }
  const apiUrls = [];
  for (let i = 0; i < INSTANCES; i++) {
    startApp(`api-${i + 1}`, 'apps/api/dist/main.js', { ...env, HOST: host, PORT: String(port + i), VIEW_PUSH_PORT: String(pushPort + i) });
    apiUrls.push(`http://${displayHost(host)}:${port + i}`);
  }

  for (const url of apiUrls) {
    if (!(await waitForReady(`${url}/readyz`, { timeoutMs: READY_TIMEOUT_MS, stopping: () => shuttingDown }))) {
      if (shuttingDown) return;
      log(`${url}/readyz not ready after ${READY_TIMEOUT_MS / 1000} s (see the [api-…] and [worker-…] lines above)`);
      return shutdown(1, 'startup timed out');
    }
  }
  console.log(
    [
      '',
      'Sitoo payments is running on the cluster topology. Ctrl-C stops everything.',
      ...apiUrls.map((url, i) => `  API ${i + 1} (SPI):    ${url}`),
      `  Temporal:       ${cluster.address} (namespace ${settings.namespace}, ${settings.numHistoryShards} history shards, PostgreSQL on 127.0.0.1:${settings.postgres.port})`,
      `  Temporal Web:   ${cluster.uiUrl}`,
      `  Simulator:      http://127.0.0.1:${process.env.SIM_PORT || 3100}   (ledger: /sim/ledger)`,
      `  Workers:        ${INSTANCES} on one task queue, metrics on ${Array.from({ length: INSTANCES }, (_, i) => metricsPort + i).join(', ')}`,
      '  A payment started on one API can be polled and completed on the other.',
      '',
    ].join('\n'),
  );
}

function startApp(name, main, env) {
  const child = spawnApp({ name, main, cwd: repoRoot, env, log });
  watchUnexpectedExit(name, child);
  apps.push({ name, child });
}

function watchUnexpectedExit(name, child) {
  shutdownOnExit(name, child, { stopping: () => shuttingDown, shutdown });
}

/** The apps first, then Temporal Web, the server and PostgreSQL (fast shutdown). A second Ctrl-C kills everything. */
async function shutdown(code, reason) {
  if (shuttingDown) {
    log('stopping now (SIGKILL)');
    for (const { child } of apps) child.kill('SIGKILL');
    for (const child of [cluster?.web, cluster?.server, cluster?.postgres?.process]) child?.kill('SIGKILL');
    process.exit(code);
  }
  shuttingDown = true;
  log(`${reason}: stopping ${[...apps.map((a) => a.name), ...(cluster ? ['temporal', 'postgres'] : [])].join(', ') || 'nothing started yet'}`);
  await Promise.all(apps.map(({ child }) => stopProcess(child, STOP_GRACE_MS)));
  await cluster?.stop();
  log('stopped');
  process.exit(code);
}

function portFromEnv(name, fallback) {
  const port = Number(process.env[name] || fallback);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name} must be a port number, got "${process.env[name]}"`);
  return port;
}

function displayHost(h) {
  return h === '0.0.0.0' || h === '::' ? '127.0.0.1' : h;
}

main().catch((err) => {
  console.error(`[cluster] ${err.message}`);
  return shuttingDown ? undefined : shutdown(err.exitCode ?? 1, 'startup failed');
});
