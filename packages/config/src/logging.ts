import { definePart } from './part';
import { oneOfWords } from './variable';

/** pino's levels, most severe first; `silent` logs nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** LOG_FORMAT: JSON lines, one short line per event, or (`auto`) pretty only on a terminal and never in production. */
export const LOG_FORMATS = ['json', 'pretty', 'auto'] as const;
export type LogFormatSetting = (typeof LOG_FORMATS)[number];

export const LOG_LEVEL = oneOfWords<LogLevel>({
  name: 'LOG_LEVEL',
  words: LOG_LEVELS,
  default: 'info',
  defaultText: 'info (debug with NODE_ENV=development)',
  meaning: 'the log level of the process',
});
export const LOG_FORMAT = oneOfWords<LogFormatSetting>({
  name: 'LOG_FORMAT',
  words: LOG_FORMATS,
  default: 'auto',
  defaultText: 'auto (json with NODE_ENV=production)',
  meaning: 'JSON lines, or one short line per event (pretty); auto: pretty on a terminal, JSON into a pipe or file',
});

/** Every process's log level and format. */
export const logging = definePart('logging', [LOG_LEVEL, LOG_FORMAT], (env, { production, development }) => ({
  logLevel: LOG_LEVEL.read(env, development ? 'debug' : 'info'),
  logFormat: LOG_FORMAT.read(env, production ? 'json' : 'auto'),
}));
