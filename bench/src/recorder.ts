import { Samples, summarize, type LatencySummary } from './stats';

export const ROUTES = ['POST', 'GET', 'PUT'] as const;
export type Route = (typeof ROUTES)[number];

/** What went wrong with one request, for the report (first few kept). */
export interface RequestError {
  route: Route;
  at: number;
  what: string;
}

/** Every request of one run, as the client saw it: when it was sent, how long to its last byte, whether it went right. */
export class Recorder {
  private readonly sent: Record<Route, Samples> = { POST: new Samples(), GET: new Samples(), PUT: new Samples() };
  private readonly took: Record<Route, Samples> = { POST: new Samples(), GET: new Samples(), PUT: new Samples() };
  private readonly failed: Record<Route, Samples> = { POST: new Samples(), GET: new Samples(), PUT: new Samples() };
  private readonly bytes: Record<Route, number> = { POST: 0, GET: 0, PUT: 0 };
  readonly errors: RequestError[] = [];
  /** Seconds since start of each completed payment (PUT completed answered 200 completed). */
  readonly completions = new Samples();
  /** Milliseconds from the acquirer's approval to the register's first GET that read ready_to_complete. */
  readonly approvalToReady: { paymentid: string; seenAt: number }[] = [];
  /** How late each payment started against its slot (offered load), ms. */
  readonly lateness = new Samples();
  errorCount = 0;
  private readonly errorTimes = new Samples();
  /** Requests refused by admission control (503 busy with Retry-After): the service shedding, not failing. */
  private readonly shedTimes: Record<Route, Samples> = { POST: new Samples(), GET: new Samples(), PUT: new Samples() };

  /** @param t0 the run's time origin (performance.now()), so times are ms since start */
  constructor(readonly t0: number) {}

  request(route: Route, sentAt: number, ms: number, ok: boolean, bodyBytes: number): void {
    this.sent[route].push(sentAt - this.t0);
    this.took[route].push(ms);
    this.failed[route].push(ok ? 0 : 1);
    this.bytes[route] += bodyBytes;
  }

  error(route: Route, at: number, what: string): void {
    this.errorCount += 1;
    this.errorTimes.push(at - this.t0);
    if (this.errors.length < 20) this.errors.push({ route, at: Math.round(at - this.t0), what });
  }

  shed(route: Route, at: number): void {
    this.shedTimes[route].push(at - this.t0);
  }

  /** Shed requests of a route sent inside [fromMs, toMs) since start. */
  shedBetween(route: Route, fromMs: number, toMs: number): number {
    return this.shedTimes[route].values().filter((t) => t >= fromMs && t < toMs).length;
  }

  /** Requests of a route sent inside [fromMs, toMs) that took `ms` or longer. */
  slowBetween(route: Route, fromMs: number, toMs: number, ms: number): number {
    let n = 0;
    const sent = this.sent[route];
    for (let i = 0; i < sent.length; i++) if (sent.at(i) >= fromMs && sent.at(i) < toMs && this.took[route].at(i) >= ms) n++;
    return n;
  }

  /** Errors in requests sent inside [fromMs, toMs) since start. */
  errorsBetween(fromMs: number, toMs: number): number {
    return this.errorTimes.values().filter((t) => t >= fromMs && t < toMs).length;
  }

  /** Latency summary per route for requests sent inside [fromMs, toMs) since start. */
  summary(fromMs: number, toMs: number): Record<Route, LatencySummary & { meanBytes: number }> {
    const out = {} as Record<Route, LatencySummary & { meanBytes: number }>;
    for (const route of ROUTES) {
      const sent = this.sent[route];
      const picked = new Samples();
      let errors = 0;
      for (let i = 0; i < sent.length; i++) {
        const at = sent.at(i);
        if (at < fromMs || at >= toMs) continue;
        picked.push(this.took[route].at(i));
        errors += this.failed[route].at(i);
      }
      out[route] = { ...summarize(picked.values(), errors), meanBytes: sent.length ? Math.round(this.bytes[route] / sent.length) : 0 };
    }
    return out;
  }

  /** Per-second series for the chart: p50, p99 and max per route, and requests per second. */
  series(bucketMs = 1000): { t: number; route: Route; n: number; p50: number; p99: number; max: number }[] {
    const rows: { t: number; route: Route; n: number; p50: number; p99: number; max: number }[] = [];
    for (const route of ROUTES) {
      const buckets = new Map<number, Samples>();
      const sent = this.sent[route];
      for (let i = 0; i < sent.length; i++) {
        const b = Math.floor(sent.at(i) / bucketMs);
        let s = buckets.get(b);
        if (!s) buckets.set(b, (s = new Samples()));
        s.push(this.took[route].at(i));
      }
      for (const [b, s] of [...buckets.entries()].sort((x, y) => x[0] - y[0])) {
        const sum = summarize(s.values(), 0);
        rows.push({ t: (b * bucketMs) / 1000, route, n: sum.count, p50: sum.p50, p99: sum.p99, max: sum.max });
      }
    }
    return rows;
  }
}
