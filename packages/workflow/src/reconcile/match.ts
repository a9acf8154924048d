// The reconciliation's rules, as pure functions: the workflow runs them over a period's payments
// and the provider's records, and the chaos test over its own run. No Temporal, no I/O.
import type { Flag, Matching, Money, PaymentFact, Period, ProviderRecord, Tally } from './types';

/** Where money is counted for a provider record that no payment of ours knows. */
export const UNKNOWN_STORE = '(no payment)';

/** A payment's money at the provider: several records with its reference add up. */
interface Moved {
  held: number;
  captured: number;
  refunded: number;
  reversed: number;
  voided: number;
  records: number;
}

const none = (): Moved => ({ held: 0, captured: 0, refunded: 0, reversed: 0, voided: 0, records: 0 });

function add(m: Moved, r: ProviderRecord): Moved {
  return {
    held: m.held + r.heldMinor,
    captured: m.captured + r.capturedMinor,
    refunded: m.refunded + r.refundedMinor,
    reversed: m.reversed + r.reversedMinor,
    voided: m.voided + r.voidedMinor,
    records: m.records + 1,
  };
}

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

/**
 * The provider records in the period that match no payment in `payments`: the references to
 * look up in Temporal before calling them unknown (a payment of the day before may own one).
 */
export function unmatchedRecords(payments: readonly PaymentFact[], records: readonly ProviderRecord[], period: Period): string[] {
  const known = new Set(payments.map((p) => p.paymentid));
  const refs = records.filter((r) => r.reference !== null && !known.has(r.reference) && inPeriod(r.createdAt, period)).map((r) => r.reference as string);
  return [...new Set(refs)].sort();
}

export interface MatchOptions {
  /** References of payments outside the period (their own day's report counts them). */
  paymentsElsewhere?: ReadonlySet<string>;
}

/**
 * Matches a period's payments with the provider's records by reference: the counts and sums an
 * operator reports, and every disagreement flagged on its payment with the evidence.
 */
export function matchPeriod(payments: readonly PaymentFact[], records: readonly ProviderRecord[], period: Period, options: MatchOptions = {}): Matching {
  const byRef = new Map<string, Moved>();
  const currencyOf = new Map<string, string>();
  for (const r of records) {
    if (r.reference === null) continue;
    byRef.set(r.reference, add(byRef.get(r.reference) ?? none(), r));
    currencyOf.set(r.reference, r.currencycode);
  }

  const flags: Flag[] = [];
  const tallies = new Map<string, Tally>();
  const money = new Map<string, Money>();
  const count = (merchant: string, storeid: string, currencycode: string, kind: string, m: Moved) => {
    const key = JSON.stringify([merchant, storeid, currencycode]);
    const t = money.get(key) ?? { merchant, storeid, currencycode, capturedMinor: 0, refundedMinor: 0, reversedMinor: 0, voidedMinor: 0, netMinor: 0 };
    t.capturedMinor += m.captured;
    t.refundedMinor += m.refunded;
    t.reversedMinor += m.reversed;
    t.voidedMinor += m.voided;
    t.netMinor += kind === 'refund' ? m.reversed - m.refunded : m.captured - m.reversed;
    money.set(key, t);
  };

  const flag = (p: PaymentFact, kind: Flag['kind'], evidence: string) => flags.push({ kind, paymentid: p.paymentid, merchant: p.merchant, storeid: p.storeid, evidence });
  const refundsOf = new Map<string, PaymentFact[]>();

  for (const p of payments) {
    const key = JSON.stringify([p.merchant, p.storeid, p.method, p.kind, p.state]);
    const t = tallies.get(key) ?? { merchant: p.merchant, storeid: p.storeid, method: p.method, kind: p.kind, state: p.state, count: 0, amountMinor: 0 };
    t.count++;
    t.amountMinor += p.amountMinor;
    tallies.set(key, t);

    const m = byRef.get(p.paymentid) ?? none();
    // A payment whose workflow still runs has no closing memo to name its currency: its record does.
    const currency = p.currencycode || currencyOf.get(p.paymentid) || '';
    count(p.merchant, p.storeid, currency, p.kind, m);
    const ended = hasEnded(p);
    const net = netMoved(p.kind, m);
    const what = p.kind === 'refund' ? 'paid out' : 'captured';

    if (p.reversal === 'pending') flag(p, 'reversal-pending', `the workflow still owes a reversal of ${p.amountMinor}; the provider shows ${net} ${what} net`);
    if (p.reversal === 'failed') flag(p, 'reversal-failed', `the provider refused to give back ${p.amountMinor}; ${net} ${what} net stays moved`);
    if (ended && p.state === 'cancelled' && net > 0) {
      flag(p, 'moved-on-cancelled', `ended cancelled but the provider shows ${net} ${what} net (${m.captured} captured, ${m.refunded} refunded, ${m.reversed} reversed)`);
    }
    if (ended && p.state === 'completed' && net <= 0) {
      flag(p, 'completed-not-captured', `ended completed for ${p.amountMinor} but the provider shows ${net} ${what} net${m.records === 0 ? ' (no record at the provider)' : ''}`);
    }
    if (ended && m.held > 0) flag(p, 'hold-open', `the payment ended ${p.state} but the provider still holds ${m.held} of the payer's money`);
    if (p.kind === 'refund') {
      if (m.refunded > p.amountMinor) flag(p, 'refund-beyond-sale', `a refund of ${p.amountMinor} was paid out ${m.refunded} in total`);
      if (p.creditpaymentid !== null) refundsOf.set(p.creditpaymentid, [...(refundsOf.get(p.creditpaymentid) ?? []), p]);
    }
  }

  // A sale whose refunds paid out more than it kept.
  const sales = new Map(payments.filter((p) => p.kind === 'sale').map((p) => [p.paymentid, p]));
  for (const [saleId, refunds] of refundsOf) {
    const sale = sales.get(saleId);
    if (!sale) continue; // a sale of another day: its own report checks it
    const kept = netMoved('sale', byRef.get(saleId) ?? none());
    const paid = refunds.reduce((sum, r) => sum + netMoved('refund', byRef.get(r.paymentid) ?? none()), 0);
    if (paid > kept) flag(sale, 'refund-beyond-sale', `refunds ${refunds.map((r) => r.paymentid).join(', ')} paid out ${paid}, more than the ${kept} the sale kept`);
  }

  // Money at the provider that no payment of ours knows.
  const known = new Set(payments.map((p) => p.paymentid));
  const elsewhere = options.paymentsElsewhere ?? new Set<string>();
  for (const r of records) {
    if (!inPeriod(r.createdAt, period)) continue;
    if (r.reference !== null && (known.has(r.reference) || elsewhere.has(r.reference))) continue;
    const m = add(none(), r);
    count(r.merchant, UNKNOWN_STORE, r.currencycode, r.kind, m);
    flags.push({
      kind: 'unknown-record',
      paymentid: r.reference ?? r.id,
      merchant: r.merchant,
      storeid: null,
      evidence: `${r.provider} record ${r.id} (${r.kind} ${r.amountMinor} ${r.currencycode}, ${r.capturedMinor} captured, ${r.refundedMinor} refunded, ${r.heldMinor} held) matches no payment`,
    });
  }

  const order = <T>(items: Iterable<T>, key: (t: T) => string) => [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return {
    tallies: order(tallies.values(), (t) => [t.merchant, t.storeid, t.method, t.kind, t.state].join('\u0000')),
    money: order(money.values(), (m) => [m.merchant, m.storeid, m.currencycode].join('\u0000')),
    flags: order(flags, (f) => [f.merchant, f.paymentid, f.kind].join('\u0000')),
  };
}
