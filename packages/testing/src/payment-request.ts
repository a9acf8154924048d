// The POST /payments body as Sitoo POS sends it, for the tests and the bench.
import { buildPaymentRequest } from '@payments/contract';

/**
 * The contract's buildPaymentRequest (`amount`: "398.00" a sale, "-129.00" a refund: give it
 * `creditpaymentid`), with `extra` replacing or adding fields, invalid ones too (the bad-input
 * tests send them).
 */
export function paymentRequest(amount: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...buildPaymentRequest(amount), ...extra };
}
