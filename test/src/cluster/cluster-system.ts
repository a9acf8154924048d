// The production topology as real processes on loopback: PostgreSQL and the Temporal server
// (temporal/cluster.mjs, the configuration deploy/ uses), the simulator, two workers on one task
// queue and two API instances, each worker pushing views to both APIs. A test can kill, stop and
// start any of them, the Temporal server and PostgreSQL included. The processes are the
// launcher's (@payments/testing); this names them for the tests.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Launcher, REPO_ROOT as ROOT, type TemporalCluster } from '@payments/testing';

/** One process of the service: the simulator, or one of the two workers or two APIs. */
export type Instance = 'simulator' | 'worker-1' | 'worker-2' | 'api-1' | 'api-2';
export const INSTANCES: readonly Instance[] = ['simulator', 'worker-1', 'worker-2', 'api-1', 'api-2'];

const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');
const POSTGRES = { user: 'temporal', password: 'cluster-test' };

export interface ClusterSystemOptions {
  /** Extra environment for every app process (timers, credentials…). */
  env?: Record<string, string>;
  /** Process logs go to test/artifacts/<logName>-<process>.log. */
  logName: string;
  numHistoryShards?: number;
}

export class ClusterSystem {
  readonly simUrl: string;
  /** The two API instances' SPI base URLs. */
  readonly apiUrls: readonly [string, string];
  /** Every worker's Prometheus endpoint, by instance. */
  readonly workerMetricsUrls: Readonly<Record<'worker-1' | 'worker-2', string>>;
  readonly temporalAddress: string;
  readonly namespace: string;

  private constructor(
    private readonly launcher: Launcher,
    private readonly dataDir: string,
    readonly logName: string,
  ) {
    this.simUrl = launcher.simUrl;
    this.apiUrls = [launcher.apiUrl('api-1'), launcher.apiUrl('api-2')];
    this.workerMetricsUrls = { 'worker-1': launcher.workerMetricsUrl('worker-1'), 'worker-2': launcher.workerMetricsUrl('worker-2') };
    this.temporalAddress = launcher.temporalAddress;
    this.namespace = launcher.namespace;
  }

  /** Temporal and PostgreSQL, each to stop and start on its own. */
  get cluster(): TemporalCluster {
    return this.launcher.cluster;
  }

  /** The task queue both workers poll. */
  get taskQueue(): string {
    return this.launcher.env.TEMPORAL_TASK_QUEUE!;
  }

  /**
   * A new run on the same Temporal and PostgreSQL: every app stopped and started again with `env`
   * added, on a fresh task queue and with a fresh ledger, so what follows is counted on its own.
   */
  async restartApps(env: Record<string, string>): Promise<void> {
    await Promise.all(INSTANCES.map((instance) => this.stopApp(instance)));
    const dataDir = fs.mkdtempSync(path.join(this.dataDir, 'run-'));
    Object.assign(this.launcher.env, env, { TEMPORAL_TASK_QUEUE: `cluster-${randomUUID()}`, DATA_DIR: dataDir });
    for (const instance of INSTANCES) await this.startApp(instance);
    await this.waitReady();
  }

  /** Starts PostgreSQL, Temporal and the five app processes; resolves once both APIs are ready. */
  static async start(options: ClusterSystemOptions): Promise<ClusterSystem> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payments-cluster-'));
    // As root, PostgreSQL runs as the postgres user: within its reach, its data stays in here and goes with it.
    fs.chmodSync(dataDir, 0o755);
    try {
      const launcher = await Launcher.start({
        temporal: { mode: 'cluster', numHistoryShards: options.numHistoryShards ?? 4, postgres: POSTGRES },
        workers: 2,
        apis: 2,
        numbered: true,
        host: '127.0.0.1',
        dataDir,
        taskQueue: `cluster-${randomUUID()}`,
        env: { NODE_ENV: 'test', LOG_LEVEL: 'warn', SIM_APPROVE_DELAY_MS: '300', ...options.env },
        logDir: ARTIFACTS,
        logPrefix: `${options.logName}-`,
      });
      return new ClusterSystem(launcher, dataDir, options.logName);
    } catch (err) {
      fs.rmSync(dataDir, { recursive: true, force: true });
      throw err;
    }
  }

  /** Starts one app instance (again); output goes to test/artifacts/<logName>-<instance>.log. */
  startApp(instance: Instance): Promise<void> {
    return this.launcher.startApp(instance);
  }

  /** Until every running API says Temporal answers and a worker polls the task queue. */
  waitReady(timeoutMs = 90_000): Promise<void> {
    return this.launcher.waitReady(timeoutMs);
  }

  isRunning(instance: Instance): boolean {
    return this.launcher.isRunning(instance);
  }

  /** SIGTERM, as an operator's stop. */
  stopApp(instance: Instance): Promise<void> {
    return this.launcher.stopApp(instance);
  }

  /** SIGKILL: the crash the service must survive. */
  killApp(instance: Instance): Promise<void> {
    return this.launcher.killApp(instance);
  }

  /** Stops every app, then Temporal and PostgreSQL, and deletes the data. */
  async stop(): Promise<void> {
    await this.launcher.stop();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
