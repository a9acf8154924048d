export { createLogger, type CreateLoggerOptions } from './create-logger';
export { resolveLogFormat, type LogFormat } from './log-format';
export { prettyStream } from './pretty-stream';
export type { DestinationStream, Logger } from 'pino';
