// The reconciliation's rules, as pure functions: the workflow runs them page by page over a
// period's payments and the providers' records, the chaos test over its whole run at once
// (matchPeriod). No Temporal, no I/O. The state between pages is plain JSON, so the workflow
// carries it across continue-as-new: the provider records not matched yet and the running sums,
// never the payments already matched.
import type { Flag, Matching, Money, PaymentFact, Period, ProviderRecord, Tally } from './types';

/** Where money is counted for a provider record that no payment of ours knows. */
export const UNKNOWN_STORE = '(no payment)';

/** A reference's money at the provider: several records with the same reference add up. */
interface Moved {
  held: number;
  captured: number;
  refunded: number;
  reversed: number;
  voided: number;
}

/** The provider records of one reference not yet matched with a payment (the first record's id, provider, kind and amount). */
interface OpenRecord extends Moved {
  provider: string;
  id: string;
  reference: string | null;
  merchant: string;
  kind: string;
  currencycode: string;
  amountMinor: number;
  /** The earliest of its records. */
  createdAt: string;
}

/** Where a matching stands between pages. */
export interface MatchState {
  /** Records not matched yet, by reference (`id:<provider id>` for one without). */
  open: Record<string, OpenRecord>;
  /** Sales of the period: what each kept, and where, for the check of its refunds. */
  sales: Record<string, { kept: number; merchant: string; storeid: string }>;
  /** Refunds of the period by the sale they credit: what they paid out net, and which. */
  refunds: Record<string, { paid: number; ids: string[] }>;
  tallies: Record<string, Tally>;
  money: Record<string, Money>;
  flags: Flag[];
}

const none = (): Moved => ({ held: 0, captured: 0, refunded: 0, reversed: 0, voided: 0 });

/** What stayed moved for a payment of this kind: a sale's capture, a refund's payout, less reversals. */
export function netMoved(kind: string, m: Pick<Moved, 'captured' | 'refunded' | 'reversed'>): number {
  return (kind === 'refund' ? m.refunded : m.captured) - m.reversed;
}

const inPeriod = (at: string, p: Period) => at >= p.from && at < p.to;

/**
 * The register has its answer: completed or cancelled. A completed sale's workflow runs on for
 * the late-cancel and refund windows, but the money it owes is settled from here.
 */
export const hasEnded = (p: Pick<PaymentFact, 'state'>) => p.state === 'completed' || p.state === 'cancelled';

/** A matching with nothing read yet. */
export function emptyMatch(): MatchState {
  return { open: {}, sales: {}, refunds: {}, tallies: {}, money: {}, flags: [] };
}

/** Adds a page of provider records: all of a merchant's records come before its payments. */
export function addRecords(s: MatchState, records: readonly ProviderRecord[]): void {
  for (const r of records) {
    const key = r.reference ?? `id:${r.id}`;
    const o = s.open[key];
    if (!o) {
      s.open[key] = {
        provider: r.provider,
        id: r.id,
        reference: r.reference,
        merchant: r.merchant,
        kind: r.kind,
        currencycode: r.currencycode,
        amountMinor: r.amountMinor,
        createdAt: r.createdAt,
        held: r.heldMinor,
        captured: r.capturedMinor,
        refunded: r.refundedMinor,
        reversed: r.reversedMinor,
        voided: r.voidedMinor,
      };
      continue;
    }
    o.held += r.heldMinor;
    o.captured += r.capturedMinor;
    o.refunded += r.refundedMinor;
    o.reversed += r.reversedMinor;
    o.voided += r.voidedMinor;
    if (r.createdAt < o.createdAt) o.createdAt = r.createdAt;
  }
}

function count(s: MatchState, where: { merchant: string; storeid: string; currencycode: string }, kind: string, m: Moved): void {
  const key = JSON.stringify([where.merchant, where.storeid, where.currencycode]);
  const t = (s.money[key] ??= { ...where, capturedMinor: 0, refundedMinor: 0, reversedMinor: 0, voidedMinor: 0, netMinor: 0 });
  t.capturedMinor += m.captured;
  t.refundedMinor += m.refunded;
  t.reversedMinor += m.reversed;
  t.voidedMinor += m.voided;
  t.netMinor += kind === 'refund' ? m.reversed - m.refunded : m.captured - m.reversed;
}

/** Matches a page of payments with the records read so far (their own records included), by reference. */
export function addPayments(s: MatchState, payments: readonly PaymentFact[]): void {
  const flag = (p: PaymentFact, kind: Flag['kind'], evidence: string) => s.flags.push({ kind, paymentid: p.paymentid, merchant: p.merchant, storeid: p.storeid, evidence });
  for (const p of payments) {
    const key = JSON.stringify([p.merchant, p.storeid, p.method, p.kind, p.state]);
    const t = (s.tallies[key] ??= { merchant: p.merchant, storeid: p.storeid, method: p.method, kind: p.kind, state: p.state, count: 0, amountMinor: 0 });
    t.count++;
    t.amountMinor += p.amountMinor;

    const o = s.open[p.paymentid];
    delete s.open[p.paymentid];
    const m: Moved = o ?? none();
    // A payment whose workflow still runs has no closing memo to name its currency: its record does.
    count(s, { merchant: p.merchant, storeid: p.storeid, currencycode: p.currencycode || o?.currencycode || '' }, p.kind, m);
    const net = netMoved(p.kind, m);
    const ended = hasEnded(p);
    const what = p.kind === 'refund' ? 'paid out' : 'captured';

    if (p.reversal === 'pending') flag(p, 'reversal-pending', `the workflow still owes a reversal of ${p.amountMinor}; the provider shows ${net} ${what} net`);
    if (p.reversal === 'failed') flag(p, 'reversal-failed', `the provider refused to give back ${p.amountMinor}; ${net} ${what} net stays moved`);
    if (ended && p.state === 'cancelled' && net > 0) {
      flag(p, 'moved-on-cancelled', `ended cancelled but the provider shows ${net} ${what} net (${m.captured} captured, ${m.refunded} refunded, ${m.reversed} reversed)`);
    }
    if (ended && p.state === 'completed' && net <= 0) {
      flag(p, 'completed-not-captured', `ended completed for ${p.amountMinor} but the provider shows ${net} ${what} net${o ? '' : ' (no record at the provider)'}`);
    }
    if (ended && m.held > 0) flag(p, 'hold-open', `the payment ended ${p.state} but the provider still holds ${m.held} of the payer's money`);
    if (p.kind === 'refund') {
      if (m.refunded > p.amountMinor) flag(p, 'refund-beyond-sale', `a refund of ${p.amountMinor} was paid out ${m.refunded} in total`);
      if (p.creditpaymentid !== null) {
        const r = (s.refunds[p.creditpaymentid] ??= { paid: 0, ids: [] });
        r.paid += net;
        r.ids.push(p.paymentid);
      }
    } else {
      s.sales[p.paymentid] = { kept: net, merchant: p.merchant, storeid: p.storeid };
    }
  }
}

/** Forgets the unmatched records outside the period (their payments are another period's): what a merchant's reading leaves behind. */
export function dropOutside(s: MatchState, period: Period): void {
  for (const [key, o] of Object.entries(s.open)) if (!inPeriod(o.createdAt, period)) delete s.open[key];
}

/**
 * The unmatched records in the period that carry a reference: to look up in Temporal before
 * calling them unknown (a payment of the day before may own one).
 */
export function openReferences(s: MatchState, period: Period): string[] {
  return Object.values(s.open)
    .filter((o) => o.reference !== null && inPeriod(o.createdAt, period))
    .map((o) => o.reference as string)
    .sort();
}

export interface MatchOptions {
  /** References of payments outside the period (their own day's report counts them). */
  paymentsElsewhere?: ReadonlySet<string>;
}

const order = <T>(items: Iterable<T>, key: (t: T) => string) => [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

/** The report's part of a matching once every page is in: refunds beyond their sale, records no payment knows, all in a fixed order. */
export function finishMatch(s: MatchState, period: Period, options: MatchOptions = {}): Matching {
  const flags = [...s.flags];
  for (const [saleId, refunds] of Object.entries(s.refunds)) {
    const sale = s.sales[saleId];
    if (!sale) continue; // a sale of another day: its own report checks it
    if (refunds.paid > sale.kept) {
      flags.push({
        kind: 'refund-beyond-sale',
        paymentid: saleId,
        merchant: sale.merchant,
        storeid: sale.storeid,
        evidence: `refunds ${refunds.ids.join(', ')} paid out ${refunds.paid}, more than the ${sale.kept} the sale kept`,
      });
    }
  }
  const elsewhere = options.paymentsElsewhere ?? new Set<string>();
  const money: MatchState = { ...s, money: Object.fromEntries(Object.entries(s.money).map(([k, m]) => [k, { ...m }])) };
  for (const o of Object.values(s.open)) {
    if (!inPeriod(o.createdAt, period) || (o.reference !== null && elsewhere.has(o.reference))) continue;
    count(money, { merchant: o.merchant, storeid: UNKNOWN_STORE, currencycode: o.currencycode }, o.kind, o);
    flags.push({
      kind: 'unknown-record',
      paymentid: o.reference ?? o.id,
      merchant: o.merchant,
      storeid: null,
      evidence: `${o.provider} record ${o.id} (${o.kind} ${o.amountMinor} ${o.currencycode}, ${o.captured} captured, ${o.refunded} refunded, ${o.held} held) matches no payment`,
    });
  }
  return {
    tallies: order(Object.values(s.tallies), (t) => [t.merchant, t.storeid, t.method, t.kind, t.state].join('\u0000')),
    money: order(Object.values(money.money), (m) => [m.merchant, m.storeid, m.currencycode].join('\u0000')),
    flags: order(flags, (f) => [f.merchant, f.paymentid, f.kind].join('\u0000')),
  };
}

/** Matches a period's payments with the providers' records at once: the counts and sums, and every disagreement flagged on its payment with the evidence. */
export function matchPeriod(payments: readonly PaymentFact[], records: readonly ProviderRecord[], period: Period, options: MatchOptions = {}): Matching {
  const s = emptyMatch();
  addRecords(s, records);
  addPayments(s, payments);
  return finishMatch(s, period, options);
}
