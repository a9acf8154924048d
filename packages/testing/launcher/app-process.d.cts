import type { ChildProcess } from 'node:child_process';

/** How to start one process. */
export interface AppProcessOptions {
  /** Named in errors ("api-1 exited with 1 while starting") and before its lines on the terminal. */
  name: string;
  /** The script node runs, e.g. appEntry('api'). */
  entry: string;
  /** Arguments after the entry. */
  args?: string[];
  env: Record<string, string | undefined>;
  cwd?: string;
  /** stdout and stderr are appended here; without it they go to our terminal after `[name] `. */
  logFile?: string;
  /** The process writes pretty lines that name it already: no prefix on the terminal. */
  pretty?: boolean;
  /** Options for node itself (--require, --cpu-prof…), before the entry. */
  nodeArgs?: string[];
  /** start() resolves once this URL answers 2xx. */
  healthUrl?: string;
  /** How long the health URL may take; 30 s by default. */
  healthTimeoutMs?: number;
  /** start() resolves once the process writes a line that matches. */
  readyLine?: RegExp;
  readyTimeoutMs?: number;
  /** Its own process group: signals reach its children too. */
  group?: boolean;
  /** An IPC channel (child.send, 'message'). */
  ipc?: boolean;
  /** Called with the child as soon as it is spawned (e.g. to make it die with this process). */
  onSpawn?: (child: ChildProcess) => void;
}

/** SIGKILL follows a stop's signal after this long: an app that ignores SIGTERM still goes. */
export declare const STOP_GRACE_MS: number;

/** A started process: its pid, whether it still runs, and how to stop, kill or signal it. */
export declare class AppProcess {
  readonly name: string;
  readonly logFile: string | undefined;
  readonly child: ChildProcess;
  /** Spawns the process and waits until it is ready; a process that dies first rejects at once, naming its log. */
  static start(o: AppProcessOptions): Promise<AppProcess>;
  get pid(): number | undefined;
  /** False once the process has exited (or never started). */
  get running(): boolean;
  /** Resolves once the process has exited. */
  exited(): Promise<void>;
  /** Calls fn when the process exits. */
  onExit(fn: (code: number | null, signal: NodeJS.Signals | null) => void): void;
  /** Polls the URL until it answers 2xx; rejects when the process exits first or the time is up. */
  waitFor(url: string, timeoutMs: number): Promise<void>;
  /** SIGTERM, as an operator's stop (SIGKILL after graceMs); resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL: the crash the service must survive. Resolves once it has exited. */
  kill(): Promise<void>;
  /** A signal the process handles and lives on (SIGHUP: the API re-reads its credentials file). */
  notify(signal: NodeJS.Signals): void;
  /** Sends a signal to the process, or to its whole group. */
  signal(signal: NodeJS.Signals): void;
}

/** Calls onLine for every line the stream writes. */
export declare function forEachLine(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void;
