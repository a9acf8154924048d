// The one launcher of the whole system: `npm start`, `npm run cluster`, the end-to-end tests and
// the bench all start the service through it. It knows the topology (Temporal: a server the caller
// runs, a dev server of its own, or the cluster on PostgreSQL; the simulator; N workers; N APIs),
// gives every process its ports and environment (each worker its own WORKER_METRICS_PORT, every
// worker pushing views to every API's VIEW_PUSH_PORT through VIEW_PUSH_URLS), starts them in that
// order, waits until each is healthy and every API ready, and stops (SIGTERM), kills (SIGKILL) and
// starts again any one of them by its instance name.
//
// Plain CommonJS with no npm dependencies, so that every caller loads it as it is: the scripts run
// before `npm install` and build (they import it from ESM), jest's CommonJS test files require it
// (jest cannot load ES modules without --experimental-vm-modules), and the bench requires it. For
// the same reason Temporal is always a child process of its own (temporal/start-dev.mjs or
// temporal/cluster-process.mjs), never temporal/'s ES modules loaded here.
'use strict';
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { AppProcess, STOP_GRACE_MS } = require('./app-process.cjs');
const { distinctFreePorts, distinctLowFreePorts, freePort, portIsFree } = require('./ports.cjs');
const { TemporalCluster } = require('./temporal-cluster.cjs');

/** The repository's root: this file sits in packages/testing/launcher. */
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
/** `npm run temporal`: the dev server on DATA_DIR/temporal.sqlite, stopped cleanly on SIGTERM. */
const START_DEV = path.join(REPO_ROOT, 'temporal', 'start-dev.mjs');
/** Starting the dev server includes creating search attributes on a fresh file: allow for a busy machine. */
const DEV_READY_MS = 90_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The built entry point of an app (`npm run build` makes it). */
function appEntry(app) {
  return path.join(REPO_ROOT, 'apps', app, 'dist', 'main.js');
}

/**
 * The instances of a topology in the order they start: the simulator, the workers, the APIs.
 * The first worker is `worker` and the second `worker-2`, or, numbered, `worker-1` and `worker-2`.
 */
function topology({ simulator = true, workers = 1, apis = 1, numbered = false } = {}) {
  const name = (app, i) => (i === 0 && !numbered ? app : `${app}-${i + 1}`);
  return [
    ...(simulator ? [{ name: 'simulator', app: 'simulator', index: 0 }] : []),
    ...Array.from({ length: workers }, (_, i) => ({ name: name('worker', i), app: 'worker', index: i })),
    ...Array.from({ length: apis }, (_, i) => ({ name: name('api', i), app: 'api', index: i })),
  ];
}

/**
 * The simulator as the acquirer pushes its events to the first API's /callbacks/acquirer, signed
 * with a secret made for this launch (or the caller's ACQUIRER_CALLBACK_SECRET), and the workers
 * wait for them instead of long-polling (ACQUIRER_CALLBACKS). Nothing when the acquirer is not
 * the simulator (ACQUIRER_URL given), no API runs to receive them, or the caller set
 * ACQUIRER_CALLBACKS=false: events a long-polling payment is sent only make it poll again.
 */
function acquirerCallbackEnv(base, overrides, { hasSimulator, apiHost, apiPort }) {
  const off = /^(false|0)$/i.test(overrides.ACQUIRER_CALLBACKS ?? base.ACQUIRER_CALLBACKS ?? '');
  if (!hasSimulator || apiPort === undefined || base.ACQUIRER_URL || off) return {};
  // A random secret per launch: nothing to leak, and none a production config could mistake for its own.
  const secret = base.ACQUIRER_CALLBACK_SECRET || randomBytes(24).toString('hex');
  return {
    ACQUIRER_CALLBACK_SECRET: secret,
    SIM_ACQUIRER_CALLBACK_SECRET: secret,
    SIM_ACQUIRER_CALLBACK_URL: `http://${loopback(apiHost)}:${apiPort}/callbacks/acquirer`,
    ACQUIRER_CALLBACKS: 'true',
  };
}

/** A server listening on every interface is reached through loopback. */
function loopback(host) {
  return !host || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}

class Launcher {
  constructor(o, instances, env, own, temporal) {
    this.o = o;
    this.instances = instances;
    /** Every process's environment (instances add their ports); a test may change it before a start. */
    this.env = env;
    this.own = own;
    this.temporalSettings = temporal;
    this.procs = new Map();
    /** Processes we stop or kill on purpose: their exit is no news. */
    this.leaving = new Set();
    this.temporal = null;
    this.stopping = false;
  }

  /** Ports and environments, nothing started yet: start() starts. */
  static async prepare(o) {
    const instances = topology(o);
    const workers = instances.filter((i) => i.app === 'worker');
    const apis = instances.filter((i) => i.app === 'api');
    const fixed = o.ports && o.ports !== 'free' ? o.ports : undefined;
    const free = fixed ? [] : await distinctFreePorts(1 + workers.length + 2 * apis.length);
    const next = (base, i) => (fixed ? base + i : free.shift());
    const simPort = next(fixed?.simulator, 0);
    const metricsPorts = workers.map((_, i) => next(fixed?.workerMetrics, i));
    const apiPorts = apis.map((_, i) => next(fixed?.api, i));
    const pushPorts = apis.map((_, i) => next(fixed?.viewPush, i));

    const temporal = await temporalSettings(o.temporal);
    const base = o.baseEnv ?? { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
    const overrides = o.env ?? {};
    const hasSimulator = instances.some((i) => i.app === 'simulator');
    const computed = {
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace,
      ...(o.taskQueue ? { TEMPORAL_TASK_QUEUE: o.taskQueue } : {}),
      ...(o.dataDir ? { DATA_DIR: o.dataDir } : {}),
      ...(o.host ? { HOST: o.host } : {}),
      ...(hasSimulator ? { SIM_PORT: String(simPort), ACQUIRER_URL: base.ACQUIRER_URL ?? `http://127.0.0.1:${simPort}` } : {}),
      ...acquirerCallbackEnv(base, overrides, { hasSimulator, apiHost: overrides.HOST ?? o.host ?? base.HOST, apiPort: apiPorts[0] }),
    };
    const env = { ...base, ...computed, ...overrides };
    // Every worker pushes every view to every API instance (docs/operators/production.md).
    const pushUrls = pushPorts.map((port) => `http://127.0.0.1:${port}`).join(',');
    const own = {};
    for (const instance of instances) {
      const ports =
        instance.app === 'worker'
          ? { WORKER_METRICS_PORT: String(metricsPorts[instance.index]), ...(apis.length ? { VIEW_PUSH_URLS: pushUrls } : {}) }
          : instance.app === 'api'
            ? { PORT: String(apiPorts[instance.index]), VIEW_PUSH_PORT: String(pushPorts[instance.index]) }
            : {};
      // What the caller set for every process wins over what the topology gives one.
      for (const key of Object.keys(overrides)) delete ports[key];
      own[instance.name] = ports;
    }
    return new Launcher(o, instances, env, own, temporal);
  }

  /** prepare() and start(); whatever started is stopped again when a start fails. */
  static async start(o) {
    const launcher = await Launcher.prepare(o);
    await launcher.start();
    return launcher;
  }

  /**
   * Temporal (when it is ours), then the instances in `only` (every one by default) in order;
   * resolves once every API is ready. On a failure it stops what it started, unless told to
   * leave it running for a look (the scripts say which process is not ready, then stop).
   */
  async start({ stopOnFailure = true } = {}) {
    try {
      if (this.temporalSettings.mode !== 'external') await this.startTemporal();
      const only = this.o.only;
      for (const { name } of this.instances) if (!only || only.includes(name)) await this.startApp(name);
      if (this.instances.some((i) => i.app === 'api' && this.isRunning(i.name))) await this.waitReady(this.o.readyTimeoutMs);
    } catch (err) {
      if (stopOnFailure && !this.stopping) await this.stop();
      throw err;
    }
  }

  /** The instance names, in the order they start. */
  get names() {
    return this.instances.map((i) => i.name);
  }

  /** The environment one instance starts with: everyone's, its ports, the caller's additions for it. */
  instanceEnv(name) {
    const instance = this.instance(name);
    return { ...this.env, ...this.own[name], ...this.o.instanceEnv?.(instance) };
  }

  get temporalAddress() {
    return this.env.TEMPORAL_ADDRESS;
  }

  get namespace() {
    return this.env.TEMPORAL_NAMESPACE;
  }

  /** Temporal Web, when this launcher runs Temporal with it. */
  get temporalUiUrl() {
    return this.temporalSettings.mode === 'cluster' ? this.temporal?.uiUrl : this.temporalSettings.uiUrl;
  }

  /** The cluster's handle (its server and PostgreSQL one at a time, psql), when Temporal is the cluster. */
  get cluster() {
    if (this.temporalSettings.mode !== 'cluster' || !this.temporal) throw new Error('Temporal is not the cluster here, or not running');
    return this.temporal;
  }

  get simUrl() {
    return `http://127.0.0.1:${this.env.SIM_PORT}`;
  }

  /** Every API instance's base URL, in order. */
  get apiUrls() {
    return this.instances.filter((i) => i.app === 'api').map((i) => this.apiUrl(i.name));
  }

  apiUrl(name) {
    const env = this.instanceEnv(name);
    return `http://${loopback(env.HOST)}:${env.PORT}`;
  }

  /** A worker's Prometheus endpoint. */
  workerMetricsUrl(name) {
    return `http://127.0.0.1:${this.instanceEnv(name).WORKER_METRICS_PORT}/metrics`;
  }

  /** Starts one instance (again); resolves once it is healthy (the simulator and APIs: /healthz). */
  async startApp(name) {
    if (this.procs.has(name)) throw new Error(`${name} is already running`);
    const instance = this.instance(name);
    const env = this.instanceEnv(name);
    const healthUrl =
      instance.app === 'simulator' ? `${this.simUrl}/healthz` : instance.app === 'api' ? `${this.apiUrl(name)}/healthz` : undefined;
    const child = await AppProcess.start({
      name,
      entry: appEntry(instance.app),
      cwd: REPO_ROOT,
      env,
      logFile: this.logFile(name),
      pretty: env.LOG_FORMAT === 'pretty',
      nodeArgs: this.o.nodeArgs?.(instance),
      healthUrl,
      healthTimeoutMs: this.o.healthTimeoutMs,
      onSpawn: this.o.onSpawn,
    });
    this.track(name, child, () => {
      if (this.procs.get(name) === child) this.procs.delete(name);
    });
    this.procs.set(name, child);
  }

  /** Until every running API's /readyz answers 200: Temporal answers and a worker polls the task queue. */
  async waitReady(timeoutMs = 90_000) {
    const until = Date.now() + timeoutMs;
    for (const instance of this.instances) {
      if (instance.app !== 'api' || !this.isRunning(instance.name)) continue;
      const url = `${this.apiUrl(instance.name)}/readyz`;
      for (;;) {
        if (this.stopping) throw new Error('stopped while starting');
        const answer = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
          async (r) => ({ status: r.status, text: `${r.status} ${(await r.text()).slice(0, 200)}` }),
          (err) => ({ status: 0, text: `no answer (${err.cause?.code ?? err.message})` }),
        );
        if (answer.status === 200) break;
        if (Date.now() > until) throw new Error(`${url} not ready within ${timeoutMs} ms: ${answer.text}`);
        await sleep(200);
      }
    }
  }

  isRunning(name) {
    return this.procs.has(name);
  }

  /** The pid of a running instance. */
  pid(name) {
    return this.procs.get(name)?.pid;
  }

  /** Every running process's pid by name, for CPU and memory readings: the cluster's server and PostgreSQL as `temporal` and `postgres`. */
  pids() {
    const out = {};
    if (this.temporal instanceof TemporalCluster) {
      if (this.temporal.pids.server) out.temporal = this.temporal.pids.server;
      if (this.temporal.pids.postgres) out.postgres = this.temporal.pids.postgres;
    } else if (this.temporal?.pid) out.temporal = this.temporal.pid;
    for (const [name, child] of this.procs) if (child.pid) out[name] = child.pid;
    return out;
  }

  /** SIGTERM, as an operator's stop (SIGKILL after the grace time); resolves once it has exited. */
  async stopApp(name) {
    await this.leave(name, (p) => p.stop(this.o.stopGraceMs ?? STOP_GRACE_MS));
  }

  /** SIGKILL: the crash the service must survive. */
  async killApp(name) {
    await this.leave(name, (p) => p.kill());
  }

  /** A signal the process handles and lives on, as an operator sends it (SIGHUP: the API re-reads SPI_CREDENTIALS_FILE). */
  notify(name, signal) {
    const child = this.procs.get(name);
    if (!child) throw new Error(`${name} is not running`);
    child.notify(signal);
  }

  /** Starts this launcher's Temporal (again, on the same ports and data); resolves once it serves. */
  async startTemporal() {
    const t = this.temporalSettings;
    if (t.mode === 'external') throw new Error('this system uses a Temporal server its caller runs: start it with a dev server or the cluster of its own');
    if (this.temporal) throw new Error('Temporal is already running');
    const logFile = this.logFile('temporal');
    if (t.mode === 'dev') {
      const env = { ...this.env, TEMPORAL_ADDRESS: t.address, TEMPORAL_NAMESPACE: t.namespace, TEMPORAL_UI_PORT: String(t.uiPort), ...(t.dataDir ? { DATA_DIR: t.dataDir } : {}) };
      if (process.env.TEMPORAL_CLI) env.TEMPORAL_CLI = process.env.TEMPORAL_CLI;
      // Its own process group: a SIGKILL ends the wrapper and the server at once, and a Ctrl-C in
      // the terminal reaches the apps only, which stop before Temporal does.
      const child = await AppProcess.start({ name: 'temporal', entry: START_DEV, cwd: REPO_ROOT, env, logFile, readyLine: /^Temporal dev server:/, readyTimeoutMs: t.readyTimeoutMs ?? DEV_READY_MS, group: true, onSpawn: this.o.onSpawn });
      this.temporal = child;
      this.track('temporal', child, () => {
        if (this.temporal === child) this.temporal = null;
      });
    } else {
      const { mode, readyTimeoutMs, address, namespace, ...options } = t;
      const cluster = await TemporalCluster.start({ ...options, dataDir: options.dataDir ?? this.o.dataDir, namespace, logFile, readyTimeoutMs, onSpawn: this.o.onSpawn });
      this.temporal = cluster;
      this.track('temporal', cluster.proc, () => {
        if (this.temporal === cluster) this.temporal = null;
      });
    }
  }

  /** SIGTERM: Temporal shuts down cleanly; resolves once it has exited and its port is free. */
  async stopTemporal() {
    await this.leaveTemporal((t) => t.stop(20_000));
  }

  /** SIGKILL to Temporal's whole process group: Temporal crashes. */
  async killTemporal() {
    await this.leaveTemporal((t) => t.kill());
  }

  isTemporalRunning() {
    return this.temporal !== null;
  }

  /** Stops every app (SIGTERM, all at once), then Temporal when it is this launcher's own. */
  async stop() {
    this.stopping = true;
    await Promise.all([...this.procs.keys()].map((name) => this.stopApp(name)));
    await this.stopTemporal();
  }

  /** SIGKILL to everything at once (a second Ctrl-C). */
  killAll() {
    this.stopping = true;
    for (const [name, p] of this.procs) {
      this.leaving.add(name);
      p.signal('SIGKILL');
    }
    this.leaving.add('temporal');
    (this.temporal?.proc ?? this.temporal)?.signal('SIGKILL');
  }

  instance(name) {
    const instance = this.instances.find((i) => i.name === name);
    if (!instance) throw new Error(`no instance ${name} in this system (${this.names.join(', ')})`);
    return instance;
  }

  logFile(name) {
    return this.o.logDir ? path.join(this.o.logDir, `${this.o.logPrefix ?? ''}${name}.log`) : undefined;
  }

  /** Forgets the process when it exits; one that exits unasked is reported to onExit. */
  track(name, proc, forget) {
    proc.onExit((code, signal) => {
      forget();
      if (this.leaving.delete(name) || this.stopping) return;
      this.o.onExit?.(name, code, signal);
    });
  }

  async leave(name, how) {
    const child = this.procs.get(name);
    if (!child) return;
    if (child.running) this.leaving.add(name);
    await how(child);
    this.procs.delete(name);
  }

  async leaveTemporal(how) {
    const t = this.temporal;
    if (!t) return;
    this.leaving.add('temporal');
    await how(t);
    this.temporal = null;
    if (this.temporalSettings.mode === 'dev') {
      // The server's port and SQLite file are free only once the server itself has gone.
      const port = Number(this.temporalSettings.address.split(':').at(-1));
      const until = Date.now() + 20_000;
      while (!(await portIsFree(port)) && Date.now() < until) await sleep(100);
    }
  }
}

/**
 * Where Temporal is: `external` (a server the caller runs: its address), `dev` (a dev server of
 * our own, on free ports unless given) or `cluster` (PostgreSQL and the server, on free ports
 * below 32768 unless given: Temporal keeps them in a smallint).
 */
async function temporalSettings(t) {
  if (!t || t.mode === 'external') {
    if (!t?.address) throw new Error('Temporal: no address (give temporal.address, or temporal.mode dev or cluster)');
    return { mode: 'external', address: t.address, namespace: t.namespace ?? 'default' };
  }
  const ip = t.ip ?? '127.0.0.1';
  const namespace = t.namespace ?? 'default';
  if (t.mode === 'dev') {
    const port = t.port ?? (await freePort());
    const uiPort = t.uiPort ?? (await freePort());
    const host = ip.includes(':') ? `[${ip}]` : ip;
    return { ...t, namespace, address: `${host}:${port}`, uiPort, uiUrl: `http://${loopback(ip)}:${uiPort}` };
  }
  let ports = t.ports;
  if (!ports && t.port === undefined) {
    const p = await distinctLowFreePorts(10);
    const keys = ['frontend', 'frontendMembership', 'frontendHttp', 'history', 'historyMembership', 'matching', 'matchingMembership', 'worker', 'workerMembership', 'metrics'];
    ports = Object.fromEntries(keys.map((k, i) => [k, p[i]]));
  }
  const port = ports?.frontend ?? t.port;
  const postgres = { ...t.postgres, port: t.postgres?.port ?? (await freePort()) };
  return { ...t, ip, namespace, port, ports, postgres, address: `${ip}:${port}`, headless: t.headless ?? t.uiPort === undefined };
}

module.exports = { Launcher, topology, appEntry, REPO_ROOT, AppProcess, STOP_GRACE_MS, TemporalCluster, distinctFreePorts, distinctLowFreePorts, freePort, portIsFree };
