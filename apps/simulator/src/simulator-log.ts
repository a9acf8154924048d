import type { LogFormatSetting, LogLevel } from '@payments/config';
import { createLogger, type DestinationStream } from '@payments/logging';

type Level = 'error' | 'warn' | 'info' | 'debug';
const LEVELS: readonly string[] = ['error', 'warn', 'info', 'debug'] satisfies Level[];

/**
 * The simulator's `log` (one object per event, `level` and `msg` in it) over the processes'
 * logger, so it honours LOG_LEVEL and LOG_FORMAT like the API and the worker. An acquirer or
 * terminal `reference` is the payment's id (the activities pass it so): it is logged as
 * `paymentid` too, the field every process's lines carry.
 */
export function simulatorLog(level: LogLevel, format: LogFormatSetting = 'json', destination?: DestinationStream): (line: Record<string, unknown>) => void {
  const logger = createLogger({ service: 'simulator', level, format, destination });
  return ({ level: lineLevel, msg, ...fields }) => {
    const at: Level = typeof lineLevel === 'string' && LEVELS.includes(lineLevel) ? (lineLevel as Level) : 'info';
    const paymentid = typeof fields.reference === 'string' ? { paymentid: fields.reference } : {};
    logger[at]({ ...fields, ...paymentid }, typeof msg === 'string' ? msg : '');
  };
}
