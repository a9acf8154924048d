import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { resolveLogFormat, type LogFormat } from './log-format';
import { prettyStream } from './pretty-stream';

/** What a process's logger is made of. */
export interface CreateLoggerOptions {
  /** The process, on every line (`service`): api, worker, simulator. */
  service: string;
  /** pino's level name (LOG_LEVEL). */
  level: string;
  /** LOG_FORMAT; `auto` (the default) looks at the destination: pretty on a terminal, JSON otherwise. */
  format?: LogFormat | 'auto';
  /** Where lines go; stdout by default. Tests hand in a stream to read them. */
  destination?: DestinationStream;
  /** pino's `formatters.log`, applied before either format writes (the API's scrubbing). */
  formatLog?: (object: Record<string, unknown>) => Record<string, unknown>;
}

/** A process's logger: JSON lines, or one short line per event when a person is watching. */
export function createLogger({ service, level, format = 'auto', destination, formatLog }: CreateLoggerOptions): Logger {
  const options: LoggerOptions = { level, base: { service }, ...(formatLog ? { formatters: { log: formatLog } } : {}) };
  const target = destination ?? process.stdout;
  if (resolveLogFormat(format, target as { isTTY?: boolean }) === 'pretty') return pino(options, prettyStream(destination ?? 1));
  return destination ? pino(options, destination) : pino(options);
}
