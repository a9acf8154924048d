import type { VippsLedgerEntry, VippsPayment, VippsPaymentEvent } from '@payments/contract/wire';
import { NotFoundError } from '../errors';
import type { VippsClient } from '../vipps/vipps-client';
import { vippsIdempotencyKey } from '../vipps/vipps-keys';
import { paced, type ProviderRecord, type ProviderRecords, type RecordPageRequest } from './provider-records';

/** A page of the payments our side knows for a merchant and period (Temporal's visibility), for the hold check. */
export interface KnownPaymentPage {
  payments: { paymentid: string; startedAt: string }[];
  next: string | null;
}

export interface VippsRecordsOptions {
  /** Our merchant (the SPI's), as records and reports name it. */
  merchant: string;
  /** The sales unit's client: its token and headers serve the Report API too. */
  client: VippsClient;
  /** The merchant's payments started in [from, to), a page at a time. */
  knownPayments(req: { merchant: string; from: string; to: string; cursor: string | null; limit: number; signal?: AbortSignal }): Promise<KnownPaymentPage>;
  /** Calls a second this reader makes at most; VIPPS_RECORD_CALLS_PER_SECOND by default. */
  callsPerSecond?: number;
}

/**
 * Well under Vipps's limits: the ePayment API limits reads per reference (and this reads each
 * reference at most twice a run); the Report API asks for polite, unhurried reading.
 */
export const VIPPS_RECORD_CALLS_PER_SECOND = 10;
/** Payments read by reference per page: a page stays well inside its activity's 2 minutes. */
const HOLD_PAGE = 100;

/** Where a reading stands: the ledger's funds feed from a cursor, then the known payments' holds from a visibility page. */
type VippsCursor = { side: 'funds'; ledgerId: string; feed: string | null } | { side: 'holds'; after: string | null };

const abs = Math.abs;

/**
 * Which refund event of the sale's log a ledger refund is: the one with its pspReference, else
 * the nearest in time of the same amount (a log whose events share the payment's pspReference).
 */
function refundEventOf(entry: VippsLedgerEntry, events: readonly VippsPaymentEvent[]): VippsPaymentEvent | null {
  const refunds = events.filter((e) => e.name === 'REFUNDED' && e.success && e.amount.value === abs(entry.amount));
  const own = refunds.filter((e) => e.pspReference === entry.pspReference);
  if (own.length === 1) return own[0] as VippsPaymentEvent;
  const at = Date.parse(entry.time);
  let best: VippsPaymentEvent | null = null;
  for (const e of refunds) if (best === null || abs(Date.parse(e.timestamp) - at) < abs(Date.parse(best.timestamp) - at)) best = e;
  return best;
}

/**
 * A ledger entry of the funds as a record, or null for what is not a payment's (fees, payouts,
 * top-ups, corrections, and types Vipps adds later). A capture counts under its payment's
 * reference. A refund is known by the Idempotency-Key of its event in the sale's log: the sale's
 * reversal counts under the sale, a refund payment's refund under that payment's paymentid, and a
 * refund made with no key of ours (the merchant portal, another system) under no payment.
 */
export function ledgerRecord(entry: VippsLedgerEntry, merchant: string, events: readonly VippsPaymentEvent[] = []): ProviderRecord | null {
  const reference = entry.reference ?? '';
  if (reference === '') return null;
  const base = {
    provider: 'vipps-mobilepay',
    id: entry.pspReference,
    merchant,
    currencycode: entry.currency ?? '',
    amountMinor: abs(entry.amount),
    createdAt: new Date(Date.parse(entry.time)).toISOString(),
    heldMinor: 0,
    capturedMinor: 0,
    refundedMinor: 0,
    reversedMinor: 0,
    voidedMinor: 0,
  };
  switch (entry.entryType) {
    case 'capture':
      return { ...base, reference, kind: 'sale', capturedMinor: entry.amount };
    // A dispute takes a capture back (negative) or returns it (positive), under the capture's reference.
    case 'retained-disputed-capture':
    case 'returned-disputed-capture':
      return { ...base, reference, kind: 'sale', reversedMinor: -entry.amount };
    case 'refund': {
      const key = refundEventOf(entry, events)?.idempotencyKey ?? null;
      if (key !== null && key === vippsIdempotencyKey(reference, 'reverse-refund')) return { ...base, reference, kind: 'sale', reversedMinor: -entry.amount };
      const refundPayment = key !== null && key.endsWith('-refund') && !key.endsWith('-reverse-refund') ? key.slice(0, -'-refund'.length) : null;
      // A refund payment's key is its paymentid (a long one is a digest, which names no payment).
      if (refundPayment !== null && vippsIdempotencyKey(refundPayment, 'refund') === key) return { ...base, reference: refundPayment, kind: 'refund', refundedMinor: -entry.amount };
      return { ...base, reference: null, kind: 'refund', refundedMinor: -entry.amount };
    }
    default:
      return null;
  }
}

/** A payment still reserved at Vipps (authorized, neither captured nor cancelled) as a hold record; null when nothing is held. */
export function holdRecord(payment: VippsPayment, merchant: string, startedAt: string): ProviderRecord | null {
  const a = payment.aggregate;
  const held = payment.state === 'AUTHORIZED' ? a.authorizedAmount.value - a.capturedAmount.value - a.cancelledAmount.value : 0;
  if (held <= 0) return null;
  return {
    provider: 'vipps-mobilepay',
    id: payment.pspReference,
    reference: payment.reference,
    merchant,
    kind: 'sale',
    currencycode: a.authorizedAmount.currency,
    amountMinor: a.authorizedAmount.value,
    createdAt: startedAt,
    heldMinor: held,
    capturedMinor: 0,
    refundedMinor: 0,
    reversedMinor: 0,
    voidedMinor: 0,
  };
}

/**
 * A Vipps MobilePay merchant's books for a period. The ePayment API lists nothing, so the money
 * that moved comes from the Report API: the funds feed of the ledger that settles for the sales
 * unit (`api:<MSN>`), its captures and refunds in the period, each refund told apart by its
 * event's Idempotency-Key in the sale's log. A reservation moves no money and is on no ledger: for
 * each payment our side knows in the period, the ePayment API's GET by reference adds what it
 * still holds. A reservation of a payment we do not know cannot be found this way.
 */
export function createVippsRecords(options: VippsRecordsOptions): ProviderRecords {
  const { client, merchant } = options;
  const handle = `api:${client.options.merchantSerialNumber}`;
  const pace = paced(1000 / (options.callsPerSecond ?? VIPPS_RECORD_CALLS_PER_SECOND));
  let ledgerId: string | null = null;

  const ledgerOf = async (signal?: AbortSignal): Promise<string> => {
    if (ledgerId !== null) return ledgerId;
    await pace();
    const { items } = await client.getLedgers(handle, signal);
    const ledger = items.find((l) => l.settlesForRecipientHandles.includes(handle));
    if (!ledger) throw new Error(`no Report API ledger settles for ${handle} with merchant ${merchant}'s keys: the sales unit must give them access`);
    ledgerId = ledger.ledgerId;
    return ledgerId;
  };

  const funds = async (req: RecordPageRequest, at: { ledgerId: string; feed: string | null }) => {
    await pace();
    const page = await client.getReportFeed(at.ledgerId, 'funds', at.feed, req.signal);
    const from = Date.parse(req.from);
    const to = Date.parse(req.to);
    const inPeriod = page.items.filter((e) => Date.parse(e.time) >= from && Date.parse(e.time) < to);
    const logs = new Map<string, VippsPaymentEvent[]>();
    for (const e of inPeriod) {
      const ref = e.reference ?? '';
      if (e.entryType !== 'refund' || ref === '' || logs.has(ref)) continue;
      await pace();
      logs.set(ref, await client.getEvents(ref, req.signal).catch((err: unknown) => (err instanceof NotFoundError ? [] : Promise.reject(err))));
    }
    const records = inPeriod.map((e) => ledgerRecord(e, merchant, logs.get(e.reference ?? '') ?? [])).filter((r): r is ProviderRecord => r !== null);
    // The feed runs in time order: past the period's end, or at its end for now, the funds are read.
    const done = page.tryLater === true || page.cursor === undefined || page.items.some((e) => Date.parse(e.time) >= to);
    const next: VippsCursor = done ? { side: 'holds', after: null } : { side: 'funds', ledgerId: at.ledgerId, feed: page.cursor ?? null };
    return { records, next: JSON.stringify(next) };
  };

  const holds = async (req: RecordPageRequest, after: string | null) => {
    const page = await options.knownPayments({ merchant, from: req.from, to: req.to, cursor: after, limit: Math.min(req.limit, HOLD_PAGE), signal: req.signal });
    const records: ProviderRecord[] = [];
    for (const p of page.payments) {
      await pace();
      try {
        const hold = holdRecord(await client.getPayment(p.paymentid, req.signal), merchant, p.startedAt);
        if (hold) records.push(hold);
      } catch (err) {
        // A refund payment, or a sale that never reached Vipps: nothing reserved under its reference.
        if (!(err instanceof NotFoundError)) throw err;
      }
    }
    return { records, next: page.next === null ? null : JSON.stringify({ side: 'holds', after: page.next } satisfies VippsCursor) };
  };

  return {
    provider: 'vipps-mobilepay',
    async listRecords(req: RecordPageRequest) {
      const at: VippsCursor = req.cursor === null ? { side: 'funds', ledgerId: await ledgerOf(req.signal), feed: null } : (JSON.parse(req.cursor) as VippsCursor);
      return at.side === 'funds' ? funds(req, at) : holds(req, at.after);
    },
  };
}
