// Starts the service as an operator would, one real process per app, on free loopback ports,
// against the test run's Temporal server (or a dev server of its own, on its own SQLite file);
// and lets a test stop, kill and restart any of them, Temporal included. The processes, their
// ports and environments are the launcher's (@payments/testing); this names them for the tests.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Launcher, REPO_ROOT as ROOT, type AppName } from '@payments/testing';

export { freePort } from '@payments/testing';
export type { AppName } from '@payments/testing';

/** A process of the system: an app, or a second worker or API instance (`worker-2`, `api-2`, each with its own ports). */
export type Proc = AppName | 'worker-2' | 'api-2';

const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');
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
  /** Two API instances (`api` and `api-2`), as behind a load balancer; one by default. */
  apis?: 1 | 2;
}

/** The running service: simulator, worker(s) and API as child processes. */
export class System {
  readonly apiUrl: string;
  /** Every API instance's base URL (two with `apis: 2`). */
  readonly apiUrls: readonly string[];
  readonly simUrl: string;
  /** host:port of the Temporal frontend the processes use. */
  readonly temporalAddress: string;
  readonly logName: string;
  /** The worker's Prometheus endpoint: the Temporal SDK's metrics and ours. */
  readonly workerMetricsUrl: string;

  private constructor(private readonly launcher: Launcher, logName: string) {
    this.apiUrl = launcher.apiUrl('api');
    this.apiUrls = launcher.apiUrls;
    this.simUrl = launcher.simUrl;
    this.temporalAddress = launcher.temporalAddress;
    this.workerMetricsUrl = launcher.workerMetricsUrl('worker');
    this.logName = logName;
  }

  /** Every process's environment; a change applies to the processes started after it. */
  get env(): Record<string, string> {
    return this.launcher.env;
  }

  static async start(options: SystemOptions = {}): Promise<System> {
    const ownTemporal = options.ownTemporal ?? false;
    const address = options.temporal?.address ?? process.env.TEMPORAL_TEST_ADDRESS;
    if (!ownTemporal && !address) throw new Error('TEMPORAL_TEST_ADDRESS is not set: run through jest (see jest.config.js), or use ownTemporal');
    const logName = options.logName ?? currentTestName();
    const apps: Proc[] = [...(options.apps ?? ['simulator', 'worker', 'api'])];
    if (options.workers === 2 && apps.includes('worker')) apps.splice(apps.indexOf('worker') + 1, 0, 'worker-2');
    if (options.apis === 2 && apps.includes('api')) apps.splice(apps.indexOf('api') + 1, 0, 'api-2');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payments-e2e-'));
    const launcher = await Launcher.prepare({
      temporal: ownTemporal
        ? { mode: 'dev' }
        : { mode: 'external', address: address!, namespace: options.temporal?.namespace ?? process.env.TEMPORAL_TEST_NAMESPACE ?? 'default' },
      workers: options.workers ?? 1,
      apis: options.apis ?? 1,
      only: apps,
      host: '127.0.0.1',
      dataDir,
      taskQueue: `e2e-${randomUUID()}`,
      env: { NODE_ENV: 'test', LOG_LEVEL: 'warn', SIM_APPROVE_DELAY_MS: '300', ...options.env },
      logDir: ARTIFACTS,
      logPrefix: `${logName}-`,
    });
    try {
      await launcher.start();
    } catch (err) {
      fs.rmSync(dataDir, { recursive: true, force: true });
      throw err;
    }
    return new System(launcher, logName);
  }

  /** Starts one app (again); output goes to test/artifacts/<test file>-<app>.log. */
  startApp(app: Proc): Promise<void> {
    return this.launcher.startApp(app);
  }

  /** Until /readyz says Temporal answers and a worker polls the task queue. */
  waitReady(timeoutMs = 60_000): Promise<void> {
    return this.launcher.waitReady(timeoutMs);
  }

  /** SIGTERM, as an operator's stop; resolves once the process has exited. */
  stopApp(app: Proc): Promise<void> {
    return this.launcher.stopApp(app);
  }

  /** SIGKILL: the crash the service must survive. */
  killApp(app: Proc): Promise<void> {
    return this.launcher.killApp(app);
  }

  /** A signal the process handles and lives on, as an operator sends it (SIGHUP: the API re-reads SPI_CREDENTIALS_FILE). */
  notify(app: Proc, signal: NodeJS.Signals): void {
    this.launcher.notify(app, signal);
  }

  isRunning(app: Proc): boolean {
    return this.launcher.isRunning(app);
  }

  /**
   * Starts this system's own Temporal dev server (again) on the same port and SQLite file, and
   * resolves once it serves the namespace with the payment search attributes.
   */
  startTemporal(): Promise<void> {
    return this.launcher.startTemporal();
  }

  /** SIGTERM: the dev server shuts down cleanly; resolves once it has exited and its port is free. */
  stopTemporal(): Promise<void> {
    return this.launcher.stopTemporal();
  }

  /** SIGKILL to the server and its wrapper at once: Temporal crashes. */
  killTemporal(): Promise<void> {
    return this.launcher.killTemporal();
  }

  isTemporalRunning(): boolean {
    return this.launcher.isTemporalRunning();
  }

  /** Stops every app, then Temporal (when it is this system's own), and deletes the data. */
  async stop(): Promise<void> {
    await this.launcher.stop();
    fs.rmSync(this.env.DATA_DIR!, { recursive: true, force: true });
  }
}

/** The running jest test file's name, or "e2e" outside jest. */
function currentTestName(): string {
  const state = typeof expect === 'undefined' ? undefined : expect.getState();
  return path.basename(state?.testPath ?? 'e2e', '.test.ts');
}
