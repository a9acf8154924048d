import type { DestinationStream, Logger as Pino } from 'pino';
import type { LogLevel as TemporalLevel, LogMetadata, Logger } from '@temporalio/worker';
import type { LogFormatSetting, LogLevel } from '@payments/config';
import { createLogger as createProcessLogger } from '@payments/logging';
import { paymentWorkflowId } from '@payments/workflow';

/** The worker's log: one line per event, on stdout, at LOG_LEVEL; JSON, or short lines on a terminal (LOG_FORMAT). */
export function createLogger(level: LogLevel, destination?: DestinationStream, format: LogFormatSetting = 'json'): Pino {
  return createProcessLogger({ service: 'worker', level, format, destination });
}

/** The paymentid a workflow id stands for, when it is a payment's. */
export function paymentIdOf(workflowId: unknown): string | undefined {
  if (typeof workflowId !== 'string') return undefined;
  const candidate = workflowId.slice(workflowId.indexOf('-') + 1);
  return paymentWorkflowId(candidate) === workflowId ? candidate : undefined;
}

const PINO_LEVEL = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/** What a Temporal log line carries, as pino fields: the payment named, an Error under `err` (pino serialises those). */
function fields(meta: LogMetadata | undefined): Record<string, unknown> {
  if (!meta) return {};
  // The task token is an opaque credential-like blob: of no use to a reader.
  const { taskToken: _taskToken, ...rest } = meta as Record<string, unknown>;
  const paymentid = paymentIdOf(rest.workflowId);
  if (rest.error instanceof Error && rest.err === undefined) {
    rest.err = rest.error;
    delete rest.error;
  }
  return paymentid !== undefined ? { paymentid, ...rest } : rest;
}

/**
 * Temporal's logger over pino: the SDK's lines, the Core's (forwarded), and the workflow's and
 * activities' own (which carry workflowId, activityType… and here the paymentid) all become JSON.
 */
export function temporalLogger(logger: Pino): Logger {
  const write = (level: TemporalLevel, message: string, meta?: LogMetadata) => logger[PINO_LEVEL[level]](fields(meta), message);
  return {
    log: write,
    trace: (message, meta) => write('TRACE', message, meta),
    debug: (message, meta) => write('DEBUG', message, meta),
    info: (message, meta) => write('INFO', message, meta),
    warn: (message, meta) => write('WARN', message, meta),
    error: (message, meta) => write('ERROR', message, meta),
  };
}
