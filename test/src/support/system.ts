// Starts the service as an operator would, one real process per app, on free loopback ports,
// against the test run's Temporal server (or a dev server of its own, on its own SQLite file);
// and lets a test stop, kill and restart any of them, Temporal included.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppProcess, REPO_ROOT as ROOT, appEntry, distinctFreePorts, portIsFree, type AppName } from '@payments/testing';

export { freePort } from '@payments/testing';
export type { AppName } from '@payments/testing';

/** A process of the system: an app, or a second worker (`worker-2`, with its own metrics port). */
export type Proc = AppName | 'worker-2';

const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');
/** `npm run temporal`: the dev server (startDevServer) on DATA_DIR/temporal.sqlite, stopped cleanly on SIGTERM. */
const TEMPORAL_ENTRY = path.join(ROOT, 'temporal', 'start-dev.mjs');
/** Starting the dev server includes creating search attributes on a fresh file: allow for a busy machine. */
const TEMPORAL_READY_MS = 90_000;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `read` gives a value that `done` accepts. */
export async function eventually<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await read();
      if (done(last)) return last;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > until) {
      throw new Error(`not reached within ${timeoutMs} ms; last: ${JSON.stringify(last)} ${lastError ? String(lastError) : ''}`);
    }
    await sleep(everyMs);
  }
}

export interface SystemOptions {
  /** Extra environment for every process (timers, SIM_APPROVE_DELAY_MS, credentials…). */
  env?: Record<string, string>;
  /** Which apps to start; all by default. */
  apps?: AppName[];
  /** A Temporal server other than the run's (TEMPORAL_TEST_ADDRESS), e.g. one with Temporal Web. */
  temporal?: { address: string; namespace?: string };
  /**
   * Run a Temporal dev server of this system's own (`npm run temporal` on a fixed port and on
   * DATA_DIR/temporal.sqlite) instead of the test run's shared one, so that a test can stop,
   * kill and restart it on the same SQLite file.
   */
  ownTemporal?: boolean;
  /** Process logs go to test/artifacts/<logName>-<app>.log; by default the test file's name. */
  logName?: string;
  /** Two workers on the task queue (`worker` and `worker-2`), as production runs them; one by default. */
  workers?: 1 | 2;
}

/** The running service: simulator, worker and API as child processes. */
export class System {
  readonly env: Record<string, string>;
  readonly apiUrl: string;
  readonly simUrl: string;
  /** host:port of the Temporal frontend the processes use. */
  readonly temporalAddress: string;
  readonly logName: string;
  /** The worker's Prometheus endpoint: the Temporal SDK's metrics and ours. */
  readonly workerMetricsUrl: string;
  private readonly procs = new Map<Proc, AppProcess>();
  /** The second worker's metrics port (two workers on one machine need their own). */
  private readonly worker2MetricsPort: number;
  private readonly ownTemporal: boolean;
  private temporal: ChildProcess | null = null;

  private constructor(env: Record<string, string>, options: { ownTemporal: boolean; logName: string; worker2MetricsPort: number }) {
    this.env = env;
    this.apiUrl = `http://127.0.0.1:${env.PORT}`;
    this.simUrl = `http://127.0.0.1:${env.SIM_PORT}`;
    this.temporalAddress = env.TEMPORAL_ADDRESS!;
    this.workerMetricsUrl = `http://127.0.0.1:${env.WORKER_METRICS_PORT}/metrics`;
    this.ownTemporal = options.ownTemporal;
    this.logName = options.logName;
    this.worker2MetricsPort = options.worker2MetricsPort;
  }

  static async start(options: SystemOptions = {}): Promise<System> {
    const ownTemporal = options.ownTemporal ?? false;
    // Nothing listens on these ports until the processes start: make sure no two are the same.
    const [port, simPort, workerMetricsPort, temporalPort, uiPort, viewPushPort, worker2MetricsPort] = await distinctFreePorts(7);
    const address = ownTemporal ? `127.0.0.1:${temporalPort}` : (options.temporal?.address ?? process.env.TEMPORAL_TEST_ADDRESS);
    if (!address) throw new Error('TEMPORAL_TEST_ADDRESS is not set: run through jest (see jest.config.js), or use ownTemporal');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payments-e2e-'));
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? os.homedir(),
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      SIM_PORT: String(simPort),
      ACQUIRER_URL: `http://127.0.0.1:${simPort}`,
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: ownTemporal ? 'default' : (options.temporal?.namespace ?? process.env.TEMPORAL_TEST_NAMESPACE ?? 'default'),
      TEMPORAL_TASK_QUEUE: `e2e-${randomUUID()}`,
      DATA_DIR: dataDir,
      SIM_APPROVE_DELAY_MS: '300',
      WORKER_METRICS_PORT: String(workerMetricsPort),
      // The worker pushes each payment's view to the API here (the URL follows from the port).
      VIEW_PUSH_PORT: String(viewPushPort),
      ...options.env,
    };
    if (ownTemporal) {
      env.TEMPORAL_UI_PORT = String(uiPort);
      if (process.env.TEMPORAL_CLI) env.TEMPORAL_CLI = process.env.TEMPORAL_CLI;
    }
    const system = new System(env, { ownTemporal, logName: options.logName ?? currentTestName(), worker2MetricsPort });
    try {
      if (ownTemporal) await system.startTemporal();
      const apps: Proc[] = [...(options.apps ?? ['simulator', 'worker', 'api'])];
      if (options.workers === 2 && apps.includes('worker')) apps.splice(apps.indexOf('worker') + 1, 0, 'worker-2');
      for (const app of apps) await system.startApp(app);
      if ((options.apps ?? ['api', 'worker']).includes('api')) await system.waitReady();
    } catch (err) {
      await system.stop();
      throw err;
    }
    return system;
  }

  private logFile(what: string): number {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    return fs.openSync(path.join(ARTIFACTS, `${this.logName}-${what}.log`), 'a');
  }

  /** Starts one app (again); output goes to test/artifacts/<test file>-<app>.log. */
  async startApp(app: Proc): Promise<void> {
    if (this.procs.has(app)) throw new Error(`${app} is already running`);
    const healthUrl = app === 'simulator' ? `${this.simUrl}/healthz` : app === 'api' ? `${this.apiUrl}/healthz` : undefined;
    const env = app === 'worker-2' ? { ...this.env, WORKER_METRICS_PORT: String(this.worker2MetricsPort) } : this.env;
    const child = await AppProcess.start({
      name: app,
      entry: appEntry(app === 'worker-2' ? 'worker' : app),
      env,
      logFile: path.join(ARTIFACTS, `${this.logName}-${app}.log`),
      healthUrl,
    });
    this.procs.set(app, child);
    child.onExit(() => {
      if (this.procs.get(app) === child) this.procs.delete(app);
    });
  }

  /** Until /readyz says Temporal answers and a worker polls the task queue. */
  async waitReady(timeoutMs = 60_000): Promise<void> {
    await eventually(() => fetch(`${this.apiUrl}/readyz`), (r) => r.status === 200, timeoutMs, 200);
  }

  /** SIGTERM, as an operator's stop; resolves once the process has exited. */
  async stopApp(app: Proc): Promise<void> {
    await this.procs.get(app)?.stop();
    this.procs.delete(app);
  }

  /** SIGKILL: the crash the service must survive. */
  async killApp(app: Proc): Promise<void> {
    await this.procs.get(app)?.kill();
    this.procs.delete(app);
  }

  /** A signal the process handles and lives on, as an operator sends it (SIGHUP: the API re-reads SPI_CREDENTIALS_FILE). */
  notify(app: Proc, signal: NodeJS.Signals): void {
    const child = this.procs.get(app);
    if (!child) throw new Error(`${app} is not running`);
    child.notify(signal);
  }

  isRunning(app: Proc): boolean {
    return this.procs.has(app);
  }

  /**
   * Starts this system's own Temporal dev server (again) on the same port and SQLite file, and
   * resolves once it serves the namespace with the payment search attributes.
   */
  async startTemporal(): Promise<void> {
    if (!this.ownTemporal) throw new Error('this system uses the shared Temporal server: start it with ownTemporal');
    if (this.temporal) throw new Error('Temporal is already running');
    const log = this.logFile('temporal');
    // Its own process group: killTemporal() ends the wrapper and the server in one SIGKILL.
    const child = spawn(process.execPath, [TEMPORAL_ENTRY], { env: this.env, stdio: ['ignore', 'pipe', log], detached: true });
    fs.closeSync(log);
    this.temporal = child;
    child.once('exit', () => {
      if (this.temporal === child) this.temporal = null;
    });
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Temporal not ready within ${TEMPORAL_READY_MS} ms`)), TEMPORAL_READY_MS);
      let seen = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        fs.appendFileSync(path.join(ARTIFACTS, `${this.logName}-temporal.log`), chunk);
        seen += chunk.toString();
        if (/Temporal dev server:/.test(seen)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`Temporal exited with ${signal ?? code} while starting; see test/artifacts/${this.logName}-temporal.log`));
      });
    });
    try {
      await ready;
    } catch (err) {
      await this.killTemporal();
      throw err;
    }
  }

  /** SIGTERM: the dev server shuts down cleanly (SIGKILL after 10 s); resolves once it has exited. */
  async stopTemporal(): Promise<void> {
    await this.signalTemporal('SIGTERM');
  }

  /** SIGKILL to the server and its wrapper at once: Temporal crashes. */
  async killTemporal(): Promise<void> {
    await this.signalTemporal('SIGKILL');
  }

  isTemporalRunning(): boolean {
    return this.temporal !== null;
  }

  private async signalTemporal(signal: NodeJS.Signals): Promise<void> {
    const child = this.temporal;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    const group = (s: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, s);
      } catch {
        // already gone
      }
    };
    group(signal);
    const timer = setTimeout(() => group('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
    if (signal === 'SIGKILL') group('SIGKILL'); // the server, should it have outlived its wrapper
    // The server's port and SQLite file are free only once the server itself has gone.
    await eventually(() => portIsFree(Number(this.temporalAddress.split(':')[1])), (free) => free, 20_000, 100);
    this.temporal = null;
  }

  /** Stops every app, then Temporal (when it is this system's own), and deletes the data. */
  async stop(): Promise<void> {
    await Promise.all([...this.procs.keys()].map((app) => this.stopApp(app)));
    await this.stopTemporal();
    fs.rmSync(this.env.DATA_DIR!, { recursive: true, force: true });
  }
}

/** The running jest test file's name, or "e2e" outside jest. */
function currentTestName(): string {
  const state = typeof expect === 'undefined' ? undefined : expect.getState();
  return path.basename(state?.testPath ?? 'e2e', '.test.ts');
}
