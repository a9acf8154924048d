import type { ChildProcess } from 'node:child_process';
import { randomBytes, scryptSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Launcher } from '@payments/testing';

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

/** The production-like environment of the bench's apps: scrypt-hashed credential, a view-push secret. */
export function benchEnv(credential: { username: string; password: string }, extra: Record<string, string> = {}): Record<string, string> {
  const salt = randomBytes(16);
  const hash = scryptSync(credential.password, salt, 32);
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    TEMPORAL_TASK_QUEUE: 'bench',
    VIEW_PUSH_SECRET: randomBytes(32).toString('hex'),
    SIM_APPROVE_DELAY_MS: '200',
    SPI_CREDENTIALS: JSON.stringify([{ username: credential.username, password: `scrypt$${salt.toString('hex')}$${hash.toString('hex')}`, merchant: 'bench' }]),
    ...extra,
  };
}

/** The whole service, started as an operator would, on ports and a data folder of its own (the launcher's). */
export class SystemUnderTest {
  readonly credential = { username: 'bench', password: randomBytes(12).toString('hex') };
  private launcher: Launcher | null = null;
  private temporal: BenchTemporal | null = null;
  temporalMetricsUrl = '';
  /** The Temporal CLI the server runs from, for reading histories. */
  cliPath = '';
  workerMetricsUrl = '';

  private constructor(private readonly o: SystemOptions) {}

  get env(): Record<string, string> {
    return this.launcher?.env ?? {};
  }

  get apiUrl(): string {
    return this.launcher?.apiUrl('api') ?? '';
  }

  /** The Temporal server's gRPC address. */
  get temporalAddress(): string {
    return this.temporal?.address ?? '';
  }

  get simUrl(): string {
    return this.launcher?.simUrl ?? '';
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
    this.temporalMetricsUrl = this.temporal.metricsUrl;
    this.launcher = await Launcher.prepare({
      temporal: { mode: 'external', address: this.temporal.address },
      host: '127.0.0.1',
      dataDir: path.join(dir, 'data'),
      env: benchEnv(this.credential, this.o.env),
      logDir: dir,
      readyTimeoutMs: 90_000,
      instanceEnv: ({ name }) => ({ BENCH_MEMORY_FILE: path.join(dir, `${name}.memory.json`) }),
      nodeArgs: ({ app }) => {
        if (app === 'simulator') return [];
        // One profile file per thread (no fixed name): the worker runs its workflows on a thread of their own.
        const profile = this.o.cpuProfile ? ['--cpu-prof', '--cpu-prof-dir', path.join(dir, 'profiles', app)] : [];
        return ['--require', HEAP_PROBE, ...profile];
      },
    });
    this.workerMetricsUrl = this.launcher.workerMetricsUrl('worker');
    await this.launcher.start({ stopOnFailure: false });
  }

  /** Process ids, for CPU and memory readings. */
  pids(): Record<string, number> {
    const out: Record<string, number> = {};
    if (this.temporal?.process.pid) out.temporal = this.temporal.process.pid;
    return { ...out, ...this.launcher?.pids() };
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
    await this.launcher?.stop();
    this.launcher = null;
    await this.temporal?.stop();
    this.temporal = null;
  }
}
