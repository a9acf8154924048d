import { parseArgs } from 'node:util';
import { parseAmount, type PaymentKind } from '@payments/contract';

/** Where a scripted cashier cancels: while the customer scans, once approved, or after completing (a late cancel). */
export const CANCEL_POINTS = ['inprogress', 'ready', 'completed'] as const;
export type CancelPoint = (typeof CANCEL_POINTS)[number];

/** What the cashier asked for on the command line. */
export interface PosCommand {
  kind: PaymentKind;
  /** Signed, as the SPI wants it: "398.00", or "-129.00" for a refund. */
  amount: string;
  currencycode: string;
  /** The sale a refund credits (its paymentid), or null. */
  creditpaymentid: string | null;
  cancelAt: CancelPoint | null;
  /** Never acknowledge: the register "loses" the payment after ready_to_complete. */
  silent: boolean;
  url: string;
  user: string;
  password: string;
  posid: string;
  /** Receipt width in characters: 32 for 58 mm paper, 42 for 80 mm. */
  width: number;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: npm run pos -- <sale|refund> <amount> [options]

  npm run pos -- sale 398.00
  npm run pos -- refund 129.00 --credit <paymentid of the sale>
  npm run pos -- sale 25.00 --cancel-at inprogress

Options:
  --credit <paymentid>     a refund of that sale (refunds only)
  --cancel-at <point>      the cashier cancels: inprogress | ready | completed (a late cancel)
  --silent                 never acknowledge: after ready_to_complete the service reverses it
  --currency <code>        ISO 4217, default SEK
  --url <url>              the SPI, default $SPI_URL or http://127.0.0.1:$PORT (3000)
  --user <name>            default $SPI_USER or demo
  --password <password>    default $SPI_PASSWORD or demo
  --posid <id>             the register id, default POS-SIM-1
  --width <chars>          receipt width: 32 (58 mm, default) or 42 (80 mm)
  -h, --help

Exit code: 0 completed, 1 cancelled, 2 usage or SPI error.`;

/** Parses `sale|refund <amount> [options]`; throws UsageError with a one-line reason. */
export function parsePosArgs(argv: readonly string[], env: Record<string, string | undefined> = {}): PosCommand | 'help' {
  // A negative amount ("refund -129.00") would read as an option: hand numbers over as positionals.
  const numbers = argv.filter((a) => /^-[0-9]/.test(a));
  const rest = argv.filter((a) => !/^-[0-9]/.test(a));
  const args = numbers.length === 0 ? rest : [...rest, ...(rest.includes('--') ? [] : ['--']), ...numbers];
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        credit: { type: 'string' },
        'cancel-at': { type: 'string' },
        silent: { type: 'boolean', default: false },
        currency: { type: 'string', default: 'SEK' },
        url: { type: 'string' },
        user: { type: 'string' },
        password: { type: 'string' },
        posid: { type: 'string', default: 'POS-SIM-1' },
        width: { type: 'string', default: '32' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  const [kind, rawAmount, ...extra] = positionals;
  if (kind !== 'sale' && kind !== 'refund') throw new UsageError(`the first argument is sale or refund, got ${JSON.stringify(kind ?? '')}`);
  if (rawAmount === undefined) throw new UsageError(`${kind} needs an amount, e.g. ${kind} 398.00`);
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);

  const currencycode = values.currency.toUpperCase();
  const magnitude = rawAmount.replace(/^-/, '');
  const amount = kind === 'refund' ? `-${magnitude}` : magnitude;
  if (kind === 'sale' && rawAmount.startsWith('-')) throw new UsageError('a sale has a positive amount; use refund for money back');
  const checked = parseAmount(amount, currencycode);
  if (!checked.ok) throw new UsageError(`amount ${JSON.stringify(rawAmount)}: ${checked.reason}`);

  if (values.credit !== undefined && kind !== 'refund') throw new UsageError('--credit is for refunds');
  const cancelAt = values['cancel-at'] ?? null;
  if (cancelAt !== null && !(CANCEL_POINTS as readonly string[]).includes(cancelAt)) {
    throw new UsageError(`--cancel-at is one of ${CANCEL_POINTS.join(', ')}, got ${JSON.stringify(cancelAt)}`);
  }
  if (cancelAt !== null && values.silent) throw new UsageError('--silent and --cancel-at exclude each other');
  const width = Number(values.width);
  if (!Number.isInteger(width) || width < 24 || width > 80) throw new UsageError(`--width is a number of characters from 24 to 80, got ${values.width}`);

  const url = values.url ?? env.SPI_URL ?? `http://127.0.0.1:${env.PORT || '3000'}`;
  try {
    new URL(url);
  } catch {
    throw new UsageError(`--url must be a URL, got ${JSON.stringify(url)}`);
  }
  return {
    kind,
    amount,
    currencycode,
    creditpaymentid: values.credit ?? null,
    cancelAt: cancelAt as CancelPoint | null,
    silent: values.silent,
    url,
    user: values.user ?? env.SPI_USER ?? 'demo',
    password: values.password ?? env.SPI_PASSWORD ?? 'demo',
    posid: values.posid,
    width,
  };
}
