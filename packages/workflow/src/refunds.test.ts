import { FAILURE } from './failures';
import { refundWindowOpen, remainingMinor, reservationRefusal, withRefundFinished, withReservation, type RefundBook } from './refunds';
import { paymentInput } from './testing';

const sale = paymentInput({ request: { amount: '100.00' } as never });
const req = (refundPaymentId: string, amountMinor: number, over: Partial<{ merchant: string; currencycode: string }> = {}) => ({
  refundPaymentId,
  merchant: 'demo',
  currencycode: 'SEK',
  amountMinor,
  ...over,
});
const empty: RefundBook = new Map();

describe('refunds against a sale', () => {
  test('refunds in flight count: 60 reserved of 100 → 40.01 exceeds, with what remains in the message', () => {
    const book = withReservation(empty, req('r1', 6000));
    expect(remainingMinor(sale.amountMinor, book)).toBe(4000);
    expect(reservationRefusal({ input: sale, refundable: true, book }, req('r2', 4001))).toEqual({
      type: FAILURE.refundExceedsOriginal,
      message: 'refunds would exceed the original: 40.00 remains',
    });
    expect(reservationRefusal({ input: sale, refundable: true, book }, req('r2', 4000))).toBeNull();
  });

  test('a retried reservation is taken again; the same refund with another amount is refused', () => {
    const book = withReservation(empty, req('r1', 6000));
    expect(reservationRefusal({ input: sale, refundable: true, book }, req('r1', 6000))).toBeNull();
    expect(withReservation(book, req('r1', 6000))).toBe(book);
    expect(reservationRefusal({ input: sale, refundable: true, book }, req('r1', 10))?.type).toBe(FAILURE.fieldValidation);
  });

  test('another merchant, a sale past its window and another currency read as field-validation', () => {
    expect(reservationRefusal({ input: sale, refundable: true, book: empty }, req('r', 1, { merchant: 'other' }))?.message).toBe(
      'creditpaymentid does not refer to a refundable sale',
    );
    expect(reservationRefusal({ input: sale, refundable: false, book: empty }, req('r', 1))?.type).toBe(FAILURE.fieldValidation);
    expect(reservationRefusal({ input: sale, refundable: true, book: empty }, req('r', 1, { currencycode: 'EUR' }))?.message).toBe(
      'the sale was paid in SEK',
    );
  });

  test('a released refund frees its amount; a settled one stays counted', () => {
    const book = withReservation(withReservation(empty, req('r1', 3000)), req('r2', 2000));
    expect(remainingMinor(sale.amountMinor, withRefundFinished(book, { refundPaymentId: 'r1', outcome: 'released' }))).toBe(8000);
    expect(remainingMinor(sale.amountMinor, withRefundFinished(book, { refundPaymentId: 'r1', outcome: 'settled' }))).toBe(5000);
  });

  test('the refund window: open up to refundWindowMs after completion, closed before completion', () => {
    const timers = { refundWindowMs: 1000 };
    expect(refundWindowOpen({ completedAt: 0, now: 1000, timers })).toBe(true);
    expect(refundWindowOpen({ completedAt: 0, now: 1001, timers })).toBe(false);
    expect(refundWindowOpen({ completedAt: null, now: 0, timers })).toBe(false);
  });
});
