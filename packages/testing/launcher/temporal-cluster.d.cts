import type { AppProcess } from './app-process.cjs';

/** Temporal on PostgreSQL in a child process of its own, each part stopped and started on its own. */
export declare class TemporalCluster {
  readonly proc: AppProcess;
  /** host:port of the frontend. */
  readonly address: string;
  /** The server's Prometheus endpoint. */
  readonly metricsUrl: string;
  /** Temporal Web, undefined when headless. */
  readonly uiUrl: string | undefined;
  /** The server's and PostgreSQL's pids (new ones after a start). */
  readonly pids: { server?: number; postgres?: number };
  /** Starts PostgreSQL (again) on its data folder. */
  startPostgres(): Promise<void>;
  /** PostgreSQL's own stop modes: `fast` ends sessions and checkpoints; `immediate` is a crash. */
  stopPostgres(mode?: 'fast' | 'smart' | 'immediate'): Promise<void>;
  isPostgresRunning(): boolean;
  /** Starts the Temporal server (again); resolves once it serves. */
  startServer(): Promise<void>;
  /** SIGTERM (a clean stop), or SIGKILL with hard. */
  stopServer(options?: { hard?: boolean }): Promise<void>;
  isServerRunning(): boolean;
  /** One SQL statement on one of Temporal's databases; its unaligned output. */
  psql(database: string, sql: string): Promise<string>;
  /** Stops Temporal Web, the server and PostgreSQL, then the process. */
  stop(): Promise<void>;
  /** SIGKILL to the process and everything it runs. */
  kill(): Promise<void>;
}
