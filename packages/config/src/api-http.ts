import { definePart } from './part';
import { text, wholeNumber } from './variable';

export const HOST = text({ name: 'HOST', default: '127.0.0.1', meaning: 'the address the API listens on (SPI)' });
export const PORT = wholeNumber({ name: 'PORT', default: 3000, max: 65535, meaning: 'the port the API listens on (SPI)' });
export const BODY_LIMIT_BYTES = wholeNumber({ name: 'BODY_LIMIT_BYTES', default: 256 * 1024, min: 1024, unit: 'bytes', meaning: 'request bodies above this are refused with 413' });
export const TEMPORAL_CALL_DEADLINE_MS = wholeNumber({
  name: 'TEMPORAL_CALL_DEADLINE_MS',
  default: 800,
  min: 50,
  max: 9000,
  unit: 'ms',
  meaning: 'the deadline of every Temporal call made while a register waits; past it the answer is 503',
});

export const API_DRAIN_MS = wholeNumber({
  name: 'API_DRAIN_MS',
  default: 5000,
  max: 120_000,
  unit: 'ms',
  defaultText: '5000 with NODE_ENV=production, else 0',
  meaning:
    'after SIGTERM, how long the API keeps answering with /readyz at 503 before it closes its listener: longer than the load balancer takes to stop sending it requests (its probe interval × failures)',
});

/** Where the API listens, its limits on each request, and how it leaves a load balancer. */
export const apiHttp = definePart('api http', [HOST, PORT, BODY_LIMIT_BYTES, TEMPORAL_CALL_DEADLINE_MS, API_DRAIN_MS], (env, { production }) => ({
  host: HOST.read(env),
  port: PORT.read(env),
  /** Bodies above this are refused with 413. */
  bodyLimitBytes: BODY_LIMIT_BYTES.read(env),
  /** Deadline of every Temporal call made while a register waits. */
  temporalDeadlineMs: TEMPORAL_CALL_DEADLINE_MS.read(env),
  /** SIGTERM: readiness false at once, the listener closed this much later (apps/api/src/main.ts). */
  drainMs: API_DRAIN_MS.read(env, production ? 5000 : 0),
}));
