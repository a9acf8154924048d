import pino, { type DestinationStream, type Logger } from 'pino';
import { scrubLogObject } from './log-scrub';

/**
 * The API's logger: JSON lines, and every logged object scrubbed of credentials and phone
 * numbers before it is written (log-scrub.ts). Tests hand in a destination to read the lines.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'api' }, formatters: { log: scrubLogObject } };
  return destination ? pino(options, destination) : pino(options);
}
