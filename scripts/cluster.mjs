// `npm run cluster`: the production topology on this machine. Installs and builds what is missing
// (the apps, the Temporal server, PostgreSQL), then runs PostgreSQL, the Temporal server with
// NUM_HISTORY_SHARDS shards and Temporal Web (temporal/cluster.mjs), the simulator, two workers on
// one task queue and two APIs (PORT and PORT+1), each worker pushing views to both APIs; until
// Ctrl-C (scripts/app-processes.mjs: the launcher in this terminal, and the shutdown order).
// State survives a restart: PostgreSQL's folder and the ledger live under DATA_DIR.
// Plain Node: it runs before `npm install`.
import { fileURLToPath } from 'node:url';
import { clusterSettingsFromEnv } from '../temporal/cluster.mjs';
import { portsFromEnv, runInTerminal } from './app-processes.mjs';
import { ensureInstalled } from './ensure-installed.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const READY_TIMEOUT_MS = 120_000;
/** Two of each: the smallest count that shows a payment moving between instances. */
const INSTANCES = 2;

async function main() {
  const env = process.env;
  const settings = clusterSettingsFromEnv(env, repoRoot);
  const ports = portsFromEnv(env, { viewPush: 3011 });
  await ensureInstalled({ root: repoRoot, log: console.log });
  console.log(`[cluster] starting PostgreSQL on 127.0.0.1:${settings.postgres.port} and Temporal (${settings.numHistoryShards} history shards) on ${settings.ip}:${settings.port}, data in ${settings.dataDir}`);
  const { ip, port, uiPort, namespace, numHistoryShards, postgres } = settings;
  await runInTerminal({
    tag: 'cluster',
    options: {
      // The first run builds the Temporal server and may install PostgreSQL: no time limit on
      // Temporal's start; the cluster process gives up on its own when it cannot start.
      temporal: { mode: 'cluster', ip, port, uiPort, namespace, numHistoryShards, postgres, headless: false, readyTimeoutMs: Infinity },
      workers: INSTANCES,
      apis: INSTANCES,
      numbered: true,
      ports,
      host: env.HOST || '127.0.0.1',
      dataDir: settings.dataDir,
      baseEnv: env,
      healthTimeoutMs: READY_TIMEOUT_MS,
      readyTimeoutMs: READY_TIMEOUT_MS,
    },
    banner: (launcher) =>
      console.log(
        [
          '',
          'Sitoo payments is running on the cluster topology. Ctrl-C stops everything.',
          ...launcher.apiUrls.map((url, i) => `  API ${i + 1} (SPI):    ${url}`),
          `  Temporal:       ${launcher.temporalAddress} (namespace ${namespace}, ${numHistoryShards} history shards, PostgreSQL on 127.0.0.1:${postgres.port})`,
          `  Temporal Web:   ${launcher.temporalUiUrl}`,
          `  Simulator:      ${launcher.simUrl}   (ledger: /sim/ledger)`,
          `  Workers:        ${INSTANCES} on one task queue, metrics on ${launcher.names.filter((n) => n.startsWith('worker')).map((n) => launcher.instanceEnv(n).WORKER_METRICS_PORT).join(', ')}`,
          '  A payment started on one API can be polled and completed on the other.',
          '',
        ].join('\n'),
      ),
  });
}

main().catch((err) => {
  console.error(`[cluster] ${err.message}`);
  process.exit(err.exitCode ?? 1);
});
