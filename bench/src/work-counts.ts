// The work Temporal does per completed payment, from the server's own metrics and the
// payments' histories: counts that do not change from machine to machine, beside the timings.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { scrape } from './prom';

type Sample = Awaited<ReturnType<typeof scrape>>;
const execFileAsync = promisify(execFile);

/** Per completed payment in the measured part. */
export interface WorkPerPayment {
  completed: number;
  /** From the sampled histories: workflow tasks completed, activity tasks scheduled, local activities run. */
  workflowTasks: number | null;
  activityTasks: number | null;
  localActivities: number | null;
  /** Persistence writes of every kind (executions, history, tasks, shard, visibility). */
  persistenceWrites: number;
  /** Reads of the cluster metadata: what system.forceSearchAttributesCacheRefreshOnRead costs. */
  clusterMetadataReads: number;
  /** History events of a sample of payments that reached ready_to_complete, read at the end of the run. */
  historyEvents: number | null;
  historySample: number;
  /** Payments whose POST was answered in the measured part (the denominator when the system keeps up: ≈ completed). */
  started: number;
  /** CPU-ms per process (temporal, worker, api, simulator, loadgen). */
  cpuMs: Record<string, number>;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Sum of counter deltas over series whose name and labels match. */
function delta(before: Sample, after: Sample, pattern: RegExp): number {
  let sum = 0;
  for (const [key, value] of after) if (pattern.test(key)) sum += value - (before.get(key) ?? 0);
  return sum;
}

/** Operations that write: everything that creates, updates, appends, deletes or completes. */
const WRITE = /^(Create|Update|Upsert|Append|Delete|Range|Complete|Record|ConflictResolve|Put|Save|Set|Insert)/;

function writes(before: Sample, after: Sample): number {
  let sum = 0;
  for (const [key, value] of after) {
    const m = /^(?:visibility_)?persistence_requests\{.*operation="([^"]+)"/.exec(key);
    if (m && WRITE.test(m[1] as string)) sum += value - (before.get(key) ?? 0);
  }
  return sum;
}

/** What one payment's history holds so far. */
export interface HistoryCount {
  events: number;
  workflowTasks: number;
  activityTasks: number;
  localActivities: number;
}

/** Counts a history as `temporal workflow show -o json` prints it (event types as enum names). */
export function countHistory(json: string): HistoryCount {
  const events = (JSON.parse(json) as { events?: { eventType?: string }[] }).events ?? [];
  const count = (re: RegExp) => events.filter((e) => re.test(String(e.eventType ?? '').replace(/_/g, '').toLowerCase())).length;
  return {
    events: events.length,
    workflowTasks: count(/workflowtaskcompleted$/),
    activityTasks: count(/activitytaskscheduled$/),
    localActivities: count(/markerrecorded$/),
  };
}

/** The histories of a sample of payments, read with the CLI (`workflow show`). */
export async function historyCounts(o: { cliPath: string; address: string; workflowIds: string[] }): Promise<HistoryCount[]> {
  const out: HistoryCount[] = [];
  for (const id of o.workflowIds) {
    try {
      const args = ['workflow', 'show', '--address', o.address, '--workflow-id', id, '-o', 'json', '--disable-config-env', '--disable-config-file'];
      const { stdout } = await execFileAsync(o.cliPath, args, { timeout: 15_000, maxBuffer: 16 << 20 });
      out.push(countHistory(stdout));
    } catch {
      // A payment whose history cannot be read is left out of the sample.
    }
  }
  return out;
}

/** At most `n` items spread evenly over `items`. */
export function spread<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)] as T);
}

/**
 * The work per payment: events and tasks exactly, from the histories of a sample; writes and
 * CPU from the server's metrics and the processes over the measured part, per completed payment
 * (meaningful while the system keeps up with the offered load: then completed ≈ started).
 */
export function workPerPayment(o: {
  temporal: [Sample, Sample];
  completed: number;
  durationS: number;
  cpuPct: Record<string, number>;
  histories: HistoryCount[];
  started: number;
}): WorkPerPayment {
  const [t0, t1] = o.temporal;
  const per = (n: number) => (o.completed > 0 ? round1(n / o.completed) : NaN);
  const cpuMs: Record<string, number> = {};
  // % of one core over the measured part → CPU-ms, shared out over the payments completed in it.
  for (const [name, pct] of Object.entries(o.cpuPct)) cpuMs[name] = per((pct / 100) * o.durationS * 1000);
  const h = o.histories;
  const mean = (f: (c: HistoryCount) => number) => (h.length ? round1(h.reduce((a, c) => a + f(c), 0) / h.length) : null);
  return {
    completed: o.completed,
    started: o.started,
    workflowTasks: mean((c) => c.workflowTasks),
    activityTasks: mean((c) => c.activityTasks),
    localActivities: mean((c) => c.localActivities),
    persistenceWrites: per(writes(t0, t1)),
    clusterMetadataReads: per(delta(t0, t1, /^persistence_requests\{.*operation="(GetClusterMetadata|ListClusterMetadata|GetCurrentClusterMetadata)"/)),
    historyEvents: mean((c) => c.events),
    historySample: h.length,
    cpuMs,
  };
}

/** One line for the log and the table: the work per completed payment. */
export function workLine(w: WorkPerPayment): string {
  const cpu = Object.entries(w.cpuMs).map(([k, v]) => `${k} ${v}`).join(', ');
  return `per payment (sample of ${w.historySample}): ${w.historyEvents ?? '?'} history events, ${w.workflowTasks ?? '?'} workflow tasks, ${w.activityTasks ?? '?'} activity tasks, ${w.localActivities ?? '?'} local activities; per completed payment (${w.completed} completed, ${w.started} started): ${w.persistenceWrites} persistence writes, ${w.clusterMetadataReads} cluster-metadata reads; CPU-ms ${cpu}`;
}

/** The work figures as the report's medians name them (per completed payment; the floor has none). */
export const WORK_FIGURES: [string, (r: { work?: WorkPerPayment }) => number][] = [
  ['history events/payment', (r) => r.work?.historyEvents ?? NaN],
  ['workflow tasks/payment', (r) => r.work?.workflowTasks ?? NaN],
  ['activity tasks/payment', (r) => r.work?.activityTasks ?? NaN],
  ['local activities/payment', (r) => r.work?.localActivities ?? NaN],
  ['persistence writes/payment', (r) => r.work?.persistenceWrites ?? NaN],
  ['cluster-metadata reads/payment', (r) => r.work?.clusterMetadataReads ?? NaN],
  ...['temporal', 'worker', 'api', 'simulator', 'loadgen'].map(
    (p): [string, (r: { work?: WorkPerPayment }) => number] => [`${p} CPU-ms/payment`, (r) => r.work?.cpuMs[p] ?? NaN],
  ),
];

/** The system's work per completed payment (medians over the repeats), as a few lines of text. */
export function workTable(title: string, system: Record<string, number>): string {
  const lines = [`${title}; events and tasks from a sample of histories, the rest per completed payment`];
  for (const [name] of WORK_FIGURES) lines.push(`  ${name.padEnd(34)}${String(system[name] ?? '–').padStart(8)}`);
  const cpu = (system['temporal CPU-ms/payment'] ?? NaN) + (system['worker CPU-ms/payment'] ?? NaN);
  lines.push(`  ${'temporal + worker CPU-ms/payment'.padEnd(34)}${String(Math.round(cpu * 10) / 10).padStart(8)}`);
  return lines.join('\n');
}
