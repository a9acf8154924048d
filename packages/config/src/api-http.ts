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

/** Where the API listens, and its limits on each request. */
export const apiHttp = definePart('api http', [HOST, PORT, BODY_LIMIT_BYTES, TEMPORAL_CALL_DEADLINE_MS], (env) => ({
  host: HOST.read(env),
  port: PORT.read(env),
  /** Bodies above this are refused with 413. */
  bodyLimitBytes: BODY_LIMIT_BYTES.read(env),
  /** Deadline of every Temporal call made while a register waits. */
  temporalDeadlineMs: TEMPORAL_CALL_DEADLINE_MS.read(env),
}));
