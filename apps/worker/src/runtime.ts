import type { Logger as Pino } from 'pino';
import type { MetricMeter } from '@temporalio/common';
import { makeTelemetryFilterString, type LogLevel as TemporalLevel, type RuntimeOptions } from '@temporalio/worker';
import type { ActivityMetrics } from '@payments/activities';
import type { StripeRequestMetrics } from '@payments/adapters';
import type { LogLevel, WorkerConfig } from '@payments/config';
import { temporalLogger } from './logger';

/** The Core's own lines, one step quieter than ours: its INFO is its lifecycle, its DEBUG every poll. */
const CORE_LEVEL: Record<LogLevel, TemporalLevel> = {
  fatal: 'ERROR',
  error: 'ERROR',
  warn: 'WARN',
  info: 'WARN',
  debug: 'INFO',
  trace: 'DEBUG',
  silent: 'ERROR',
};

/** host:port for a listener, with IPv6 hosts in brackets. */
function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * The Temporal runtime for the worker process: every log line through pino (Core's too), and a
 * Prometheus endpoint at WORKER_METRICS_HOST:WORKER_METRICS_PORT/metrics serving the SDK's
 * metrics (prefixed temporal_) and the business metrics the workflow and activities record.
 */
export function runtimeOptions(config: WorkerConfig, logger: Pino): RuntimeOptions {
  return {
    logger: temporalLogger(logger),
    shutdownSignals: ['SIGINT', 'SIGTERM'],
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: CORE_LEVEL[config.logLevel], other: 'ERROR' }), forward: {} },
      metrics: { prometheus: { bindAddress: hostPort(config.worker.metricsHost, config.worker.metricsPort) } },
    },
  };
}

/** The activities' counters on the runtime's meter, so they are served with the SDK's metrics. */
export function activityMetrics(meter: MetricMeter): ActivityMetrics {
  const errors = meter.createCounter('provider_errors_total', 'errors', 'Failed calls to the payment provider, by side (acquirer or terminal), operation and kind');
  return { providerError: (side, operation, kind) => errors.add(1, { side, operation, kind }) };
}

/**
 * Every request the worker sends to Stripe, by merchant, mode (live, sandbox), kind (read,
 * write) and outcome (ok, rate_limited: a 429, no_answer), and how long each waited for its
 * account's budget: calls per payment, and how close an account runs to Stripe's limit.
 */
export function stripeMetrics(meter: MetricMeter): StripeRequestMetrics {
  const requests = meter.createCounter('stripe_requests_total', 'requests', 'Requests sent to Stripe, by merchant, mode, kind (read, write) and outcome (ok, rate_limited, no_answer)');
  const waited = meter.createHistogram('stripe_budget_wait', 'int', 'ms', "How long a Stripe request waited for its account's budget, by merchant and kind");
  return {
    request: ({ merchant, mode, kind, outcome, waitedMs }) => {
      requests.add(1, { merchant, mode, kind, outcome });
      waited.record(Math.round(waitedMs), { merchant, kind });
    },
  };
}
