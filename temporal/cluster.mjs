// The production topology on one machine: PostgreSQL of our own, the Temporal server (all four
// services in one process, NUM_HISTORY_SHARDS history shards) with the configuration deploy/
// uses, its schema created and upgraded by deploy/'s schema script (temporal-sql-tool), the
// namespace and search attributes registered by deploy/'s other script, and Temporal Web. Plain Node with no npm
// dependencies; scripts/cluster.mjs (`npm run cluster`) and the cluster tests start it.
import { execFile, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ensureTemporalCli } from './cli.mjs';
import { exited, forEachLine, hasExited, killWithParent, stopProcess } from './processes.mjs';
import { ensurePostgres, startPostgres } from './postgres.mjs';
import { ensureTemporalServer } from './server.mjs';
import { devServerSettingsFromEnv } from './settings.mjs';

const execFileAsync = promisify(execFile);
const DEPLOY_TEMPORAL = fileURLToPath(new URL('../deploy/temporal/', import.meta.url));
/** The one server configuration (deploy/temporal/config/payments.yaml) and its dynamic config. */
export const SERVER_CONFIG_FILE = path.join(DEPLOY_TEMPORAL, 'config', 'payments.yaml');
export const DYNAMIC_CONFIG_FILE = path.join(DEPLOY_TEMPORAL, 'dynamicconfig', 'payments.yaml');
const REGISTER_SCRIPT = path.join(DEPLOY_TEMPORAL, 'register-search-attributes.sh');
const SCHEMA_SCRIPT = path.join(DEPLOY_TEMPORAL, 'setup-schema.sh');
const SEARCH_ATTRIBUTES_FILE = fileURLToPath(new URL('./search-attributes.json', import.meta.url));
const WEB_CONFIG_DIR = fileURLToPath(new URL('./web/', import.meta.url));
const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 15_000;
const defaultLog = (line) => console.error(line);

/**
 * `npm run cluster`'s settings: those of the dev server (TEMPORAL_ADDRESS, TEMPORAL_UI_PORT,
 * TEMPORAL_NAMESPACE, DATA_DIR) plus NUM_HISTORY_SHARDS, POSTGRES_PORT, POSTGRES_USER and
 * POSTGRES_PASSWORD. Throws one line naming a bad variable.
 */
export function clusterSettingsFromEnv(env, repoRoot) {
  const base = devServerSettingsFromEnv(env, repoRoot);
  const shards = Number(env.NUM_HISTORY_SHARDS || 4);
  if (!Number.isInteger(shards) || shards < 1 || shards > 16384) {
    throw new Error(`NUM_HISTORY_SHARDS must be a whole number from 1 to 16384, got "${env.NUM_HISTORY_SHARDS}"`);
  }
  // The services' ports follow from the frontend's (derivedPorts) and must fit the smallint
  // Temporal's PostgreSQL schema keeps them in (cluster_membership.rpc_port).
  if (base.port < 301 || base.port > 32757) {
    throw new Error(`TEMPORAL_ADDRESS's port must be from 301 to 32757 for the cluster (Temporal keeps service ports in a PostgreSQL smallint), got ${base.port}`);
  }
  const postgresPort = Number(env.POSTGRES_PORT || 5433);
  if (!Number.isInteger(postgresPort) || postgresPort < 1 || postgresPort > 65535) {
    throw new Error(`POSTGRES_PORT must be a port number, got "${env.POSTGRES_PORT}"`);
  }
  return {
    ...base,
    numHistoryShards: shards,
    postgres: { port: postgresPort, user: env.POSTGRES_USER || 'temporal', password: env.POSTGRES_PASSWORD || 'temporal' },
  };
}

/**
 * The ports of the server's services, derived from the frontend's the way Temporal's defaults
 * are (7233 → history 7234, matching 7235, worker 7239, membership 6933…, HTTP 7243).
 */
export function derivedPorts(frontendPort) {
  return {
    frontend: frontendPort,
    frontendMembership: frontendPort - 300,
    frontendHttp: frontendPort + 10,
    history: frontendPort + 1,
    historyMembership: frontendPort - 299,
    matching: frontendPort + 2,
    matchingMembership: frontendPort - 298,
    worker: frontendPort + 6,
    workerMembership: frontendPort - 294,
    metrics: frontendPort + 767,
  };
}

/**
 * Starts PostgreSQL, prepares its databases, starts the Temporal server and (unless headless)
 * Temporal Web, and registers the namespace; resolves once a payment workflow with every search
 * attribute can start. Everything dies with this process. `ports` overrides derivedPorts().
 */
export async function startCluster({
  dataDir,
  ip = '127.0.0.1',
  port,
  uiPort,
  namespace = 'default',
  numHistoryShards = 4,
  postgres: pgSettings,
  ports = derivedPorts(port),
  headless = false,
  log = defaultLog,
}) {
  const binaries = await ensureTemporalServer({ log });
  const cliPath = await ensureTemporalCli({ log });
  const binDir = await ensurePostgres({ log });
  await fs.mkdir(dataDir, { recursive: true });
  const address = `${ip}:${ports.frontend}`;
  const pgOptions = { binDir, dataDir: path.join(dataDir, 'postgresql'), ...pgSettings, log };

  const cluster = {
    address,
    namespace,
    numHistoryShards,
    uiUrl: headless ? undefined : `http://${ip}:${uiPort}`,
    metricsUrl: `http://${ip}:${ports.metrics}/metrics`,
    postgres: undefined,
    server: undefined,
    web: undefined,
    /** Starts PostgreSQL (again) on the same data folder; resolves once it accepts connections. */
    async startPostgres() {
      if (cluster.postgres && !hasExited(cluster.postgres.process)) throw new Error('PostgreSQL is already running');
      cluster.postgres = await startPostgres(pgOptions);
    },
    isPostgresRunning() {
      return cluster.postgres !== undefined && !hasExited(cluster.postgres.process);
    },
    /** Stops PostgreSQL in one of its modes: `fast` (the default), `smart` or `immediate`. */
    async stopPostgres(mode = 'fast') {
      await cluster.postgres?.stop(mode);
    },
    /** Starts the Temporal server (again); resolves once the namespace answers. */
    async startServer() {
      if (cluster.server && !hasExited(cluster.server)) throw new Error('the Temporal server is already running');
      const child = spawnServer({ server: binaries.server, ip, ports, numHistoryShards, pg: cluster.postgres, pgSettings, log });
      cluster.server = child;
      try {
        await waitUntilServing({ cliPath, address, namespace: 'temporal-system', child });
      } catch (err) {
        for (const line of child.recentOutput) log(`[temporal-server] ${line}`);
        throw err;
      } finally {
        child.starting = false;
      }
    },
    /** SIGTERM (SIGKILL after 15 s), or SIGKILL with hard: a crash. Resolves once it has exited. */
    async stopServer({ hard = false } = {}) {
      const child = cluster.server;
      if (!child || hasExited(child)) return;
      if (hard) {
        child.kill('SIGKILL');
        await exited(child);
      } else await stopProcess(child, STOP_GRACE_MS);
    },
    isServerRunning() {
      return cluster.server !== undefined && !hasExited(cluster.server);
    },
    /** Stops Temporal Web, the server and PostgreSQL, in that order. */
    async stop() {
      if (cluster.web) await stopProcess(cluster.web, 5_000);
      await cluster.stopServer();
      await cluster.stopPostgres('fast');
    },
  };
  try {
    await cluster.startPostgres();
    await prepareDatabases({ sqlTool: binaries.sqlTool, port: cluster.postgres.port, ...pgSettings, log });
    await cluster.startServer();
    await registerNamespace({ cliPath, address, namespace, log });
    await waitUntilPaymentsCanStart({ cliPath, address, namespace });
    if (!headless) cluster.web = spawnWeb({ uiServer: binaries.uiServer, address, ip, uiPort, namespace, log });
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}

/** deploy/'s schema script: both databases created when missing and upgraded to the newest schema. */
async function prepareDatabases({ sqlTool, port, user, password, log }) {
  const env = { PATH: process.env.PATH, TEMPORAL_SQL_TOOL: sqlTool, POSTGRES_HOST: '127.0.0.1', POSTGRES_PORT: String(port), POSTGRES_USER: user, POSTGRES_PASSWORD: password };
  const { stdout } = await execFileAsync('sh', [SCHEMA_SCRIPT], { env, maxBuffer: 1 << 24 }).catch((err) => {
    throw new Error(`deploy/temporal/setup-schema.sh failed: ${lastLine(err.stderr || err.stdout || err.message)}`);
  });
  for (const line of stdout.split('\n').filter((l) => l.startsWith('database '))) log(`[temporal-sql-tool] ${line}`);
}

function spawnServer({ server, ip, ports, numHistoryShards, pg, pgSettings, log }) {
  const env = {
    ...process.env,
    NUM_HISTORY_SHARDS: String(numHistoryShards),
    POSTGRES_HOST: '127.0.0.1',
    POSTGRES_PORT: String(pg.port),
    POSTGRES_USER: pgSettings.user,
    POSTGRES_PASSWORD: pgSettings.password,
    BIND_ON_IP: ip,
    TEMPORAL_BROADCAST_ADDRESS: ip,
    TEMPORAL_METRICS_ADDRESS: `${ip}:${ports.metrics}`,
    TEMPORAL_DYNAMIC_CONFIG_FILE: DYNAMIC_CONFIG_FILE,
    FRONTEND_GRPC_PORT: String(ports.frontend),
    FRONTEND_MEMBERSHIP_PORT: String(ports.frontendMembership),
    FRONTEND_HTTP_PORT: String(ports.frontendHttp),
    HISTORY_GRPC_PORT: String(ports.history),
    HISTORY_MEMBERSHIP_PORT: String(ports.historyMembership),
    MATCHING_GRPC_PORT: String(ports.matching),
    MATCHING_MEMBERSHIP_PORT: String(ports.matchingMembership),
    WORKER_GRPC_PORT: String(ports.worker),
    WORKER_MEMBERSHIP_PORT: String(ports.workerMembership),
  };
  const configDir = path.dirname(SERVER_CONFIG_FILE);
  const args = ['--root', path.dirname(configDir), '--config', path.basename(configDir), '--env', path.basename(SERVER_CONFIG_FILE, '.yaml'), '--allow-no-auth', 'start'];
  const child = spawn(server, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  killWithParent(child);
  const recent = [];
  child.recentOutput = recent;
  // Its start is noisy (services that look for each other until all are up): kept back until it
  // serves, and shown only if it fails to.
  child.starting = true;
  const onLine = (line) => {
    recent.push(line);
    if (recent.length > 50) recent.shift();
    if (!child.starting) log(`[temporal-server] ${line}`);
  };
  forEachLine(child.stdout, onLine);
  forEachLine(child.stderr, onLine);
  child.on('error', (err) => onLine(`could not start: ${err.message}`));
  return child;
}

function spawnWeb({ uiServer, address, ip, uiPort, namespace, log }) {
  const env = { ...process.env, TEMPORAL_ADDRESS: address, TEMPORAL_UI_HOST: ip, TEMPORAL_UI_PORT: String(uiPort), TEMPORAL_NAMESPACE: namespace };
  const child = spawn(uiServer, ['--root', WEB_CONFIG_DIR, '--config', '.', '--env', 'payments', 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  killWithParent(child);
  forEachLine(child.stdout, (line) => log(`[temporal-web] ${line}`));
  forEachLine(child.stderr, (line) => log(`[temporal-web] ${line}`));
  child.on('error', (err) => log(`[temporal-web] could not start: ${err.message}`));
  return child;
}

/** Until the frontend serves the namespace, or the server exits (with its last error line). */
async function waitUntilServing({ cliPath, address, namespace, child }) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (hasExited(child)) {
      const line = child.recentOutput.find((l) => /"level":"(error|fatal)"|^panic:|Unable to/.test(l)) ?? child.recentOutput.at(-1);
      throw new Error(`temporal-server stopped before it was ready: ${line ? summary(line) : `exit code ${child.exitCode}`}`);
    }
    const ok = await runCli(cliPath, ['operator', 'namespace', 'describe', ...connection(address, namespace)]).then(() => true, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`temporal-server at ${address} not ready after ${READY_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** deploy/'s script: the namespace (with its retention) and the search attributes, when missing. */
async function registerNamespace({ cliPath, address, namespace, log }) {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TEMPORAL_CLI: cliPath,
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: namespace,
    SEARCH_ATTRIBUTES_FILE,
  };
  if (process.env.TEMPORAL_NAMESPACE_RETENTION) env.TEMPORAL_NAMESPACE_RETENTION = process.env.TEMPORAL_NAMESPACE_RETENTION;
  const { stdout } = await execFileAsync('sh', [REGISTER_SCRIPT], { env }).catch((err) => {
    throw new Error(`${path.relative(process.cwd(), REGISTER_SCRIPT)} failed: ${lastLine(err.stderr || err.stdout || err.message)}`);
  });
  for (const line of stdout.split('\n').filter((l) => /registered as|created, retention/.test(l))) log(`[temporal] ${line}`);
}

/**
 * A namespace or search attribute just created reaches the services' caches a few seconds later:
 * until then a payment's start would be refused. Starting (and deleting) a workflow that sets
 * every payment search attribute proves they are there.
 */
async function waitUntilPaymentsCanStart({ cliPath, address, namespace }) {
  const attributes = JSON.parse(await fs.readFile(SEARCH_ATTRIBUTES_FILE, 'utf8'));
  const sample = { Keyword: '"ready-check"', Double: '0', Int: '0', Bool: 'false', Text: '"ready-check"', Datetime: '"2026-01-01T00:00:00Z"', KeywordList: '["ready-check"]' };
  const saArgs = Object.entries(attributes).flatMap(([name, type]) => ['--search-attribute', `${name}=${sample[type]}`]);
  const id = `cluster-ready-check-${process.pid}-${Date.now()}`;
  const conn = connection(address, namespace);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      await runCli(cliPath, ['workflow', 'start', ...conn, '--workflow-id', id, '--type', 'ready-check', '--task-queue', 'cluster-ready-check', ...saArgs]);
      break;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`payments cannot start on namespace ${namespace}: ${err.message}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  await runCli(cliPath, ['workflow', 'delete', ...conn, '--workflow-id', id]);
}

// We talk to the server we just started: ignore the user's Temporal profile and TEMPORAL_* variables.
function connection(address, namespace) {
  return ['--address', address, '--namespace', namespace, '--disable-config-env', '--disable-config-file'];
}

async function runCli(cliPath, args) {
  try {
    const { stdout } = await execFileAsync(cliPath, args, { timeout: 15_000 });
    return stdout;
  } catch (err) {
    throw new Error(`temporal ${args.slice(0, 2).join(' ')} failed: ${lastLine(err.stderr || err.message)}`);
  }
}

/** A JSON log line of the server as "msg: error", without its stack trace. */
function summary(line) {
  try {
    const { msg, error } = JSON.parse(line);
    return error ? `${msg}: ${error}` : msg;
  } catch {
    return line;
  }
}

function lastLine(text) {
  return String(text).trim().split('\n').filter(Boolean).at(-1) ?? '';
}
