import pretty from 'pino-pretty';
import type { DestinationStream } from 'pino';

type Line = Record<string, unknown>;
const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);

/**
 * What follows the message on a pretty line: an HTTP request's method and route, a status, the time taken,
 * an error's message, and the payment the line is about, last, so a person can follow one.
 */
function messageOf(line: Line, messageKey: string): string {
  const parts = [text(line[messageKey]) ?? ''];
  for (const key of ['method', 'route', 'status']) {
    const value = text(line[key]);
    if (value !== undefined) parts.push(value);
  }
  if (typeof line.ms === 'number') parts.push(`${line.ms} ms`);
  if (line.errorCode !== undefined) parts.push(String(line.errorCode));
  const err = line.err as { message?: unknown } | string | undefined;
  const errText = typeof err === 'string' ? err : text(err?.message);
  if (errText !== undefined && errText !== parts[0]) parts.push(`— ${errText}`);
  if (line.paymentid !== undefined) parts.push(`paymentid=${String(line.paymentid)}`);
  return parts.filter((p) => p !== '').join(' ');
}

/**
 * pino's own pretty printer, set for a person watching `npm start`: one short line per event,
 * `10:41:07.345 api       INFO: request POST /payments 200 12 ms paymentid=6f1d…`. The other
 * fields stay out of the line (the JSON format keeps them all). Synchronous, so the last lines
 * before an exit are not lost.
 */
export function prettyStream(destination: DestinationStream | NodeJS.WritableStream | number = 1): DestinationStream {
  return pretty({
    destination,
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    hideObject: true,
    ignore: 'pid,hostname',
    customPrettifiers: {
      time: (time) => String(time),
      // The level's prettifier is the one that sees the whole line: it puts the process first.
      level: (_level, _key, line, { labelColorized }) => `${String((line as Line).service ?? '').padEnd(9)} ${labelColorized}`,
    },
    messageFormat: (line, messageKey) => messageOf(line, messageKey),
  });
}
