import { CpuMeter, loadAverage } from './proc';
import { scrape, whereTimeWent } from './prom';
import { Recorder, type Route } from './recorder';
import { runRegisters, type LoadOptions, type Seen } from './registers';
import { RegisterPool } from './register-pool';
import { percentile, round, Samples, summarize, type LatencySummary } from './stats';
import { historyCounts, spread, workPerPayment, type WorkPerPayment } from './work-counts';

/** What a scenario runs against: the real service or the floor. */
export interface Target {
  name: 'system' | 'floor';
  url: string;
  credential: { username: string; password: string };
  pids: Record<string, number>;
  /** When the acquirer approved each payment (ms since the epoch), by paymentid. */
  approvals(): Promise<Map<string, number>>;
  /** Prometheus endpoints of the Temporal server and the worker, read around the measured part. */
  metrics?: { temporal: string; worker: string };
  /** Where the payments' histories can be read (the Temporal CLI and server), for their event counts. */
  history?: { cliPath: string; address: string };
}

export interface ScenarioResult {
  target: Target['name'];
  mode: LoadOptions['mode'];
  registers: number;
  warmupS: number;
  durationS: number;
  routes: Record<Route, LatencySummary & { meanBytes: number }>;
  /** Errors in requests sent during the measured part (the target); warm-up errors are counted apart. */
  errors: number;
  /** Requests refused by admission control (503 busy, Retry-After) in the measured part, by route: not errors. */
  shed: Record<Route, number>;
  /** Answers in the measured part that took 1 s or more, by route. */
  over1s: Record<Route, number>;
  warmupErrors: number;
  errorSamples: { route: Route; at: number; what: string }[];
  completedPerS: number;
  requestsPerS: number;
  /** Acquirer approval → the register's first GET reading ready_to_complete. */
  approvalToReady: { count: number; p50: number; p90: number; p99: number; max: number };
  /** The latest a GET was sent after the approval and still read inprogress (the state's propagation, bounded above). */
  staleReadAfterApprovalMs: { count: number; max: number };
  /** Offered load: how late payments started against their slot. */
  schedule: { payments: number; lateP99Ms: number; lateMaxMs: number; behind: number } | null;
  cpu: { perProcess: Record<string, number>; machineBusyPct: number; othersPct: number };
  loadAverage: { before: number[]; after: number[] };
  series: ReturnType<Recorder['series']>;
  /** The real system only: where the time went, from the server's and the worker's metrics. */
  whereTimeWent?: ReturnType<typeof whereTimeWent>;
  /** The real system only: Temporal's work and each process's CPU per completed payment. */
  work?: WorkPerPayment;
  /** The real system only: the API's admission limit and its starts in flight, read each second of the measured part. */
  admission?: { limit: { min: number; mean: number; max: number }; startsInFlightMax: number; cuts: Record<string, number>; samples: number };
}

/** Reads the API's admission gauges each second until stopped; nothing against the floor, which has none. */
function watchAdmission(metricsUrl: string): { stop: () => Promise<ScenarioResult['admission']> } {
  const limits: number[] = [];
  let startsMax = 0;
  let first: Map<string, number> | null = null;
  let last: Map<string, number> | null = null;
  let reading: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    reading = scrape(metricsUrl).then((m) => {
      const limit = m.get('api_admission_limit');
      if (limit === undefined || !Number.isFinite(limit)) return;
      first ??= m;
      last = m;
      limits.push(limit);
      startsMax = Math.max(startsMax, m.get('api_admission_starts_in_flight') ?? 0);
    });
  }, 1000);
  return {
    stop: async () => {
      clearInterval(timer);
      await reading;
      if (limits.length === 0 || !first || !last) return undefined;
      const mean = limits.reduce((a, b) => a + b, 0) / limits.length;
      const cuts: Record<string, number> = {};
      for (const [key, n] of last as Map<string, number>) {
        const labels = /^api_admission_limit_cuts_total\{(.*)\}$/.exec(key)?.[1];
        if (!labels) continue;
        const delta = n - ((first as Map<string, number>).get(key) ?? 0);
        if (delta > 0) cuts[labels.replace(/[a-z]+="([^"]*)"/g, '$1').replace(',', '/')] = delta;
      }
      return { limit: { min: Math.min(...limits), mean: round(mean), max: Math.max(...limits) }, startsInFlightMax: startsMax, cuts, samples: limits.length };
    },
  };
}

/**
 * One scenario: the registers run warmup + duration; figures count requests sent after the
 * warmup; CPU is read over the measured part only.
 */
export async function runScenario(target: Target, load: Omit<LoadOptions, 'durationMs'>, timing: { warmupS: number; durationS: number }): Promise<ScenarioResult> {
  const loadBefore = loadAverage();
  const recorder = new Recorder(performance.now());
  const client = new RegisterPool(target.url, target.credential, recorder, load.registers);
  const total = (timing.warmupS + timing.durationS) * 1000;
  let meter: CpuMeter | null = null;
  let cpu: ScenarioResult['cpu'] | null = null;
  type Scrapes = [Awaited<ReturnType<typeof scrape>>, Awaited<ReturnType<typeof scrape>>];
  const metrics = target.metrics;
  let before: Promise<Scrapes> | null = null;
  let afterScrape: Promise<Scrapes> | null = null;
  const both = (): Promise<Scrapes> | null => (metrics ? Promise.all([scrape(metrics.temporal), scrape(metrics.worker)]) : null);
  let admission: ReturnType<typeof watchAdmission> | null = null;
  let admissionRead: Promise<ScenarioResult['admission']> | null = null;
  const startMeter = setTimeout(() => {
    meter = new CpuMeter(target.pids);
    before = both();
    if (target.name === 'system') admission = watchAdmission(`${target.url}/metrics`);
  }, timing.warmupS * 1000);
  const stopMeter = setTimeout(() => {
    cpu = meter?.read() ?? null;
    afterScrape = both();
    admissionRead = (admission as ReturnType<typeof watchAdmission> | null)?.stop() ?? null;
  }, total);
  let seen: Seen[];
  try {
    seen = await runRegisters(client, recorder, { ...load, durationMs: total });
  } finally {
    clearTimeout(startMeter);
    clearTimeout(stopMeter);
    await client.close();
  }
  const admissionFigures = (await (admissionRead as Promise<ScenarioResult['admission']> | null)) ?? undefined;
  const after = loadAverage();
  const scraped = before && afterScrape ? [await before, await afterScrape] as const : null;
  const from = timing.warmupS * 1000;
  const to = total;
  const routes = recorder.summary(from, to);

  const approvals = await target.approvals();
  const wallFrom = performance.timeOrigin + recorder.t0 + from;
  const wallTo = performance.timeOrigin + recorder.t0 + to;
  const toReady = new Samples();
  let staleMax = 0;
  let staleCount = 0;
  for (const s of seen) {
    const approvedAt = approvals.get(s.paymentid);
    if (approvedAt === undefined || s.readyAt < wallFrom || s.readyAt >= wallTo) continue;
    toReady.push(s.readyAt - approvedAt);
    if (s.lastInprogressSentAt !== null && s.lastInprogressSentAt > approvedAt) {
      staleCount += 1;
      staleMax = Math.max(staleMax, s.lastInprogressSentAt - approvedAt);
    }
  }
  const ready = summarize(toReady.values(), 0);
  const completions = recorder.completions.values().filter((t) => t >= from && t < to).length;
  const requests = routes.POST.count + routes.GET.count + routes.PUT.count;
  const late = Float64Array.from(recorder.lateness.values()).sort();
  const measured = seen.filter((s) => s.readyAt >= wallFrom && s.readyAt < wallTo).map((s) => `payment-${s.paymentid}`);
  const work = scraped
    ? workPerPayment({
        temporal: [scraped[0][0], scraped[1][0]],
        completed: completions,
        durationS: timing.durationS,
        cpuPct: (cpu as ScenarioResult['cpu'] | null)?.perProcess ?? {},
        histories: target.history ? await historyCounts({ ...target.history, workflowIds: spread(measured, 30) }) : [],
        started: routes.POST.count,
      })
    : undefined;
  return {
    target: target.name,
    mode: load.mode,
    registers: load.registers,
    warmupS: timing.warmupS,
    durationS: timing.durationS,
    routes,
    errors: recorder.errorsBetween(from, to),
    shed: { POST: recorder.shedBetween('POST', from, to), GET: recorder.shedBetween('GET', from, to), PUT: recorder.shedBetween('PUT', from, to) },
    over1s: { POST: recorder.slowBetween('POST', from, to, 1000), GET: recorder.slowBetween('GET', from, to, 1000), PUT: recorder.slowBetween('PUT', from, to, 1000) },
    warmupErrors: recorder.errorsBetween(0, from),
    errorSamples: recorder.errors,
    completedPerS: round(completions / timing.durationS),
    requestsPerS: round(requests / timing.durationS),
    approvalToReady: { count: ready.count, p50: ready.p50, p90: ready.p90, p99: ready.p99, max: ready.max },
    staleReadAfterApprovalMs: { count: staleCount, max: round(staleMax) },
    schedule:
      load.mode === 'offered'
        ? {
            payments: late.length,
            lateP99Ms: round(percentile(late, 99)),
            lateMaxMs: round(late.length ? (late[late.length - 1] as number) : NaN),
            behind: late.filter((v) => v > 100).length,
          }
        : null,
    cpu: cpu ?? { perProcess: {}, machineBusyPct: NaN, othersPct: NaN },
    loadAverage: { before: [...loadBefore], after: [...after] },
    series: recorder.series(),
    ...(scraped ? { whereTimeWent: whereTimeWent(scraped[0][0], scraped[1][0], scraped[0][1], scraped[1][1]) } : {}),
    ...(work ? { work } : {}),
    ...(admissionFigures ? { admission: admissionFigures } : {}),
  };
}

/** Approval times from the simulator's ledger: the first authorized (sale) or refunded (refund) event. */
export async function simulatorApprovals(simUrl: string): Promise<Map<string, number>> {
  const res = await fetch(`${simUrl}/sim/ledger`);
  const { payments } = (await res.json()) as { payments: Record<string, { events: { at: string; type: string }[] }> };
  const out = new Map<string, number>();
  for (const [ref, entry] of Object.entries(payments)) {
    const approved = entry.events.find((e) => e.type === 'authorized' || e.type === 'refunded');
    if (approved) out.set(ref, Date.parse(approved.at));
  }
  return out;
}
