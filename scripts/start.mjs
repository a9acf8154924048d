// `npm start`: installs and builds what is missing, then runs the Temporal dev server, the
// simulator, the worker and the API until Ctrl-C. Plain Node: it runs before `npm install`.
//
// Shutdown order: the apps first (SIGTERM, SIGKILL after 10 s), Temporal last, so the worker
// can finish its current tasks. A Ctrl-C typed in the terminal also reaches every child at
// once (they share our process group), so then they all stop together; `kill <pid>` of this
// script gets the ordered shutdown.
import { fileURLToPath } from 'node:url';
import { ensureTemporalCli } from '../temporal/cli.mjs';
import { startDevServer } from '../temporal/dev-server.mjs';
import { onOrphaned, stopProcess } from '../temporal/processes.mjs';
import { devServerSettingsFromEnv } from '../temporal/settings.mjs';
import { shutdownOnExit, spawnApp, waitForReady } from './app-processes.mjs';
import { childLogEnv } from './child-log-env.mjs';
import { ensureInstalled } from './ensure-installed.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const APPS = [
  { name: 'simulator', main: 'apps/simulator/dist/main.js' },
  { name: 'worker', main: 'apps/worker/dist/main.js' },
  { name: 'api', main: 'apps/api/dist/main.js' },
];
const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 10_000;
const DEFAULT_CREDENTIALS = [{ username: 'demo', password: 'demo', merchant: 'demo' }];

const log = (line) => console.log(`[start] ${line}`);
let temporal;
const apps = []; // { name, child }
let shuttingDown = false;

async function main() {
  // A requested stop is a success: exit 0, so npm does not report a failed script.
  process.on('SIGINT', () => shutdown(0, 'SIGINT'));
  process.on('SIGTERM', () => shutdown(0, 'SIGTERM'));
  onOrphaned(() => shutdown(0, 'npm (our parent) exited'));

  const settings = devServerSettingsFromEnv(process.env, repoRoot);
  const api = { host: process.env.HOST || '127.0.0.1', port: portFromEnv('PORT', 3000) };
  const simPort = portFromEnv('SIM_PORT', 3100);

  await ensureInstalled({ root: repoRoot, log: console.log });
  const cliPath = await ensureTemporalCli({ log: console.log });
  log(`starting Temporal on ${settings.ip}:${settings.port} (data in ${settings.dataDir})`);
  temporal = await startDevServer({ cliPath, ...settings, log: console.log });
  watchUnexpectedExit('temporal', temporal.process);

  // Every app gets the address actually started and an absolute DATA_DIR, so they agree.
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: settings.namespace,
    DATA_DIR: settings.dataDir,
    ...childLogEnv(process.env, process.stdout),
  };
  for (const app of APPS) apps.push({ name: app.name, child: startApp(app, env) });

  const apiUrl = `http://${displayHost(api.host)}:${api.port}`;
  const simUrl = `http://127.0.0.1:${simPort}`;
  const ready = await waitForReady(`${apiUrl}/readyz`, { timeoutMs: READY_TIMEOUT_MS, stopping: () => shuttingDown });
  if (shuttingDown) return;
  if (!ready) {
    log(`not ready after ${READY_TIMEOUT_MS / 1000} s:`);
    for (const line of await diagnose(apiUrl, simUrl)) log(`  ${line}`);
    return shutdown(1, 'startup timed out');
  }
  printBanner({ apiUrl, simUrl });
}

function startApp({ name, main }, env) {
  // A pretty line names its process already; JSON lines and stderr get the prefix.
  const prefix = env.LOG_FORMAT === 'pretty' ? '' : `[${name}] `;
  const child = spawnApp({ name, main, cwd: repoRoot, env, prefix, log });
  watchUnexpectedExit(name, child);
  return child;
}

function watchUnexpectedExit(name, child) {
  shutdownOnExit(name, child, { stopping: () => shuttingDown, shutdown });
}

/** One line per process that is not ready, and why. */
async function diagnose(apiUrl, simUrl) {
  const probe = (url) =>
    fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      async (r) => `${r.status} ${(await r.text()).slice(0, 200)}`,
      (err) => `no answer (${err.cause?.code ?? err.message})`,
    );
  const running = (name) => apps.find((a) => a.name === name)?.child.exitCode === null;
  return [
    `api: GET ${apiUrl}/readyz → ${await probe(`${apiUrl}/readyz`)}`,
    `simulator: GET ${simUrl}/sim/ledger → ${await probe(`${simUrl}/sim/ledger`)}`,
    `worker: ${running('worker') ? 'running, but the API does not see it polling (see [worker] lines above)' : 'not running'}`,
  ];
}

function printBanner({ apiUrl, simUrl }) {
  let credentials = DEFAULT_CREDENTIALS;
  let source = 'dev default';
  if (process.env.SPI_CREDENTIALS) {
    source = 'from SPI_CREDENTIALS';
    try {
      credentials = JSON.parse(process.env.SPI_CREDENTIALS);
    } catch {
      credentials = [];
    }
  }
  const [first = { username: '<user>', password: '<password>' }] = credentials;
  const body = JSON.stringify({
    creditpaymentid: null,
    paymentname: 'Custom Payment',
    amount: '398.00',
    currencycode: 'SEK',
    storeid: '1',
    storename: 'Demo store',
    storeexternalid: 'demo-1',
    posid: 'SIE0000160000051',
    receiptid: 'SIE000016000005112345',
    cartitems: [],
  });
  console.log(
    [
      '',
      'Sitoo payments is running. Ctrl-C stops everything.',
      `  API (SPI):      ${apiUrl}   (openapi: ${apiUrl}/openapi.json)`,
      `  Temporal Web:   ${temporal.uiUrl}`,
      `  Simulator:      ${simUrl}   (ledger: ${simUrl}/sim/ledger)`,
      `  Credentials (${source}):`,
      ...credentials.map((c) => `    ${c.username} / ${c.password}   merchant ${c.merchant}`),
      '  Try a payment:',
      `    curl -u ${first.username}:${first.password} -H 'Content-Type: application/json' -d '${body}' ${apiUrl}/payments`,
      `    then: curl -u ${first.username}:${first.password} ${apiUrl}/payments/<paymentid from the answer>`,
      '',
    ].join('\n'),
  );
}

/** Stops the apps, then Temporal, then exits. A second Ctrl-C kills everything at once. */
async function shutdown(code, reason) {
  if (shuttingDown) {
    log('stopping now (SIGKILL)');
    for (const { child } of apps) child.kill('SIGKILL');
    temporal?.process.kill('SIGKILL');
    process.exit(code);
  }
  shuttingDown = true;
  log(`${reason}: stopping ${[...apps.map((a) => a.name), ...(temporal ? ['temporal'] : [])].join(', ') || 'nothing started yet'}`);
  await Promise.all(apps.map(({ child }) => stopProcess(child, STOP_GRACE_MS)));
  await temporal?.stop();
  log('stopped');
  process.exit(code);
}

function portFromEnv(name, fallback) {
  const port = Number(process.env[name] || fallback);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name} must be a port number, got "${process.env[name]}"`);
  return port;
}

// A server listening on every interface is reached through loopback.
function displayHost(host) {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}

main().catch((err) => {
  console.error(`[start] ${err.message}`);
  return shuttingDown ? undefined : shutdown(err.exitCode ?? 1, 'startup failed');
});
