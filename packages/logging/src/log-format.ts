/** How a process writes its log: `json`, one JSON object per line; `pretty`, one short line per event for a person. */
export type LogFormat = 'json' | 'pretty';

/**
 * The format when LOG_FORMAT leaves it open (`auto`): pretty when the log goes to a terminal,
 * JSON lines otherwise (a pipe, a file, a log collector) and always with NODE_ENV=production.
 */
export function resolveLogFormat(format: LogFormat | 'auto', target: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): LogFormat {
  if (format !== 'auto') return format;
  return env.NODE_ENV !== 'production' && target.isTTY === true ? 'pretty' : 'json';
}
