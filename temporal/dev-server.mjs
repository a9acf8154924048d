// Runs `temporal server start-dev` on a SQLite file and makes sure the payment search
// attributes exist on the namespace. Plain Node with no npm dependencies.
import { execFile, spawn } from 'node:child_process';
import { readFileSync, promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { exited, forEachLine, hasExited, killWithParent, stopProcess } from './processes.mjs';

/** The custom search attributes every payment workflow sets: name → type. */
export const searchAttributes = JSON.parse(readFileSync(new URL('./search-attributes.json', import.meta.url), 'utf8'));

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;
const defaultLog = (line) => console.error(line);
const execFileAsync = promisify(execFile);

/**
 * Starts the dev server and resolves once the namespace answers and has every search
 * attribute. The server dies with this process (see killWithParent in processes.mjs).
 */
/**
 * What the dev server is told beyond its defaults, for a machine that runs everything at once
 * (measured with `npm run bench`, see bench/README.md):
 * - SQLite in WAL mode with synchronous=NORMAL: a commit no longer waits for its own fsync. A
 *   killed server loses nothing (WAL survives a process crash); only a power cut may lose the
 *   last commits, which for a development server is fine.
 * - Activities dispatched eagerly: an activity the workflow schedules goes back to the worker in
 *   the answer to the workflow task, without a trip through the task queue.
 * - One task-queue partition: with a single worker, four partitions only forward polls between
 *   themselves.
 * - Search attributes from the cache: CLI v1.5.1 forces every search-attribute lookup to read
 *   the cluster metadata from SQLite (system.forceSearchAttributesCacheRefreshOnRead=true),
 *   about 190 reads a second at 50 payments/s offered. Off, attributes created after the
 *   server started reach the cache at its next refresh, so ensureSearchAttributes waits until
 *   a start that uses them is accepted.
 */
export const PERFORMANCE_ARGS = Object.freeze([
  '--sqlite-pragma', 'journal_mode=wal',
  '--sqlite-pragma', 'synchronous=normal',
  '--dynamic-config-value', 'system.enableActivityEagerExecution=true',
  '--dynamic-config-value', 'matching.numTaskqueueReadPartitions=1',
  '--dynamic-config-value', 'matching.numTaskqueueWritePartitions=1',
  '--dynamic-config-value', 'system.forceSearchAttributesCacheRefreshOnRead=false',
]);

export async function startDevServer({
  cliPath,
  dataDir,
  port,
  uiPort,
  namespace = 'default',
  headless = false,
  log = defaultLog,
  ip = '127.0.0.1',
}) {
  await fs.mkdir(dataDir, { recursive: true });
  const args = ['server', 'start-dev', '--db-filename', path.join(dataDir, 'temporal.sqlite')];
  args.push('--ip', ip, '--port', String(port), '--log-level', 'warn');
  if (headless) args.push('--headless');
  else if (uiPort) args.push('--ui-port', String(uiPort));
  // "default" is always created; naming it again would make the server create it twice.
  if (namespace !== 'default') args.push('--namespace', namespace);
  // Only honoured when the DB file is new; ensureSearchAttributes covers existing files.
  for (const [name, type] of Object.entries(searchAttributes)) args.push('--search-attribute', `${name}=${type}`);
  args.push(...PERFORMANCE_ARGS);

  const child = spawn(cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  killWithParent(child);
  let stopping = false;
  // The CLI prints "Server:  host:port" once its server has started. A namespace describe
  // alone is not proof: another server already on that port would answer it.
  const startup = { announced: false };
  const recentOutput = [];
  const onOutput = (line) => {
    if (/^Server:\s/.test(line)) startup.announced = true;
    recentOutput.push(line);
    if (recentOutput.length > 50) recentOutput.shift();
    // The shutdown's connection-refused warnings are noise once we asked it to stop.
    if (!stopping) log(`[temporal] ${line}`);
  };
  forEachLine(child.stdout, onOutput);
  forEachLine(child.stderr, onOutput);
  const spawnError = new Promise((resolve) => child.once('error', resolve));

  const address = `${ip.includes(':') ? `[${ip}]` : ip}:${port}`;
  const stop = async () => {
    stopping = true;
    await stopProcess(child, STOP_GRACE_MS);
  };
  try {
    await waitUntilServing({ cliPath, address, namespace, child, startup, spawnError, recentOutput });
    await ensureSearchAttributes({ cliPath, address, namespace, log });
  } catch (err) {
    await stop();
    throw err;
  }
  const uiUrl = headless ? undefined : `http://${address.replace(/:\d+$/, '')}:${uiPort ?? port + 1000}`;
  return { address, uiUrl, process: child, stop };
}

async function waitUntilServing({ cliPath, address, namespace, child, startup, spawnError, recentOutput }) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const died = Promise.race([exited(child), spawnError]).then((err) => {
    const why = err?.message ?? recentOutput.find((l) => /level=ERROR|^panic:|^Error:/.test(l)) ?? recentOutput.at(-1);
    return new Error(`temporal server start-dev stopped before it was ready: ${why ?? `exit code ${child.exitCode}`}`);
  });
  for (;;) {
    // describe, not just cluster health: the namespace must exist too.
    const ready =
      startup.announced &&
      (await runCli(cliPath, ['operator', 'namespace', 'describe', ...connection(address, namespace)]).then(
        () => true,
        () => false,
      ));
    if (ready) return;
    if (hasExited(child)) throw await died;
    if (Date.now() > deadline) throw new Error(`temporal server at ${address} not ready after ${READY_TIMEOUT_MS / 1000} s`);
    await Promise.race([new Promise((resolve) => setTimeout(resolve, 100)), died]);
  }
}

/**
 * Creates the search attributes the namespace lacks. Needed because start-dev's
 * --search-attribute is silently ignored on an existing DB file; also usable against any
 * server the CLI can reach.
 */
export async function ensureSearchAttributes({ cliPath, address, namespace, log = defaultLog }) {
  const conn = connection(address, namespace);
  const list = async () =>
    JSON.parse(await runCli(cliPath, ['operator', 'search-attribute', 'list', ...conn, '-o', 'json'])).customAttributes ?? {};
  const existing = await list();
  const missing = [];
  for (const [name, type] of Object.entries(searchAttributes)) {
    if (!existing[name]) missing.push(name);
    else if (existing[name] !== indexedValueType(type)) {
      throw new Error(`search attribute ${name} exists on namespace ${namespace} as ${existing[name]}, expected ${type}`);
    }
  }
  // One per call: with several --name in one call, v1.5.1's SQLite dev server keeps only the first.
  for (const name of missing) {
    await runCli(cliPath, ['operator', 'search-attribute', 'create', ...conn, '--name', name, '--type', searchAttributes[name]]);
  }
  if (missing.length === 0) return;
  const after = await list();
  const failed = missing.filter((name) => after[name] !== indexedValueType(searchAttributes[name]));
  if (failed.length > 0) throw new Error(`could not create search attributes on namespace ${namespace}: ${failed.join(', ')}`);
  await waitUntilUsable({ cliPath, conn, names: missing });
  log(`[temporal] created search attributes on namespace ${namespace}: ${missing.join(', ')}`);
}

const SAMPLE_VALUES = { Keyword: '"probe"', Text: '"probe"', Int: '0', Double: '0', Bool: 'false', Datetime: '"2026-01-01T00:00:00Z"', KeywordList: '["probe"]' };
const USABLE_TIMEOUT_MS = 90_000;

/**
 * Waits until a workflow start that sets `names` is accepted: the server checks attributes
 * against its cache, which (without forced refreshes) learns new ones only at its next
 * refresh. The probe workflow is deleted at once; no worker ever runs it.
 */
async function waitUntilUsable({ cliPath, conn, names }) {
  const deadline = Date.now() + USABLE_TIMEOUT_MS;
  const workflowId = `search-attribute-probe-${process.pid}-${Date.now()}`;
  const attrs = names.flatMap((name) => ['--search-attribute', `${name}=${SAMPLE_VALUES[searchAttributes[name]]}`]);
  for (;;) {
    try {
      await runCli(cliPath, ['workflow', 'start', ...conn, '--type', 'searchAttributeProbe', '--task-queue', 'search-attribute-probe', '--workflow-id', workflowId, ...attrs]);
      await runCli(cliPath, ['workflow', 'delete', ...conn, '--workflow-id', workflowId]);
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`search attributes ${names.join(', ')} not usable after ${USABLE_TIMEOUT_MS / 1000} s: ${err.message}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

// "KeywordList" → "INDEXED_VALUE_TYPE_KEYWORD_LIST", as `search-attribute list -o json` writes types.
function indexedValueType(type) {
  return `INDEXED_VALUE_TYPE_${type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

/** A free TCP port on host, for tests that start their own servers. */
export function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// We talk to the server we just started: ignore the user's Temporal profile and TEMPORAL_*
// variables (an API key there would switch the CLI to TLS).
function connection(address, namespace) {
  return ['--address', address, '--namespace', namespace, '--disable-config-env', '--disable-config-file'];
}

async function runCli(cliPath, args) {
  try {
    const { stdout } = await execFileAsync(cliPath, args, { timeout: 15_000 });
    return stdout;
  } catch (err) {
    const detail = (err.stderr || err.message).trim().split('\n').at(-1);
    throw new Error(`temporal ${args.slice(0, 3).join(' ')} failed: ${detail}`);
  }
}
