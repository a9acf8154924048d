// Reads Prometheus text from the Temporal server and the worker before and after a scenario,
// and tells where the time went: the server's per-operation latency, persistence, the shard
// lock, and the worker's task latencies.

type Sample = Map<string, number>;

export async function scrape(url: string): Promise<Sample> {
  const out: Sample = new Map();
  try {
    const text = await (await fetch(url, { signal: AbortSignal.timeout(5000) })).text();
    for (const line of text.split('\n')) {
      if (!line || line.startsWith('#')) continue;
      const i = line.lastIndexOf(' ');
      out.set(line.slice(0, i), Number(line.slice(i + 1)));
    }
  } catch {
    // A missing endpoint leaves the figures out, not the run.
  }
  return out;
}

export interface HistogramDelta {
  name: string;
  count: number;
  meanMs: number;
  /** Upper bound of the bucket holding the 50th / 99th percentile, ms. */
  p50LeMs: number;
  p99LeMs: number;
  /** Sum of all observations, seconds: the time spent there. */
  totalS: number;
}

/**
 * Histogram deltas between two scrapes for series whose name and labels match `pattern`.
 * `unitMs` converts the metric's unit to ms (1000 for seconds, 1 for ms).
 */
export function histogramDeltas(before: Sample, after: Sample, pattern: RegExp, unitMs: number): HistogramDelta[] {
  const groups = new Map<string, { buckets: [number, number][]; sum: number; count: number }>();
  for (const [key, value] of after) {
    if (!pattern.test(key)) continue;
    const m = /^(\w+?)_(bucket|sum|count)(\{.*\})?$/.exec(key);
    if (!m) continue;
    const delta = value - (before.get(key) ?? 0);
    let le = NaN;
    const labels = (m[3] ?? '').replace(/,?le="([^"]+)"/, (_, x: string) => {
      le = x === '+Inf' ? Infinity : Number(x);
      return '';
    }).replace('{,', '{');
    const name = `${m[1]}${labels === '{}' ? '' : labels}`;
    const g = groups.get(name) ?? { buckets: [], sum: 0, count: 0 };
    if (m[2] === 'bucket') g.buckets.push([le, delta]);
    else if (m[2] === 'sum') g.sum = delta;
    else g.count = delta;
    groups.set(name, g);
  }
  const out: HistogramDelta[] = [];
  for (const [name, g] of groups) {
    if (g.count <= 0) continue;
    g.buckets.sort((a, b) => a[0] - b[0]);
    const q = (p: number) => (g.buckets.find(([, c]) => c >= g.count * p)?.[0] ?? Infinity) * unitMs;
    out.push({ name, count: g.count, meanMs: Math.round((g.sum / g.count) * unitMs * 100) / 100, p50LeMs: q(0.5), p99LeMs: q(0.99), totalS: Math.round((g.sum * unitMs) / 10) / 100 });
  }
  return out.sort((a, b) => b.totalS - a.totalS);
}

/** Counter deltas for series matching `pattern`. */
export function counterDeltas(before: Sample, after: Sample, pattern: RegExp): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of after) {
    if (!pattern.test(key) || /_(bucket|sum|count)[{ ]/.test(`${key} `)) continue;
    const d = value - (before.get(key) ?? 0);
    if (d !== 0) out[key] = d;
  }
  return out;
}

/** The figures worth reading after a run of the real system. */
export function whereTimeWent(t0: Sample, t1: Sample, w0: Sample, w1: Sample) {
  const short = (h: HistogramDelta) => ({ ...h, name: h.name.replace(/namespace="default",|service_name="|"|,task_queue=bench|,workflow_type=paymentWorkflow/g, '') });
  return {
    temporalFrontend: histogramDeltas(t0, t1, /^service_latency_(bucket|sum|count)\{[^}]*service_name="frontend"/, 1000)
      .filter((h) => !/Poll|temporal_system/.test(h.name))
      .slice(0, 8)
      .map(short),
    temporalPersistence: histogramDeltas(t0, t1, /^persistence_latency_(bucket|sum|count)/, 1000).slice(0, 8).map(short),
    temporalLocks: histogramDeltas(t0, t1, /^(semaphore_latency|cache_latency|lock_latency)_(bucket|sum|count)/, 1000).slice(0, 4).map(short),
    worker: histogramDeltas(w0, w1, /^temporal_(workflow_task_schedule_to_start_latency|workflow_task_execution_latency|workflow_task_replay_latency|activity_schedule_to_start_latency|request_latency)_(bucket|sum|count)/, 1)
      .slice(0, 10)
      .map(short),
    workerCounters: counterDeltas(w0, w1, /^temporal_(sticky_cache_hit|sticky_cache_miss|sticky_cache_total_forced_eviction|workflow_task_execution_failed|request_failure)/),
  };
}
