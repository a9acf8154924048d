import { formatMinor } from '@payments/contract/money';
import { FAILURE, type Refusal } from './failures';
import type { PaymentInput, PaymentTimers, RefundOutcome, ReserveRefundRequest } from './types';

/** Refunds crediting one sale, by the refund's paymentid: reserved while in flight, settled once paid out. */
export type RefundBook = ReadonlyMap<string, { amountMinor: number; settled: boolean }>;

/** A refusal of a refund's reservation, as the refund's POST reports it. */
export type ReservationRefusal = Refusal<typeof FAILURE.fieldValidation | typeof FAILURE.refundExceedsOriginal>;

/** The refunds' total in minor units: those paid out (settled) or those still in flight. */
export function refundTotal(book: RefundBook, settled: boolean): number {
  let sum = 0;
  for (const r of book.values()) if (r.settled === settled) sum += r.amountMinor;
  return sum;
}

/** What the sale can still give back, counting refunds in flight. */
export function remainingMinor(saleAmountMinor: number, book: RefundBook): number {
  return saleAmountMinor - refundTotal(book, true) - refundTotal(book, false);
}

/** Whether a completed sale still takes refunds (workflow time `now`). */
export function refundWindowOpen(sale: { completedAt: number | null; now: number; timers: Pick<PaymentTimers, 'refundWindowMs'> }): boolean {
  return sale.completedAt !== null && sale.now - sale.completedAt <= sale.timers.refundWindowMs;
}

/**
 * Whether the sale takes a refund's reservation. A retried reservation (same refund, same
 * amount) is taken again; another merchant's sale reads exactly like one that is not (or no
 * longer) refundable, so a refund learns nothing about other merchants.
 */
export function reservationRefusal(
  sale: { input: PaymentInput; refundable: boolean; book: RefundBook },
  req: ReserveRefundRequest,
): ReservationRefusal | null {
  const { input, book } = sale;
  const invalid = (message: string): ReservationRefusal => ({ type: FAILURE.fieldValidation, message });
  const existing = book.get(req.refundPaymentId);
  if (existing) return existing.amountMinor === req.amountMinor ? null : invalid('this refund already reserved another amount');
  if (input.kind !== 'sale' || req.merchant !== input.merchant || !sale.refundable) {
    return invalid('creditpaymentid does not refer to a refundable sale');
  }
  const currency = input.request.currencycode;
  if (req.currencycode !== currency) return invalid(`the sale was paid in ${currency}`);
  const remaining = remainingMinor(input.amountMinor, book);
  if (req.amountMinor > remaining) {
    return { type: FAILURE.refundExceedsOriginal, message: `refunds would exceed the original: ${formatMinor(remaining, currency)} remains` };
  }
  return null;
}

/** The book with a reservation taken (a retried one changes nothing). */
export function withReservation(book: RefundBook, req: ReserveRefundRequest): RefundBook {
  if (book.has(req.refundPaymentId)) return book;
  return new Map(book).set(req.refundPaymentId, { amountMinor: req.amountMinor, settled: false });
}

/** The book once a refund ended: settled refunds stay counted, released ones free their amount. */
export function withRefundFinished(book: RefundBook, { refundPaymentId, outcome }: RefundOutcome): RefundBook {
  const entry = book.get(refundPaymentId);
  if (!entry) return book;
  const next = new Map(book);
  if (outcome === 'settled') next.set(refundPaymentId, { ...entry, settled: true });
  else next.delete(refundPaymentId);
  return next;
}
