import type { ChildProcess } from 'node:child_process';

/** deploy/temporal/config/payments.yaml and its dynamic config: what the cluster and deploy/ run. */
export declare const SERVER_CONFIG_FILE: string;
export declare const DYNAMIC_CONFIG_FILE: string;

export interface PostgresSettings {
  port: number;
  user: string;
  password: string;
}

/** The ports of the server's four services, its HTTP API and its Prometheus endpoint. */
export interface ServerPorts {
  frontend: number;
  frontendMembership: number;
  frontendHttp: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
  metrics: number;
}

export interface ClusterOptions {
  dataDir: string;
  ip?: string;
  /** The frontend's port (TEMPORAL_ADDRESS); the rest follow from it unless `ports` is given. */
  port: number;
  uiPort?: number;
  namespace?: string;
  numHistoryShards?: number;
  postgres: PostgresSettings;
  ports?: ServerPorts;
  headless?: boolean;
  log?: (line: string) => void;
}

export interface RunningPostgres {
  address: string;
  port: number;
  process: ChildProcess;
  stop(mode?: 'fast' | 'smart' | 'immediate'): Promise<void>;
}

export interface Cluster {
  /** host:port of the frontend. */
  address: string;
  namespace: string;
  numHistoryShards: number;
  uiUrl: string | undefined;
  /** The server's Prometheus endpoint (persistence requests, tasks, shards…). */
  metricsUrl: string;
  postgres: RunningPostgres | undefined;
  server: ChildProcess | undefined;
  web: ChildProcess | undefined;
  startPostgres(): Promise<void>;
  isPostgresRunning(): boolean;
  stopPostgres(mode?: 'fast' | 'smart' | 'immediate'): Promise<void>;
  startServer(): Promise<void>;
  stopServer(options?: { hard?: boolean }): Promise<void>;
  isServerRunning(): boolean;
  stop(): Promise<void>;
}

/** `npm run cluster`'s settings from the environment; throws one line naming a bad variable. */
export declare function clusterSettingsFromEnv(
  env: Record<string, string | undefined>,
  repoRoot: string,
): { ip: string; port: number; uiPort: number; namespace: string; dataDir: string; numHistoryShards: number; postgres: PostgresSettings };
/** Temporal's default port layout, shifted to the given frontend port. */
export declare function derivedPorts(frontendPort: number): ServerPorts;
/** PostgreSQL, schema, Temporal server, namespace and search attributes, Temporal Web; resolves once payments can start. */
export declare function startCluster(options: ClusterOptions): Promise<Cluster>;
