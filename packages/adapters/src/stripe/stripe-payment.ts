import type Stripe from 'stripe';
import type { AcquirerPayment, AcquirerStatus } from '../acquirer';

/** What the register's screen says while the reader works. */
export const STRIPE_TEXT = {
  presentCard: 'Present card',
  processing: 'Processing',
  cardRead: 'Card read',
  declined: 'Card declined',
  offline: 'The card reader is offline',
  stopped: 'The card reader stopped the payment',
  cancelled: 'Cancelled',
  refundToCard: 'Refund to the original card',
} as const;

const SCHEMES: Record<string, string> = { visa: 'Visa', mastercard: 'Mastercard', amex: 'American Express', discover: 'Discover', jcb: 'JCB', unionpay: 'UnionPay', interac: 'Interac' };

/** The card as the charge recorded it. */
export function cardOf(intent: Stripe.PaymentIntent): { scheme: string; last4: string | null } {
  const charge = typeof intent.latest_charge === 'object' && intent.latest_charge !== null ? intent.latest_charge : null;
  const card = charge?.payment_method_details?.card_present;
  const brand = card?.brand ?? null;
  return { scheme: brand ? (SCHEMES[brand] ?? brand) : 'Card', last4: card?.last4 ?? null };
}

/** How far an intent has come, in the acquirer's words: requires_capture is an approval (money held, not moved). */
export function intentStatus(intent: Stripe.PaymentIntent): AcquirerStatus {
  switch (intent.status) {
    case 'requires_capture':
    case 'succeeded':
      return 'approved';
    case 'canceled':
      return 'cancelled';
    case 'requires_payment_method':
      return intent.last_payment_error ? 'declined' : 'pending';
    case 'requires_confirmation':
    case 'requires_action':
    case 'processing':
    default:
      return 'pending';
  }
}

/** A sale's PaymentIntent as the activities see an acquirer payment. */
export function intentPayment(intent: Stripe.PaymentIntent): AcquirerPayment {
  const status = intentStatus(intent);
  const { scheme, last4 } = cardOf(intent);
  const charged = intent.latest_charge !== null;
  return {
    id: intent.id,
    reference: intent.metadata.paymentid ?? '',
    kind: 'sale',
    method: 'card',
    amountMinor: intent.amount,
    currencycode: intent.currency.toUpperCase(),
    status,
    approvedAt: null,
    // A cancelled intent that had been authorized was voided: the hold is released.
    reversal: status === 'cancelled' && charged ? 'done' : 'none',
    confirmed: intent.status === 'succeeded',
    lateReversalAllowed: true,
    qrUrl: null,
    declineReason: status === 'declined' ? (intent.last_payment_error?.message ?? STRIPE_TEXT.declined) : null,
    receipt: { scheme, reference: intent.id.slice(-10).toUpperCase(), last4 },
  };
}

/**
 * A refund payment's id: Stripe makes the Refund only when the register completes (confirm),
 * so until then the id names the sale's intent, the refund's paymentid and its amount.
 */
export function refundId(saleIntent: string, paymentid: string, amountMinor: number): string {
  return `refund:${saleIntent}:${amountMinor}:${paymentid}`;
}

/** The parts of a refund id, or null for an intent id. */
export function parseRefundId(id: string): { saleIntent: string; amountMinor: number; paymentid: string } | null {
  const m = /^refund:(pi_[A-Za-z0-9]+):(\d+):(.+)$/.exec(id);
  return m ? { saleIntent: m[1] as string, amountMinor: Number(m[2]), paymentid: m[3] as string } : null;
}
