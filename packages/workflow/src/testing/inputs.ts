// Payment inputs for tests, plain data: the rules' tests use them without Temporal.
import { randomUUID } from 'node:crypto';
import type { PaymentInput, PaymentTimers } from '../types';

/** A timer long enough never to fire during a test. */
export const LONG = 60 * 60_000;

/** A sale of 398.00 SEK (a refund when the amount is negative), with every timer LONG unless overridden. */
export function paymentInput(
  overrides: Partial<Omit<PaymentInput, 'timers' | 'request'>> & { timers?: Partial<PaymentTimers>; request?: Partial<PaymentInput['request']> } = {},
): PaymentInput {
  const paymentid = overrides.paymentid ?? randomUUID();
  const amount = overrides.request?.amount ?? '398.00';
  return {
    paymentid,
    merchant: 'demo',
    method: 'wallet',
    kind: amount.startsWith('-') ? 'refund' : 'sale',
    amountMinor: Math.round(Number(amount) * 100),
    requestHash: 'test',
    ...overrides,
    request: {
      creditpaymentid: null,
      paymentname: 'Custom Payment',
      amount,
      currencycode: 'SEK',
      storeid: '1',
      storename: 'Store 1',
      storeexternalid: null,
      posid: 'SIE0000160000051',
      receiptid: 'SIE000016000005112345',
      customer: null,
      cartitems: [],
      ...overrides.request,
    },
    timers: { expiryMs: LONG, ackTimeoutMs: LONG, lateCancelWindowMs: LONG, refundWindowMs: LONG, ...overrides.timers },
  };
}

