// One app of the service as a real child process, started the way an operator starts it:
// `node apps/<app>/dist/main.js` with its environment, its output collected in a log file.
// The end-to-end tests and the bench both run the service through this.
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The three apps the service runs as processes. */
export type AppName = 'simulator' | 'worker' | 'api';

/** The repository's root: this file sits in packages/testing/src or packages/testing/dist. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** The built entry point of an app (`npm run build` makes it). */
export function appEntry(app: AppName): string {
  return path.join(REPO_ROOT, 'apps', app, 'dist', 'main.js');
}

/** How to start one process. */
export interface AppProcessOptions {
  /** Named in errors: "api-1 exited with 1 while starting". */
  name: string;
  /** The script node runs, e.g. appEntry('api'). */
  entry: string;
  env: Record<string, string>;
  /** stdout and stderr are appended here. */
  logFile: string;
  /** Options for node itself (--require, --cpu-prof…), before the entry. */
  nodeArgs?: string[];
  /** start() resolves once this URL answers 2xx; without it, as soon as the process is spawned. */
  healthUrl?: string;
  /** How long the health URL may take; 30 s by default. */
  healthTimeoutMs?: number;
}

/** SIGKILL follows a stop's signal after this long: an app that ignores SIGTERM still goes. */
export const STOP_GRACE_MS = 15_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A started app process: its pid, whether it still runs, and how to stop, kill or signal it. */
export class AppProcess {
  private constructor(
    readonly name: string,
    readonly logFile: string,
    private readonly child: ChildProcess,
  ) {}

  /**
   * Spawns the process and, with a health URL, waits until it answers; a process that dies
   * first rejects at once, naming its log.
   */
  static async start(o: AppProcessOptions): Promise<AppProcess> {
    fs.mkdirSync(path.dirname(o.logFile), { recursive: true });
    const log = fs.openSync(o.logFile, 'a');
    const child = spawn(process.execPath, [...(o.nodeArgs ?? []), o.entry], { env: o.env, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    const app = new AppProcess(o.name, o.logFile, child);
    if (o.healthUrl) {
      try {
        await app.waitFor(o.healthUrl, o.healthTimeoutMs ?? 30_000);
      } catch (err) {
        await app.kill();
        throw err;
      }
    }
    return app;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** False once the process has exited (or never started). */
  get running(): boolean {
    return this.child.pid !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once the process has exited. */
  exited(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  /** Calls fn when the process exits, for whoever tracks what runs. */
  onExit(fn: (code: number | null, signal: NodeJS.Signals | null) => void): void {
    this.child.once('exit', fn);
  }

  /** Polls the URL until it answers 2xx; rejects when the process exits first or the time is up. */
  async waitFor(url: string, timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running) {
        throw new Error(`${this.name} exited with ${this.child.signalCode ?? this.child.exitCode} while starting; see ${this.logFile}`);
      }
      const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      if (Date.now() > until) throw new Error(`${this.name}: ${url} not ready within ${timeoutMs} ms; see ${this.logFile}`);
      await sleep(100);
    }
  }

  /** SIGTERM, as an operator's stop (SIGKILL after graceMs); resolves once it has exited. */
  stop(graceMs = STOP_GRACE_MS): Promise<void> {
    return this.signalAndWait('SIGTERM', graceMs);
  }

  /** SIGKILL: the crash the service must survive. Resolves once it has exited. */
  kill(): Promise<void> {
    return this.signalAndWait('SIGKILL', STOP_GRACE_MS);
  }

  /** A signal the process handles and lives on (SIGHUP: the API re-reads its credentials file). */
  notify(signal: NodeJS.Signals): void {
    if (!this.running) throw new Error(`${this.name} is not running`);
    this.child.kill(signal);
  }

  private async signalAndWait(signal: NodeJS.Signals, graceMs: number): Promise<void> {
    if (!this.running) return;
    const exited = this.exited();
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
