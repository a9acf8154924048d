// One process of the service as a real child, started the way an operator starts it: `node
// <entry>` with its environment. Its output goes to a log file (the tests, the bench) or to our
// terminal, each line after `[name] ` (npm start, npm run cluster).
// Plain CommonJS with no npm dependencies: see ./index.cjs for why.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');

/** SIGKILL follows a stop's signal after this long: an app that ignores SIGTERM still goes. */
const STOP_GRACE_MS = 15_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Calls onLine for every line the stream writes. */
function forEachLine(stream, onLine) {
  readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
}

/** A started process: its pid, whether it still runs, and how to stop, kill or signal it. */
class AppProcess {
  constructor(name, logFile, child, group) {
    this.name = name;
    /** Where its output goes; undefined when it goes to the terminal. */
    this.logFile = logFile;
    this.child = child;
    this.group = group;
  }

  /**
   * Spawns the process and waits until it is ready: its health URL answers 2xx, or it writes a
   * line matching readyLine; without either, as soon as it is spawned. A process that dies
   * first rejects at once, naming its log.
   */
  static async start(o) {
    const args = [...(o.nodeArgs ?? []), o.entry, ...(o.args ?? [])];
    const group = o.group ?? false;
    const piped = !o.logFile || o.readyLine !== undefined;
    let fd;
    if (o.logFile) {
      fs.mkdirSync(path.dirname(o.logFile), { recursive: true });
      fd = fs.openSync(o.logFile, 'a');
    }
    const stdio = ['ignore', piped ? 'pipe' : fd, o.logFile ? fd : 'pipe'];
    if (o.ipc) stdio.push('ipc');
    const child = spawn(process.execPath, args, { cwd: o.cwd, env: o.env, stdio, detached: group });
    if (fd !== undefined) fs.closeSync(fd);
    const app = new AppProcess(o.name, o.logFile, child, group);
    const lineReady = o.readyLine ? app.watchLines(o.readyLine) : undefined;
    if (!o.logFile) {
      // A line that names its process already (pretty logs, [temporal] …) is shown as it is.
      const prefix = (line) => (line.startsWith('[') || o.pretty ? line : `[${o.name}] ${line}`);
      if (!o.readyLine) forEachLine(child.stdout, (line) => console.log(prefix(line)));
      forEachLine(child.stderr, (line) => console.error(line.startsWith('[') ? line : `[${o.name}] ${line}`));
    }
    const spawnFailed = new Promise((resolve) => child.once('error', resolve));
    o.onSpawn?.(child);
    try {
      await Promise.race([
        spawnFailed.then((err) => {
          throw new Error(`${o.name} could not start: ${err.message}`);
        }),
        (async () => {
          if (o.healthUrl) await app.waitFor(o.healthUrl, o.healthTimeoutMs ?? 30_000);
          if (lineReady) await lineReady(o.readyTimeoutMs ?? 90_000);
        })(),
      ]);
    } catch (err) {
      await app.kill();
      throw err;
    }
    return app;
  }

  get pid() {
    return this.child.pid;
  }

  /** False once the process has exited (or never started). */
  get running() {
    return this.child.pid !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once the process has exited. */
  exited() {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  /** Calls fn when the process exits, for whoever tracks what runs. */
  onExit(fn) {
    this.child.once('exit', fn);
  }

  /** Polls the URL until it answers 2xx; rejects when the process exits first or the time is up. */
  async waitFor(url, timeoutMs) {
    const until = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running) throw this.exitedWhileStarting();
      const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      if (Date.now() > until) throw new Error(`${this.name}: ${url} not ready within ${timeoutMs} ms${this.seeLog()}`);
      await sleep(100);
    }
  }

  /** SIGTERM, as an operator's stop (SIGKILL after graceMs); resolves once it has exited. */
  stop(graceMs = STOP_GRACE_MS) {
    return this.signalAndWait('SIGTERM', graceMs);
  }

  /** SIGKILL: the crash the service must survive. Resolves once it has exited. */
  kill() {
    return this.signalAndWait('SIGKILL', STOP_GRACE_MS);
  }

  /** A signal the process handles and lives on (SIGHUP: the API re-reads its credentials file). */
  notify(signal) {
    if (!this.running) throw new Error(`${this.name} is not running`);
    this.child.kill(signal);
  }

  /** Sends a signal to the process, or to its whole group when it was started as one. */
  signal(signal) {
    try {
      if (this.group && this.child.pid) process.kill(-this.child.pid, signal);
      else this.child.kill(signal);
    } catch {
      // already gone
    }
  }

  async signalAndWait(signal, graceMs) {
    if (!this.running) return;
    const exited = this.exited();
    this.signal(signal);
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
    // A group's members (the Temporal server under its wrapper) go with it.
    if (this.group && signal === 'SIGKILL') this.signal('SIGKILL');
  }

  /** Copies stdout to the log file (or terminal) and resolves once a line matches `pattern`. */
  watchLines(pattern) {
    let matched = false;
    let onMatch;
    forEachLine(this.child.stdout, (line) => {
      if (this.logFile) fs.appendFileSync(this.logFile, `${line}\n`);
      else console.log(line.startsWith('[') ? line : `[${this.name}] ${line}`);
      if (!matched && pattern.test(line)) {
        matched = true;
        onMatch?.();
      }
    });
    return async (timeoutMs) => {
      if (matched) return;
      if (!this.running) throw this.exitedWhileStarting();
      let timer;
      try {
        await new Promise((resolve, reject) => {
          onMatch = resolve;
          if (Number.isFinite(timeoutMs)) timer = setTimeout(() => reject(new Error(`${this.name} not ready within ${timeoutMs} ms${this.seeLog()}`)), timeoutMs);
          this.child.once('exit', () => reject(this.exitedWhileStarting()));
        });
      } finally {
        clearTimeout(timer);
      }
    };
  }

  exitedWhileStarting() {
    return new Error(`${this.name} exited with ${this.child.signalCode ?? this.child.exitCode} while starting${this.seeLog()}`);
  }

  seeLog() {
    return this.logFile ? `; see ${this.logFile}` : '';
  }
}

module.exports = { AppProcess, STOP_GRACE_MS, forEachLine };
