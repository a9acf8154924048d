import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Buckets in seconds around the register's 1 s answer budget. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10];

/**
 * The API's Prometheus metrics: answers counted and timed per route and status, and Node's
 * process metrics. One registry per app, so tests can build many apps in one process.
 */
export class HttpMetrics {
  private readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  private readonly loginRefusals = new Counter({
    name: 'spi_login_refusals_total',
    help: 'SPI logins refused (401 or 429), by reason.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  /** The Prometheus text format's content type, for the /metrics answer. */
  readonly contentType = this.registry.contentType;

  constructor({ processMetrics = true }: { processMetrics?: boolean } = {}) {
    if (processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** One answered request; `route` is the router's pattern (`/payments/:paymentid`), never the raw path. */
  observe(method: string, route: string, status: number, ms: number): void {
    const labels = { method, route, status: String(status) };
    this.requests.inc(labels);
    this.latency.observe(labels, ms / 1000);
  }

  /** One refused login (`reason` as the auth middleware names it). */
  loginRefused(reason: string): void {
    this.loginRefusals.inc({ reason });
  }

  /** Shows each reason at 0 before its first refusal. */
  expectLoginRefusals(reasons: readonly string[]): void {
    for (const reason of reasons) this.loginRefusals.inc({ reason }, 0);
  }

  /** Admission control's state, read at each scrape: the limit, the work in flight (calls, starts the worker has not answered), the starts shed and the background checks running. */
  watchAdmission(
    source: { readonly currentLimit: number; readonly callsInFlight: number; readonly startsInFlight: number; readonly shed: number; readonly cuts: ReadonlyMap<string, number> },
    checks: { readonly checksInFlight: number },
  ): void {
    const registers = [this.registry];
    new Gauge({ name: 'api_admission_limit', help: 'Temporal work this API allows in flight (calls, and starts the worker has not answered) before it sheds new payments (+Inf: admission control off).', registers, collect() { this.set(source.currentLimit); } });
    new Gauge({ name: 'api_admission_in_flight', help: 'Temporal calls in flight from this API that are not starts (updates, confirmations, background checks).', registers, collect() { this.set(source.callsInFlight); } });
    new Gauge({ name: 'api_admission_starts_in_flight', help: 'Payments this API is starting: the start call in flight, or the first view from the worker not arrived yet.', registers, collect() { this.set(source.startsInFlight); } });
    new Counter({
      name: 'api_admission_limit_cuts_total',
      help: 'Cuts of the adaptive admission limit, by what measured the load (start, first-view: a start until the worker’s first view, finish, background) and why (slow: past ADMISSION_TARGET_MS; dropped: timed out or unanswered).',
      labelNames: ['measure', 'cause'],
      registers,
      collect() {
        this.reset();
        for (const [key, n] of source.cuts) {
          const [measure, cause] = key.split('/') as [string, string];
          this.inc({ measure, cause }, n);
        }
      },
    });
    new Counter({ name: 'api_admission_shed_total', help: 'New payments refused with 503 busy because Temporal or the workers were saturated.', registers, collect() { this.reset(); this.inc(source.shed); } });
    new Gauge({ name: 'api_view_checks_in_flight', help: 'Background queries checking held views, running now.', registers, collect() { this.set(checks.checksInFlight); } });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
