/**
 * Amounts travel as decimal strings ("398.00", "-129.00") and are handled inside the service
 * as integer minor units, so no sum of refunds is ever off by a floating-point cent.
 */

/** ISO 4217 currencies accepted, with their number of decimals (minor unit exponent). */
export const CURRENCY_DECIMALS: Readonly<Record<string, number>> = Object.freeze({
  SEK: 2, NOK: 2, DKK: 2, EUR: 2, USD: 2, GBP: 2, CHF: 2, PLN: 2, CZK: 2, HUF: 2,
  ISK: 0, JPY: 0, KRW: 0, CAD: 2, AUD: 2, NZD: 2, CNY: 2, HKD: 2, SGD: 2, INR: 2,
  BHD: 3, KWD: 3, JOD: 3, OMR: 3, TND: 3, RON: 2, BGN: 2, TRY: 2, ZAR: 2, MXN: 2, BRL: 2,
});

/** Largest absolute amount accepted, in major units: beyond any till's real use. */
export const MAX_AMOUNT_MAJOR = 9_999_999_999;

const DECIMAL = /^(-)?(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

export type ParsedAmount =
  | { ok: true; minor: number; decimals: number }
  | { ok: false; reason: string };

/** Parses a contract amount against its currency; zero, exponents, padding and excess decimals are refused. */
export function parseAmount(amount: string, currencycode: string): ParsedAmount {
  const decimals = CURRENCY_DECIMALS[currencycode];
  if (decimals === undefined) return { ok: false, reason: `unknown currency ${JSON.stringify(currencycode)}` };
  const m = DECIMAL.exec(amount);
  if (!m) return { ok: false, reason: 'amount must be a plain decimal string such as "398.00"' };
  const [, sign, whole = '', frac = ''] = m;
  if (frac.length > decimals) {
    return { ok: false, reason: `${currencycode} allows at most ${decimals} decimals` };
  }
  if (whole.length > String(MAX_AMOUNT_MAJOR).length || Number(whole) > MAX_AMOUNT_MAJOR) {
    return { ok: false, reason: `amount is larger than ${MAX_AMOUNT_MAJOR}` };
  }
  const minor = Number(whole) * 10 ** decimals + Number(frac.padEnd(decimals, '0') || '0');
  if (minor === 0) return { ok: false, reason: 'amount must not be zero' };
  return { ok: true, minor: sign ? -minor : minor, decimals };
}

/** Formats minor units back to the contract's decimal string: 39800 SEK → "398.00". */
export function formatMinor(minor: number, currencycode: string): string {
  const decimals = CURRENCY_DECIMALS[currencycode] ?? 2;
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  if (decimals === 0) return `${sign}${abs}`;
  const s = String(abs).padStart(decimals + 1, '0');
  return `${sign}${s.slice(0, -decimals)}.${s.slice(-decimals)}`;
}
