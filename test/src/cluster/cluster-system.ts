// The production topology as real processes on loopback: PostgreSQL and the Temporal server
// (temporal/cluster.mjs, the configuration deploy/ uses), the simulator, two workers on one task
// queue and two API instances, each worker pushing views to both APIs. A test can kill, stop and
// start any of them, the Temporal server and PostgreSQL included.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppProcess, REPO_ROOT as ROOT, appEntry, distinctFreePorts, distinctLowFreePorts } from '@payments/testing';
import { eventually } from '../support/system';
import { TemporalCluster } from './temporal-cluster';

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
  private readonly procs = new Map<Instance, AppProcess>();

  private constructor(
    readonly cluster: TemporalCluster,
    private readonly envs: Record<Instance, Record<string, string>>,
    private readonly dataDir: string,
    readonly logName: string,
  ) {
    const env = envs['api-1'];
    this.simUrl = `http://127.0.0.1:${env.SIM_PORT}`;
    this.apiUrls = [`http://127.0.0.1:${envs['api-1'].PORT}`, `http://127.0.0.1:${envs['api-2'].PORT}`];
    this.workerMetricsUrls = {
      'worker-1': `http://127.0.0.1:${envs['worker-1'].WORKER_METRICS_PORT}/metrics`,
      'worker-2': `http://127.0.0.1:${envs['worker-2'].WORKER_METRICS_PORT}/metrics`,
    };
    this.temporalAddress = cluster.address;
    this.namespace = envs['api-1'].TEMPORAL_NAMESPACE!;
  }

  /** The task queue both workers poll. */
  get taskQueue(): string {
    return this.envs['worker-1'].TEMPORAL_TASK_QUEUE!;
  }

  /**
   * A new run on the same Temporal and PostgreSQL: every app stopped and started again with `env`
   * added, on a fresh task queue and with a fresh ledger, so what follows is counted on its own.
   */
  async restartApps(env: Record<string, string>): Promise<void> {
    await Promise.all([...this.procs.keys()].map((instance) => this.stopApp(instance)));
    const dataDir = fs.mkdtempSync(path.join(this.dataDir, 'run-'));
    const queue = `cluster-${randomUUID()}`;
    for (const instance of INSTANCES) Object.assign(this.envs[instance], env, { TEMPORAL_TASK_QUEUE: queue, DATA_DIR: dataDir });
    for (const instance of INSTANCES) await this.startApp(instance);
    await this.waitReady();
  }

  /** Starts PostgreSQL, Temporal and the five app processes; resolves once both APIs are ready. */
  static async start(options: ClusterSystemOptions): Promise<ClusterSystem> {
    const [simPort, api1, api2, push1, push2, metrics1, metrics2, pgPort] = (await distinctFreePorts(8)) as [number, number, number, number, number, number, number, number];
    const p = await distinctLowFreePorts(10);
    const serverPorts = {
      frontend: p[0]!,
      frontendMembership: p[1]!,
      frontendHttp: p[2]!,
      history: p[3]!,
      historyMembership: p[4]!,
      matching: p[5]!,
      matchingMembership: p[6]!,
      worker: p[7]!,
      workerMembership: p[8]!,
      metrics: p[9]!,
    };
    // As root, PostgreSQL runs as the postgres user, who must be able to enter this folder.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payments-cluster-'));
    fs.chmodSync(dataDir, 0o755);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    let cluster: TemporalCluster;
    try {
      cluster = await TemporalCluster.start({
        dataDir,
        ports: serverPorts,
        numHistoryShards: options.numHistoryShards ?? 4,
        postgres: { port: pgPort, ...POSTGRES },
        logFile: path.join(ARTIFACTS, `${options.logName}-temporal.log`),
      });
    } catch (err) {
      fs.rmSync(dataDir, { recursive: true, force: true });
      throw err;
    }
    const common: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? os.homedir(),
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      SIM_PORT: String(simPort),
      ACQUIRER_URL: `http://127.0.0.1:${simPort}`,
      TEMPORAL_ADDRESS: cluster.address,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: `cluster-${randomUUID()}`,
      DATA_DIR: dataDir,
      SIM_APPROVE_DELAY_MS: '300',
      VIEW_PUSH_URLS: `http://127.0.0.1:${push1},http://127.0.0.1:${push2}`,
      ...options.env,
    };
    const envs: Record<Instance, Record<string, string>> = {
      simulator: { ...common, VIEW_PUSH_PORT: '0' },
      'worker-1': { ...common, WORKER_METRICS_PORT: String(metrics1) },
      'worker-2': { ...common, WORKER_METRICS_PORT: String(metrics2) },
      'api-1': { ...common, PORT: String(api1), VIEW_PUSH_PORT: String(push1) },
      'api-2': { ...common, PORT: String(api2), VIEW_PUSH_PORT: String(push2) },
    };
    const system = new ClusterSystem(cluster, envs, dataDir, options.logName);
    try {
      for (const instance of INSTANCES) await system.startApp(instance);
      await system.waitReady();
    } catch (err) {
      await system.stop();
      throw err;
    }
    return system;
  }

  /** Starts one app instance (again); output goes to test/artifacts/<logName>-<instance>.log. */
  async startApp(instance: Instance): Promise<void> {
    if (this.procs.has(instance)) throw new Error(`${instance} is already running`);
    const kind = instance === 'simulator' ? 'simulator' : instance.startsWith('worker') ? 'worker' : 'api';
    const env = this.envs[instance];
    const healthUrl = kind === 'worker' ? undefined : kind === 'simulator' ? `${this.simUrl}/healthz` : `http://127.0.0.1:${env.PORT}/healthz`;
    const child = await AppProcess.start({ name: instance, entry: appEntry(kind), env, logFile: path.join(ARTIFACTS, `${this.logName}-${instance}.log`), healthUrl });
    this.procs.set(instance, child);
    child.onExit(() => {
      if (this.procs.get(instance) === child) this.procs.delete(instance);
    });
  }

  /** Until every running API says Temporal answers and a worker polls the task queue. */
  async waitReady(timeoutMs = 90_000): Promise<void> {
    for (const [i, url] of this.apiUrls.entries()) {
      if (!this.isRunning(`api-${i + 1}` as Instance)) continue;
      await eventually(() => fetch(`${url}/readyz`), (r) => r.status === 200, timeoutMs, 200);
    }
  }

  isRunning(instance: Instance): boolean {
    return this.procs.has(instance);
  }

  /** SIGTERM, as an operator's stop. */
  async stopApp(instance: Instance): Promise<void> {
    await this.procs.get(instance)?.stop();
    this.procs.delete(instance);
  }

  /** SIGKILL: the crash the service must survive. */
  async killApp(instance: Instance): Promise<void> {
    await this.procs.get(instance)?.kill();
    this.procs.delete(instance);
  }

  /** Stops every app, then Temporal and PostgreSQL, and deletes the data. */
  async stop(): Promise<void> {
    await Promise.all([...this.procs.keys()].map((instance) => this.stopApp(instance)));
    await this.cluster.stop();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
