// `npm start`: installs and builds what is missing, then runs the Temporal dev server, the
// simulator, the worker and the API until Ctrl-C (scripts/app-processes.mjs: the launcher in this
// terminal, and the shutdown order). Plain Node: it runs before `npm install`.
import { fileURLToPath } from 'node:url';
import { ensureTemporalCli } from '../temporal/cli.mjs';
import { devServerSettingsFromEnv } from '../temporal/settings.mjs';
import { portsFromEnv, runInTerminal } from './app-processes.mjs';
import { childLogEnv } from './child-log-env.mjs';
import { ensureInstalled } from './ensure-installed.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const READY_TIMEOUT_MS = 120_000;
const DEFAULT_CREDENTIALS = [{ username: 'demo', password: 'demo', merchant: 'demo' }];

async function main() {
  const env = process.env;
  const settings = devServerSettingsFromEnv(env, repoRoot);
  const ports = portsFromEnv(env, { viewPush: 3001 });
  await ensureInstalled({ root: repoRoot, log: console.log });
  await ensureTemporalCli({ log: console.log });
  console.log(`[start] starting Temporal on ${settings.ip}:${settings.port} (data in ${settings.dataDir})`);
  await runInTerminal({
    tag: 'start',
    options: {
      // Temporal's own readiness: the dev server gives up on its own when it cannot start.
      temporal: { mode: 'dev', ip: settings.ip, port: settings.port, uiPort: settings.uiPort, namespace: settings.namespace, readyTimeoutMs: Infinity },
      ports,
      host: env.HOST || '127.0.0.1',
      // An absolute DATA_DIR, so that every process agrees.
      dataDir: settings.dataDir,
      baseEnv: env,
      env: childLogEnv(env, process.stdout),
      healthTimeoutMs: READY_TIMEOUT_MS,
      readyTimeoutMs: READY_TIMEOUT_MS,
    },
    diagnose,
    banner: (launcher) => printBanner({ apiUrl: launcher.apiUrl('api'), simUrl: launcher.simUrl, uiUrl: launcher.temporalUiUrl }),
  });
}

/** One line per process that is not ready, and why. */
async function diagnose(launcher) {
  const probe = (url) =>
    fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      async (r) => `${r.status} ${(await r.text()).slice(0, 200)}`,
      (err) => `no answer (${err.cause?.code ?? err.message})`,
    );
  const apiUrl = launcher.apiUrl('api');
  return [
    `api: GET ${apiUrl}/readyz → ${await probe(`${apiUrl}/readyz`)}`,
    `simulator: GET ${launcher.simUrl}/sim/ledger → ${await probe(`${launcher.simUrl}/sim/ledger`)}`,
    `worker: ${launcher.isRunning('worker') ? 'running, but the API does not see it polling (see [worker] lines above)' : 'not running'}`,
  ];
}

function printBanner({ apiUrl, simUrl, uiUrl }) {
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
      `  Temporal Web:   ${uiUrl}`,
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

main().catch((err) => {
  console.error(`[start] ${err.message}`);
  process.exit(err.exitCode ?? 1);
});
