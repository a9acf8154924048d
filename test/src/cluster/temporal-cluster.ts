// Temporal on PostgreSQL for the cluster tests: temporal/cluster-process.mjs forked (jest's
// CommonJS tests cannot load temporal/'s ES modules), driven over IPC, so a test can stop,
// kill and start the Temporal server and PostgreSQL one at a time.
import { type ChildProcess, fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ServerPorts } from '@payments/temporal/cluster';

const ENTRY = path.resolve(__dirname, '..', '..', '..', 'temporal', 'cluster-process.mjs');
const START_TIMEOUT_MS = 300_000;

export interface TemporalClusterOptions {
  dataDir: string;
  ports: ServerPorts;
  numHistoryShards: number;
  postgres: { port: number; user: string; password: string };
  /** Where the server's, PostgreSQL's and the schema tool's lines go. */
  logFile: string;
}

type Reply = { id: number; ok: boolean; value?: unknown; error?: string };
type Event = { type: 'ready'; address: string; metricsUrl: string } | { type: 'failed'; error: string } | { type: 'exit'; what: 'server' | 'postgres' };

export class TemporalCluster {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: Reply) => void>();
  private serverUp = true;
  private postgresUp = true;

  private constructor(
    private readonly child: ChildProcess,
    readonly address: string,
    /** The server's Prometheus endpoint. */
    readonly metricsUrl: string,
  ) {
    child.on('message', (message: Reply | Event) => {
      if ('id' in message) {
        this.pending.get(message.id)?.(message);
        this.pending.delete(message.id);
      } else if (message.type === 'exit') {
        if (message.what === 'server') this.serverUp = false;
        else this.postgresUp = false;
      }
    });
  }

  /** Forks the cluster process and resolves once payments can start on it. */
  static async start(options: TemporalClusterOptions): Promise<TemporalCluster> {
    const log = fs.openSync(options.logFile, 'a');
    const { logFile, ...clusterOptions } = options;
    const settings = { ...clusterOptions, port: options.ports.frontend, headless: true };
    const child = fork(ENTRY, [JSON.stringify(settings)], { stdio: ['ignore', log, log, 'ipc'] });
    fs.closeSync(log);
    let timer: NodeJS.Timeout | undefined;
    const ready = await new Promise<Extract<Event, { type: 'ready' }>>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`the cluster did not start within ${START_TIMEOUT_MS / 1000} s; see ${logFile}`)), START_TIMEOUT_MS);
      child.on('message', (m: Event) => {
        if (m.type === 'ready') resolve(m);
        if (m.type === 'failed') reject(new Error(`the cluster did not start: ${m.error}; see ${logFile}`));
      });
      child.once('exit', (code) => reject(new Error(`the cluster process exited with ${code} while starting; see ${logFile}`)));
    })
      .catch((err: unknown) => {
        child.kill('SIGKILL');
        throw err;
      })
      .finally(() => clearTimeout(timer));
    return new TemporalCluster(child, ready.address, ready.metricsUrl);
  }

  private call(op: string, ...args: unknown[]): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (reply) => (reply.ok ? resolve(reply.value) : reject(new Error(`${op}: ${reply.error}`))));
      this.child.send({ id, op, args });
    });
  }

  /** Starts PostgreSQL (again) on its data folder. */
  async startPostgres(): Promise<void> {
    await this.call('startPostgres');
    this.postgresUp = true;
  }

  /** PostgreSQL's own stop modes: `fast` ends sessions and checkpoints; `immediate` is a crash. */
  async stopPostgres(mode: 'fast' | 'smart' | 'immediate' = 'fast'): Promise<void> {
    await this.call('stopPostgres', mode);
    this.postgresUp = false;
  }

  isPostgresRunning(): boolean {
    return this.postgresUp;
  }

  /** Starts the Temporal server (again); resolves once it serves. */
  async startServer(): Promise<void> {
    await this.call('startServer');
    this.serverUp = true;
  }

  /** SIGTERM (a clean stop), or SIGKILL with hard. */
  async stopServer({ hard = false } = {}): Promise<void> {
    await this.call('stopServer', { hard });
    this.serverUp = false;
  }

  isServerRunning(): boolean {
    return this.serverUp;
  }

  /** One SQL statement on one of Temporal's databases; its unaligned output. */
  async psql(database: string, sql: string): Promise<string> {
    return (await this.call('psql', { database, sql })) as string;
  }

  /** Stops Temporal and PostgreSQL, then the process. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 60_000);
    await exited;
    clearTimeout(timer);
  }
}
