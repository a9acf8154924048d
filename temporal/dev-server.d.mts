import type { ChildProcess } from 'node:child_process';

/** The custom search attributes every payment workflow sets: name → type. */
export declare const searchAttributes: Readonly<Record<string, string>>;

export interface DevServerOptions {
  cliPath: string;
  dataDir: string;
  port: number;
  uiPort?: number;
  namespace?: string;
  headless?: boolean;
  log?: (line: string) => void;
  ip?: string;
}

export interface DevServer {
  /** host:port of the frontend gRPC service. */
  address: string;
  /** Temporal Web, undefined when headless. */
  uiUrl: string | undefined;
  process: ChildProcess;
  /** SIGTERM, SIGKILL after 10 s; resolves once the server has exited. */
  stop(): Promise<void>;
}

/** Starts the dev server and resolves once the namespace answers and has every search attribute. */
export declare function startDevServer(options: DevServerOptions): Promise<DevServer>;
/** Creates the search attributes the namespace lacks. */
export declare function ensureSearchAttributes(options: {
  cliPath: string;
  address: string;
  namespace: string;
  log?: (line: string) => void;
}): Promise<void>;
/** A free TCP port on host (default 127.0.0.1). */
export declare function freePort(host?: string): Promise<number>;
