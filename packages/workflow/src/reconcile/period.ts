// Periods a reconciliation covers, as pure functions (the workflow sandbox has Intl).
import type { Period } from './types';

/** The longest period one reconciliation covers: a month, so one report stays readable. */
export const MAX_PERIOD_DAYS = 31;
const DAY_MS = 86_400_000;

/** Why [from, to) is not a period to reconcile, or null when it is one. */
export function periodProblem(p: { from?: unknown; to?: unknown }): string | null {
  if (typeof p.from !== 'string' || typeof p.to !== 'string') return 'from and to must be ISO 8601 instants';
  const from = Date.parse(p.from);
  const to = Date.parse(p.to);
  if (Number.isNaN(from)) return `from ${JSON.stringify(p.from)} is not an ISO 8601 instant`;
  if (Number.isNaN(to)) return `to ${JSON.stringify(p.to)} is not an ISO 8601 instant`;
  if (to <= from) return `from ${p.from} is not before to ${p.to}`;
  if (to - from > MAX_PERIOD_DAYS * DAY_MS) return `${p.from} to ${p.to} is longer than ${MAX_PERIOD_DAYS} days`;
  return null;
}

/** The period in canonical form (UTC ISO with milliseconds), so equal periods compare and name files equally. */
export function canonicalPeriod(p: Period): Period {
  return { from: new Date(Date.parse(p.from)).toISOString(), to: new Date(Date.parse(p.to)).toISOString() };
}

/** How far `timeZone`'s wall clock is ahead of UTC at `atMs`, in ms. */
function offsetMs(atMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(atMs));
  const n = (type: string) => Number(parts.find((x) => x.type === type)?.value);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - Math.floor(atMs / 1000) * 1000;
}

/** The calendar date (y, m, d) at `atMs` in `timeZone`. */
function localDate(atMs: number, timeZone: string): [number, number, number] {
  const d = new Date(atMs + offsetMs(atMs, timeZone));
  return [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
}

/** The instant local midnight starts the date y-m-d in `timeZone` (DST-safe for whole-hour shifts). */
export function localMidnight(y: number, m: number, d: number, timeZone: string): number {
  const guess = Date.UTC(y, m, d);
  const first = guess - offsetMs(guess, timeZone);
  return guess - offsetMs(first, timeZone);
}

/** The local day [00:00, 24:00) in `timeZone` before the one `atMs` falls in: what the daily run reconciles. */
export function dayBefore(atMs: number, timeZone: string): Period {
  const [y, m, d] = localDate(atMs, timeZone);
  return { from: new Date(localMidnight(y, m, d - 1, timeZone)).toISOString(), to: new Date(localMidnight(y, m, d, timeZone)).toISOString() };
}

/** A date `YYYY-MM-DD` as local midnight in `timeZone`; any other text is taken as an ISO instant as is. */
export function instantOf(text: string, timeZone: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return text;
  return new Date(localMidnight(Number(m[1]), Number(m[2]) - 1, Number(m[3]), timeZone)).toISOString();
}
