import type Stripe from 'stripe';
import type { StartTransaction } from '../terminal';

/**
 * The one create request of a sale's PaymentIntent, built only from the transaction and the
 * merchant: every process that sends it sends the same parameters under the same key, so Stripe
 * answers all of them with the one intent (and a key reused with other parameters is refused).
 */
export function intentRequest(tx: StartTransaction, merchant: string): { params: Stripe.PaymentIntentCreateParams; idempotencyKey: string } {
  return {
    params: {
      amount: tx.amountMinor,
      currency: tx.currencycode.toLowerCase(),
      capture_method: 'manual',
      allowed_payment_method_types: ['card_present'],
      description: `Sitoo POS ${tx.posid}`,
      metadata: { paymentid: tx.reference, merchant, posid: tx.posid },
    },
    idempotencyKey: `${tx.reference}:intent`,
  };
}
