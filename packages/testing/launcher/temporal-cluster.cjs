// Temporal on PostgreSQL as one child process: temporal/cluster-process.mjs (startCluster) driven
// over Node's IPC channel, so that the Temporal server and PostgreSQL can each be stopped, killed
// and started again while the rest of the system runs.
'use strict';
const path = require('node:path');
const { AppProcess } = require('./app-process.cjs');

const ENTRY = path.resolve(__dirname, '..', '..', '..', 'temporal', 'cluster-process.mjs');

class TemporalCluster {
  constructor(proc, ready) {
    this.proc = proc;
    /** host:port of the frontend. */
    this.address = ready.address;
    /** The server's Prometheus endpoint. */
    this.metricsUrl = ready.metricsUrl;
    /** Temporal Web, undefined when headless. */
    this.uiUrl = ready.uiUrl;
    this.pids = { server: ready.serverPid, postgres: ready.postgresPid };
    this.nextId = 1;
    this.pending = new Map();
    this.serverUp = true;
    this.postgresUp = true;
    proc.child.on('message', (message) => {
      if ('id' in message) {
        this.pending.get(message.id)?.(message);
        this.pending.delete(message.id);
      } else if (message.type === 'exit') {
        if (message.what === 'server') this.serverUp = false;
        else this.postgresUp = false;
      }
    });
  }

  /**
   * Starts the cluster process with startCluster's options and resolves once payments can start
   * on it. `logFile` takes its output; without one it goes to the terminal.
   */
  static async start({ logFile, readyTimeoutMs = 300_000, onSpawn, ...options }) {
    const proc = await AppProcess.start({ name: 'temporal', entry: ENTRY, args: [JSON.stringify(options)], env: process.env, logFile, ipc: true, onSpawn });
    let timer;
    const ready = await new Promise((resolve, reject) => {
      if (Number.isFinite(readyTimeoutMs)) timer = setTimeout(() => reject(new Error(`the cluster did not start within ${readyTimeoutMs / 1000} s${proc.seeLog()}`)), readyTimeoutMs);
      proc.child.on('message', (m) => {
        if (m.type === 'ready') resolve(m);
        if (m.type === 'failed') reject(new Error(`the cluster did not start: ${m.error}${proc.seeLog()}`));
      });
      proc.onExit((code) => reject(new Error(`the cluster process exited with ${code} while starting${proc.seeLog()}`)));
    })
      .catch(async (err) => {
        await proc.kill();
        throw err;
      })
      .finally(() => clearTimeout(timer));
    return new TemporalCluster(proc, ready);
  }

  call(op, ...args) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (reply) => (reply.ok ? resolve(reply.value) : reject(new Error(`${op}: ${reply.error}`))));
      this.proc.child.send({ id, op, args });
    });
  }

  async startPostgres() {
    this.pids = await this.call('startPostgres');
    this.postgresUp = true;
  }

  async stopPostgres(mode = 'fast') {
    await this.call('stopPostgres', mode);
    this.postgresUp = false;
  }

  isPostgresRunning() {
    return this.postgresUp;
  }

  async startServer() {
    this.pids = await this.call('startServer');
    this.serverUp = true;
  }

  async stopServer({ hard = false } = {}) {
    await this.call('stopServer', { hard });
    this.serverUp = false;
  }

  isServerRunning() {
    return this.serverUp;
  }

  async psql(database, sql) {
    return this.call('psql', { database, sql });
  }

  /** Stops Temporal Web, the server and PostgreSQL in order, then the process (SIGKILL after 60 s). */
  stop() {
    return this.proc.stop(60_000);
  }

  /** SIGKILL to the process: the server and PostgreSQL die with it. */
  kill() {
    return this.proc.kill();
  }
}

module.exports = { TemporalCluster };
