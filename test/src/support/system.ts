// Starts the service as an operator would, one real process per app, on free loopback ports,
// against the test run's Temporal server; and lets a test stop, kill and restart any of them.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export type AppName = 'simulator' | 'worker' | 'api';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');
const ENTRY: Record<AppName, string> = {
  simulator: path.join(ROOT, 'apps', 'simulator', 'dist', 'main.js'),
  worker: path.join(ROOT, 'apps', 'worker', 'dist', 'main.js'),
  api: path.join(ROOT, 'apps', 'api', 'dist', 'main.js'),
};

/** A port that was free a moment ago on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

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
}

/** The running service: simulator, worker and API as child processes. */
export class System {
  readonly env: Record<string, string>;
  readonly apiUrl: string;
  readonly simUrl: string;
  private readonly procs = new Map<AppName, ChildProcess>();

  private constructor(env: Record<string, string>) {
    this.env = env;
    this.apiUrl = `http://127.0.0.1:${env.PORT}`;
    this.simUrl = `http://127.0.0.1:${env.SIM_PORT}`;
  }

  static async start(options: SystemOptions = {}): Promise<System> {
    const address = process.env.TEMPORAL_TEST_ADDRESS;
    if (!address) throw new Error('TEMPORAL_TEST_ADDRESS is not set: run through jest (see jest.config.js)');
    const [port, simPort] = [await freePort(), await freePort()];
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
      TEMPORAL_NAMESPACE: process.env.TEMPORAL_TEST_NAMESPACE ?? 'default',
      TEMPORAL_TASK_QUEUE: `e2e-${randomUUID()}`,
      DATA_DIR: dataDir,
      SIM_APPROVE_DELAY_MS: '300',
      ...options.env,
    };
    const system = new System(env);
    for (const app of options.apps ?? ['simulator', 'worker', 'api']) await system.startApp(app);
    if ((options.apps ?? ['api', 'worker']).includes('api')) await system.waitReady();
    return system;
  }

  /** Starts one app (again); output goes to test/artifacts/<test file>-<app>.log. */
  async startApp(app: AppName): Promise<void> {
    if (this.procs.has(app)) throw new Error(`${app} is already running`);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const testFile = path.basename(expect.getState().testPath ?? 'e2e', '.test.ts');
    const log = fs.openSync(path.join(ARTIFACTS, `${testFile}-${app}.log`), 'a');
    const child = spawn(process.execPath, [ENTRY[app]], { env: this.env, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    this.procs.set(app, child);
    child.once('exit', () => {
      if (this.procs.get(app) === child) this.procs.delete(app);
    });
    const url = app === 'simulator' ? `${this.simUrl}/healthz` : app === 'api' ? `${this.apiUrl}/healthz` : null;
    if (url) {
      // Fail at once, with the log's name, when the process dies while starting.
      const died = new Promise<never>((_, reject) =>
        child.once('exit', (code) => reject(new Error(`${app} exited with ${code} while starting; see test/artifacts/${testFile}-${app}.log`))),
      );
      died.catch(() => undefined);
      await Promise.race([eventually(() => fetch(url), (r) => r.ok, 30_000), died]);
    }
  }

  /** Until /readyz says Temporal answers and a worker polls the task queue. */
  async waitReady(timeoutMs = 60_000): Promise<void> {
    await eventually(() => fetch(`${this.apiUrl}/readyz`), (r) => r.status === 200, timeoutMs, 200);
  }

  /** SIGTERM, as an operator's stop; resolves once the process has exited. */
  async stopApp(app: AppName): Promise<void> {
    await this.signal(app, 'SIGTERM');
  }

  /** SIGKILL: the crash the service must survive. */
  async killApp(app: AppName): Promise<void> {
    await this.signal(app, 'SIGKILL');
  }

  private async signal(app: AppName, signal: NodeJS.Signals): Promise<void> {
    const child = this.procs.get(app);
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
    this.procs.delete(app);
  }

  isRunning(app: AppName): boolean {
    return this.procs.has(app);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.procs.keys()].map((app) => this.stopApp(app)));
    fs.rmSync(this.env.DATA_DIR!, { recursive: true, force: true });
  }
}
