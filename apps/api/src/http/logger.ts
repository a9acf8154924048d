import type { DestinationStream, Logger } from 'pino';
import type { LogFormatSetting } from '@payments/config';
import { createLogger as createProcessLogger } from '@payments/logging';
import { scrubLogObject } from './log-scrub';

/**
 * The API's logger: JSON lines, or one short line per event on a terminal (LOG_FORMAT), and
 * every logged object scrubbed of credentials and phone numbers before either is written
 * (log-scrub.ts). Tests hand in a destination to read the lines.
 */
export function createLogger(level: string, destination?: DestinationStream, format: LogFormatSetting = 'json'): Logger {
  return createProcessLogger({ service: 'api', level, format, destination, formatLog: scrubLogObject });
}
