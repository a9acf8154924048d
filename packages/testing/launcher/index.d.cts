import type { ChildProcess } from 'node:child_process';
import type { ServerPorts } from '../../../temporal/cluster.mjs';
import type { TemporalCluster } from './temporal-cluster.cjs';

export { AppProcess, STOP_GRACE_MS, type AppProcessOptions } from './app-process.cjs';
export { distinctFreePorts, distinctLowFreePorts, freePort, portIsFree } from './ports.cjs';
export type { TemporalCluster } from './temporal-cluster.cjs';

/** The three apps the service runs as processes. */
export type AppName = 'simulator' | 'worker' | 'api';

/** One process of the topology: `worker-2` runs the worker app, the second of its kind (index 1). */
export interface Instance {
  name: string;
  app: AppName;
  index: number;
}

/** Where Temporal is. */
export type TemporalTopology =
  /** A server the caller runs (the test run's, the bench's). */
  | { mode: 'external'; address: string; namespace?: string }
  /** A dev server of our own (temporal/start-dev.mjs, on DATA_DIR/temporal.sqlite), on free ports unless given. */
  | { mode: 'dev'; ip?: string; port?: number; uiPort?: number; namespace?: string; dataDir?: string; readyTimeoutMs?: number }
  /** PostgreSQL and the Temporal server (temporal/cluster.mjs), on free ports below 32768 unless given. */
  | {
      mode: 'cluster';
      ip?: string;
      /** The frontend's port; the others follow from it (derivedPorts) unless `ports` is given. */
      port?: number;
      ports?: ServerPorts;
      uiPort?: number;
      /** No Temporal Web; true unless uiPort is given. */
      headless?: boolean;
      namespace?: string;
      numHistoryShards?: number;
      postgres: { port?: number; user: string; password: string };
      /** PostgreSQL's folder goes under it; the launcher's dataDir by default. */
      dataDir?: string;
      readyTimeoutMs?: number;
    };

export interface LauncherOptions {
  temporal: TemporalTopology;
  /** A simulator (the acquirer, terminals, wallet); true by default. */
  simulator?: boolean;
  /** How many workers on the task queue; 1 by default. */
  workers?: number;
  /** How many API instances; 1 by default. */
  apis?: number;
  /** Name every instance with its number (`worker-1`), not only the second on (`worker`, `worker-2`). */
  numbered?: boolean;
  /** The instances start() starts; every one by default. */
  only?: string[];
  /** Free ports (the default), or fixed ones: instance i of a kind gets base + i. */
  ports?: 'free' | { simulator: number; api: number; viewPush: number; workerMetrics: number };
  /** What every process inherits: PATH and HOME by default; the scripts give process.env. */
  baseEnv?: Record<string, string | undefined>;
  /** Added to every process's environment, over what the topology gives it. */
  env?: Record<string, string>;
  /** An instance's own additions (e.g. a file of its own). */
  instanceEnv?: (instance: Instance) => Record<string, string>;
  /** Options for node itself, per instance (--require, --cpu-prof…). */
  nodeArgs?: (instance: Instance) => string[];
  /** HOST of the APIs. */
  host?: string;
  /** DATA_DIR of every process (the ledger; the dev server's SQLite file; the cluster's PostgreSQL). */
  dataDir?: string;
  /** TEMPORAL_TASK_QUEUE of every process. */
  taskQueue?: string;
  /** Logs go to <logDir>/<logPrefix><instance>.log; without logDir, to our terminal after `[instance] `. */
  logDir?: string;
  logPrefix?: string;
  /** How long a simulator's or API's /healthz may take; 30 s by default. */
  healthTimeoutMs?: number;
  /** How long until every API's /readyz answers 200; 90 s by default. */
  readyTimeoutMs?: number;
  /** SIGKILL after a stop's SIGTERM when a process is still there; 15 s by default. */
  stopGraceMs?: number;
  /** Called with each child as soon as it is spawned (the scripts: make it die with them). */
  onSpawn?: (child: ChildProcess) => void;
  /** A process exited without being stopped or killed through the launcher. */
  onExit?: (name: string, code: number | null, signal: NodeJS.Signals | null) => void;
}

/** The whole system as child processes, each started, stopped, killed and started again by its instance name. */
export declare class Launcher {
  /** Ports and environments, nothing started yet. */
  static prepare(o: LauncherOptions): Promise<Launcher>;
  /** prepare() and start(). */
  static start(o: LauncherOptions): Promise<Launcher>;
  /** Temporal (when it is ours), then the instances in order; resolves once every API is ready. Stops what it started on failure unless told not to. */
  start(options?: { stopOnFailure?: boolean }): Promise<void>;
  /** Every process's environment (instances add their ports); a test may change it before a start. */
  readonly env: Record<string, string>;
  readonly instances: readonly Instance[];
  /** The instance names, in the order they start. */
  readonly names: string[];
  /** The environment one instance starts with. */
  instanceEnv(name: string): Record<string, string>;
  readonly temporalAddress: string;
  readonly namespace: string;
  /** Temporal Web, when this launcher runs Temporal with it. */
  readonly temporalUiUrl: string | undefined;
  /** The cluster's handle; throws when Temporal is not the cluster. */
  readonly cluster: TemporalCluster;
  readonly simUrl: string;
  /** Every API instance's base URL, in order. */
  readonly apiUrls: string[];
  apiUrl(name: string): string;
  /** A worker's Prometheus endpoint. */
  workerMetricsUrl(name: string): string;
  /** Starts one instance (again); resolves once it is healthy. */
  startApp(name: string): Promise<void>;
  /** Until every running API's /readyz answers 200. */
  waitReady(timeoutMs?: number): Promise<void>;
  isRunning(name: string): boolean;
  pid(name: string): number | undefined;
  /** Every running process's pid by name (the cluster's server and PostgreSQL as `temporal` and `postgres`). */
  pids(): Record<string, number>;
  /** SIGTERM (SIGKILL after the grace time); resolves once it has exited. */
  stopApp(name: string): Promise<void>;
  /** SIGKILL. */
  killApp(name: string): Promise<void>;
  /** A signal the process handles and lives on. */
  notify(name: string, signal: NodeJS.Signals): void;
  /** Starts this launcher's Temporal (again, on the same ports and data). */
  startTemporal(): Promise<void>;
  /** SIGTERM: a clean stop. */
  stopTemporal(): Promise<void>;
  /** SIGKILL to Temporal and everything it runs. */
  killTemporal(): Promise<void>;
  isTemporalRunning(): boolean;
  /** Every app (SIGTERM, at once), then Temporal when it is ours. */
  stop(): Promise<void>;
  /** SIGKILL to everything at once. */
  killAll(): void;
}

/** The instances of a topology in start order. */
export declare function topology(o?: { simulator?: boolean; workers?: number; apis?: number; numbered?: boolean }): Instance[];
/** The built entry point of an app. */
export declare function appEntry(app: AppName): string;
/** The repository's root. */
export declare const REPO_ROOT: string;
