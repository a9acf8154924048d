// `--stages cluster`: the offered and stress scenarios against the dev server (one worker, one
// API) and against the cluster topology (Temporal on PostgreSQL with 4 history shards, two
// workers, two APIs), side by side in one run, with the work each payment costs:
// history events, workflow and activity tasks, persistence requests, CPU-ms per process.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Launcher } from '@payments/testing';
import { cpuSecondsOf } from './proc';
import { scrape } from './prom';
import type { LoadOptions } from './registers';
import { runScenario, simulatorApprovals, type ScenarioResult, type Target } from './scenario';
import { SystemUnderTest, benchEnv } from './system';

const run = promisify(execFile);
type Sample = Awaited<ReturnType<typeof scrape>>;

/**
 * What one payment cost, over a scenario's measured part: per payment started there (POSTs
 * answered 200), which in a steady run is the rate payments finish at, and stays meaningful when
 * an overloaded machine completes few of them within the window.
 */
export interface WorkPerPayment {
  started: number;
  historyEvents: number;
  workflowTasks: number;
  activityTasks: number;
  persistenceRequests: number;
  persistenceWrites: number;
  cpuMs: Record<string, number>;
}

export interface ClusterStageRow {
  topology: 'dev server' | 'cluster';
  mode: LoadOptions['mode'];
  scenario: ScenarioResult;
  work: WorkPerPayment;
}

interface Topology {
  target: Target;
  /** Prometheus endpoints summed for task counts: every worker. */
  workerMetrics: string[];
  temporalMetrics: string;
  /** Processes whose CPU is counted, with their children (PostgreSQL's backends). */
  processes: Record<string, number>;
  historyLength(paymentid: string): Promise<number>;
  stop(): Promise<void>;
}

/** CPU seconds of a process and all its descendants now alive. */
function treeCpuSeconds(pid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  const walk = (p: number) => {
    total += cpuSecondsOf(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return total;
}

async function historyLengthWith(cliPath: string, address: string, paymentid: string): Promise<number> {
  const { stdout } = await run(cliPath, ['workflow', 'describe', '--address', address, '--workflow-id', `payment-${paymentid}`, '-o', 'json', '--disable-config-env', '--disable-config-file']);
  return Number((JSON.parse(stdout) as { workflowExecutionInfo?: { historyLength?: string } }).workflowExecutionInfo?.historyLength ?? NaN);
}

async function devTopology(dir: string, env: Record<string, string>, log: (line: string) => void): Promise<Topology> {
  const sys = await SystemUnderTest.start({ dir, env, log });
  const { ensureTemporalCli } = await import('@payments/temporal/cli');
  const cliPath = await ensureTemporalCli({ log });
  return {
    target: { name: 'system', url: sys.apiUrl, credential: sys.credential, pids: sys.pids(), approvals: () => simulatorApprovals(sys.simUrl), metrics: { temporal: sys.temporalMetricsUrl, worker: sys.workerMetricsUrl } },
    workerMetrics: [sys.workerMetricsUrl],
    temporalMetrics: sys.temporalMetricsUrl,
    processes: sys.pids(),
    historyLength: (id) => historyLengthWith(cliPath, sys.env.TEMPORAL_ADDRESS!, id),
    stop: () => sys.stop(),
  };
}

async function clusterTopology(dir: string, extraEnv: Record<string, string>, log: (line: string) => void): Promise<Topology> {
  const { ensureTemporalCli } = await import('@payments/temporal/cli');
  const cliPath = await ensureTemporalCli({ log });
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  fs.chmodSync(dir, 0o755); // the postgres user (when we are root) enters it
  const credential = { username: 'bench', password: randomBytes(12).toString('hex') };
  const launcher = await Launcher.start({
    temporal: { mode: 'cluster', numHistoryShards: 4, postgres: { user: 'temporal', password: randomBytes(12).toString('hex') } },
    workers: 2,
    apis: 2,
    numbered: true,
    host: '127.0.0.1',
    dataDir: path.join(dir, 'data'),
    env: benchEnv(credential, extraEnv),
    logDir: dir,
    healthTimeoutMs: 90_000,
  });
  const pids = launcher.pids();
  const workerMetrics = ['worker-1', 'worker-2'].map((name) => launcher.workerMetricsUrl(name));
  const { metricsUrl } = launcher.cluster;
  return {
    // The registers talk to API 1; API 2 gets every view pushed, as a second instance would.
    target: { name: 'system', url: launcher.apiUrl('api-1'), credential, pids, approvals: () => simulatorApprovals(launcher.simUrl), metrics: { temporal: metricsUrl, worker: workerMetrics[0]! } },
    workerMetrics,
    temporalMetrics: metricsUrl,
    processes: pids,
    historyLength: (id) => historyLengthWith(cliPath, launcher.temporalAddress, id),
    stop: () => launcher.stop(),
  };
}

const sum = (s: Sample, pattern: RegExp) => [...s].filter(([k]) => pattern.test(k)).reduce((a, [, v]) => a + v, 0);

/** One scenario with the counts per payment taken over its measured part. */
async function measured(t: Topology, load: Omit<LoadOptions, 'durationMs'>, timing: { warmupS: number; durationS: number }): Promise<{ scenario: ScenarioResult; work: WorkPerPayment }> {
  const read = async () => ({
    temporal: await scrape(t.temporalMetrics),
    workers: await Promise.all(t.workerMetrics.map((u) => scrape(u))),
    cpu: Object.fromEntries(Object.entries(t.processes).map(([name, pid]) => [name, treeCpuSeconds(pid)])),
    at: Date.now(),
  });
  let before: Promise<Awaited<ReturnType<typeof read>>> | undefined;
  let after: Promise<Awaited<ReturnType<typeof read>>> | undefined;
  const t1 = setTimeout(() => (before = read()), timing.warmupS * 1000);
  const t2 = setTimeout(() => (after = read()), (timing.warmupS + timing.durationS) * 1000);
  const scenario = await runScenario(t.target, load, timing).finally(() => {
    clearTimeout(t1);
    clearTimeout(t2);
  });
  const b = await before!;
  const a = await after!;
  const started = Math.max(1, scenario.routes.POST.count - scenario.routes.POST.errors);
  const perPayment = (x: number) => Math.round((x / started) * 10) / 10;
  const workersSum = (r: typeof a, pattern: RegExp) => r.workers.reduce((acc, w) => acc + sum(w, pattern), 0);
  const persistence = /^persistence_requests\{/;
  const writes = /^persistence_requests\{.*operation="(Create|Update|Append|Upsert|Delete|Put|Complete|RangeComplete|Set|Conflict|Insert)/;
  // History length of a sample of the payments the acquirer approved (the latest 20).
  const approvals = [...(await t.target.approvals()).keys()].slice(-20);
  const lengths = (await Promise.all(approvals.map((id) => t.historyLength(id).catch(() => NaN)))).filter(Number.isFinite);
  return {
    scenario,
    work: {
      started,
      historyEvents: lengths.length ? Math.round((lengths.reduce((x, y) => x + y, 0) / lengths.length) * 10) / 10 : NaN,
      workflowTasks: perPayment(workersSum(a, /^temporal_workflow_task_execution_latency_count\{/) - workersSum(b, /^temporal_workflow_task_execution_latency_count\{/)),
      activityTasks: perPayment(workersSum(a, /^temporal_activity_execution_latency_count\{/) - workersSum(b, /^temporal_activity_execution_latency_count\{/)),
      persistenceRequests: perPayment(sum(a.temporal, persistence) - sum(b.temporal, persistence)),
      persistenceWrites: perPayment(sum(a.temporal, writes) - sum(b.temporal, writes)),
      cpuMs: Object.fromEntries(Object.keys(a.cpu).map((name) => [name, perPayment(((a.cpu[name] ?? 0) - (b.cpu[name] ?? 0)) * 1000)])),
    },
  };
}

/** Both topologies, one after the other, each with a fresh system, the same scenarios. */
export async function runClusterStage(options: {
  dir: string;
  env: Record<string, string>;
  load: (mode: LoadOptions['mode']) => Omit<LoadOptions, 'durationMs'>;
  timing: { warmupS: number; durationS: number };
  log: (line: string) => void;
}): Promise<ClusterStageRow[]> {
  const rows: ClusterStageRow[] = [];
  // As root, PostgreSQL runs as the postgres user, who must be able to pass through the run folder.
  fs.mkdirSync(options.dir, { recursive: true });
  for (const d of [path.dirname(options.dir), options.dir]) fs.chmodSync(d, 0o711);
  for (const topology of ['dev server', 'cluster'] as const) {
    options.log(`cluster stage: starting the ${topology} topology`);
    const dir = path.join(options.dir, topology === 'cluster' ? 'cluster' : 'dev-server');
    const t = topology === 'cluster' ? await clusterTopology(dir, options.env, options.log) : await devTopology(dir, options.env, options.log);
    try {
      for (const mode of ['offered', 'closed'] as const) {
        const { scenario, work } = await measured(t, options.load(mode), options.timing);
        options.log(`  ${topology} ${mode}: ${scenario.completedPerS} completed/s, ${scenario.errors} errors, per payment ${JSON.stringify(work)}`);
        for (const e of scenario.errorSamples.slice(0, 3)) options.log(`    error: ${e.route} ${e.what}`);
        rows.push({ topology, mode, scenario, work });
      }
    } finally {
      await t.stop();
    }
  }
  return rows;
}

/** The stage's table: each topology and scenario, its latencies, throughput and work per payment. */
export function clusterTable(rows: ClusterStageRow[]): string {
  const procs = [...new Set(rows.flatMap((r) => Object.keys(r.work.cpuMs)))];
  const head = ['topology', 'scenario', 'completed/s', 'errors', 'POST p99', 'PUT p99', 'GET p99', 'events', 'wf tasks', 'act tasks', 'persist req', 'persist writes', ...procs.map((p) => `CPU-ms ${p}`)];
  const lines = rows.map((r) => [
    r.topology,
    r.mode === 'closed' ? 'stress' : r.mode,
    r.scenario.completedPerS,
    r.scenario.errors,
    r.scenario.routes.POST.p99,
    r.scenario.routes.PUT.p99,
    r.scenario.routes.GET.p99,
    r.work.historyEvents,
    r.work.workflowTasks,
    r.work.activityTasks,
    r.work.persistenceRequests,
    r.work.persistenceWrites,
    ...procs.map((p) => r.work.cpuMs[p] ?? '—'),
  ]);
  return ['cluster stage: work per payment started in the measured part (events: mean history length of the last 20 approved); latency ms', head.join(' | '), ...lines.map((l) => l.join(' | '))].join('\n');
}
