import type { ChildProcess } from 'node:child_process';
import { randomBytes, scryptSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppProcess, appEntry, type AppName } from '@payments/testing';

const HEAP_PROBE = path.join(__dirname, 'heap-probe.js');

export interface SystemOptions {
  /** A folder of its own: the SQLite file, the ledger, the logs, profiles. */
  dir: string;
  /** Extra environment for the apps (SIM_APPROVE_DELAY_MS, LOG_LEVEL, timers…). */
  env?: Record<string, string>;
  /** Extra `temporal server start-dev` arguments (e.g. --dynamic-config-value K=V). */
  temporalArgs?: string[];
  /** Run the dev server without --db-filename: in memory, for comparison only. */
  temporalInMemory?: boolean;
  /** Write V8 CPU profiles of the API and the worker into <dir>/profiles on stop. */
  cpuProfile?: boolean;
  log?: (line: string) => void;
}

/** A free loopback port, as the dev-server module finds one. */
export async function freePort(): Promise<number> {
  const { freePort: find } = await import('@payments/temporal/dev-server');
  return find('127.0.0.1');
}

/**
 * `temporal` as the dev-server module calls it, with our extra arguments added to `server
 * start-dev` (and --db-filename dropped for an in-memory server). `exec` keeps one pid, so the
 * server's CPU and memory are read from the pid we are given.
 */
function temporalWrapper(dir: string, cliPath: string, extra: string[], inMemory: boolean): string {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const file = path.join(dir, 'temporal-cli.sh');
  fs.writeFileSync(
    file,
    [
      '#!/bin/sh',
      `if [ "$1" != server ]; then exec ${quote(cliPath)} "$@"; fi`,
      'skip=0',
      'for a do',
      '  shift',
      '  if [ $skip = 1 ]; then skip=0; continue; fi',
      `  if [ ${inMemory ? 1 : 0} = 1 ] && [ "$a" = --db-filename ]; then skip=1; continue; fi`,
      '  set -- "$@" "$a"',
      'done',
      `exec ${quote(cliPath)} "$@" ${extra.map(quote).join(' ')}`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  return file;
}

/** A dev server as the system under test runs it: the project's flags, a metrics port, our extra arguments. */
export interface BenchTemporal {
  process: ChildProcess;
  stop(): Promise<void>;
  address: string;
  metricsUrl: string;
  /** The Temporal CLI the server runs from, for reading histories. */
  cliPath: string;
}

/** Starts the dev server on free ports, its data (and temporal.log) in `dir`. */
export async function startBenchTemporal(o: Pick<SystemOptions, 'dir' | 'temporalArgs' | 'temporalInMemory' | 'log'>): Promise<BenchTemporal> {
  const log = o.log ?? (() => undefined);
  fs.mkdirSync(o.dir, { recursive: true });
  const { ensureTemporalCli } = await import('@payments/temporal/cli');
  const { startDevServer } = await import('@payments/temporal/dev-server');
  const cliPath = await ensureTemporalCli({ log });
  const [port, metricsPort] = [await freePort(), await freePort()];
  const extra = ['--metrics-port', String(metricsPort), ...(o.temporalArgs ?? [])];
  const temporalLog = fs.createWriteStream(path.join(o.dir, 'temporal.log'));
  const server = await startDevServer({
    cliPath: temporalWrapper(o.dir, cliPath, extra, o.temporalInMemory ?? false),
    dataDir: path.join(o.dir, 'data'),
    port,
    headless: true,
    log: (line) => temporalLog.write(`${line}\n`),
  });
  return { process: server.process, stop: () => server.stop(), address: server.address, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`, cliPath };
}

/** The whole service, started as an operator would, on ports and a data folder of its own. */
export class SystemUnderTest {
  readonly credential = { username: 'bench', password: randomBytes(12).toString('hex') };
  private readonly procs = new Map<AppName, AppProcess>();
  private temporal: BenchTemporal | null = null;
  env: Record<string, string> = {};
  temporalMetricsUrl = '';
  /** The Temporal CLI the server runs from, for reading histories. */
  cliPath = '';
  workerMetricsUrl = '';

  private constructor(private readonly o: SystemOptions) {}

  get apiUrl(): string {
    return `http://127.0.0.1:${this.env.PORT}`;
  }

  /** The Temporal server's gRPC address. */
  get temporalAddress(): string {
    return this.temporal?.address ?? '';
  }

  get simUrl(): string {
    return `http://127.0.0.1:${this.env.SIM_PORT}`;
  }

  static async start(o: SystemOptions): Promise<SystemUnderTest> {
    const sys = new SystemUnderTest(o);
    try {
      await sys.boot();
    } catch (err) {
      await sys.stop();
      throw err;
    }
    return sys;
  }

  private async boot(): Promise<void> {
    const { dir } = this.o;
    this.temporal = await startBenchTemporal(this.o);
    this.cliPath = this.temporal.cliPath;
    const [port, simPort, workerMetricsPort, viewPushPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    this.temporalMetricsUrl = this.temporal.metricsUrl;
    this.workerMetricsUrl = `http://127.0.0.1:${workerMetricsPort}/metrics`;
    // A production-like credential: scrypt-hashed, as an operator would configure it.
    const salt = randomBytes(16);
    const hash = scryptSync(this.credential.password, salt, 32);
    this.env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(port),
      SIM_PORT: String(simPort),
      ACQUIRER_URL: `http://127.0.0.1:${simPort}`,
      SIM_PUBLIC_URL: `http://127.0.0.1:${simPort}`,
      TEMPORAL_ADDRESS: this.temporal.address,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'bench',
      DATA_DIR: path.join(dir, 'data'),
      WORKER_METRICS_PORT: String(workerMetricsPort),
      VIEW_PUSH_PORT: String(viewPushPort),
      VIEW_PUSH_SECRET: randomBytes(32).toString('hex'),
      SIM_APPROVE_DELAY_MS: '200',
      SPI_CREDENTIALS: JSON.stringify([
        { username: this.credential.username, password: `scrypt$${salt.toString('hex')}$${hash.toString('hex')}`, merchant: 'bench' },
      ]),
      ...this.o.env,
    };
    await this.startApp('simulator', `${this.simUrl}/healthz`, 30_000);
    await this.startApp('worker');
    await this.startApp('api', `${this.apiUrl}/readyz`, 90_000);
  }

  private async startApp(app: AppName, healthUrl?: string, healthTimeoutMs?: number): Promise<void> {
    const { dir } = this.o;
    const nodeArgs: string[] = [];
    if (app !== 'simulator') nodeArgs.push('--require', HEAP_PROBE);
    if (this.o.cpuProfile && app !== 'simulator') {
      // One file per thread (no fixed name): the worker runs its workflows on a thread of their own.
      nodeArgs.push('--cpu-prof', '--cpu-prof-dir', path.join(dir, 'profiles', app));
    }
    const env = { ...this.env, BENCH_MEMORY_FILE: path.join(dir, `${app}.memory.json`) };
    const logFile = path.join(dir, `${app}.log`);
    this.procs.set(app, await AppProcess.start({ name: app, entry: appEntry(app), env, logFile, nodeArgs, healthUrl, healthTimeoutMs }));
  }

  /** Process ids, for CPU and memory readings. */
  pids(): Record<string, number> {
    const out: Record<string, number> = {};
    if (this.temporal?.process.pid) out.temporal = this.temporal.process.pid;
    for (const [app, child] of this.procs) if (child.pid) out[app] = child.pid;
    return out;
  }

  /** The V8 heap the API or worker reported last (main thread), in MiB. */
  heapOf(app: 'api' | 'worker'): { heapUsedMiB: number; heapTotalMiB: number; externalMiB: number } | null {
    try {
      const m = JSON.parse(fs.readFileSync(path.join(this.o.dir, `${app}.memory.json`), 'utf8')) as Record<string, number>;
      const mib = (n: number | undefined) => Math.round(((n ?? NaN) / 1048576) * 10) / 10;
      return { heapUsedMiB: mib(m.heapUsed), heapTotalMiB: mib(m.heapTotal), externalMiB: mib(m.external) };
    } catch {
      return null;
    }
  }

  /** The apps first (SIGTERM; SIGKILL after 15 s), Temporal last. */
  async stop(): Promise<void> {
    await Promise.all([...this.procs.values()].map((child) => child.stop()));
    this.procs.clear();
    await this.temporal?.stop();
    this.temporal = null;
  }
}
