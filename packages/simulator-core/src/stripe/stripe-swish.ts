import { StripeWireError } from './stripe-wire-error';
import type { StripeIntentRecord } from './stripe-state';

/**
 * Swish's rules as Stripe applies them (docs/providers/stripe-swish.md says which are Stripe's
 * words and which are inferred): SEK only, no manual capture, Stripe's minimum charge for SEK
 * (kr 3.00), and a payment request the customer must answer within 3 minutes.
 */
export const SWISH_RULES = Object.freeze({ currency: 'sek', minimumMinor: 300, expiryMs: 3 * 60_000 });

/** What the Swish "app" says when it answers, as the intent's last_payment_error message. */
export const SWISH_TEXT = {
  declined: 'The customer declined the payment in Swish.',
  expired: 'The Swish payment request expired before the customer paid.',
} as const;

/**
 * How the simulated Swish customer behaves: `pays` answers every QR after SIM_APPROVE_DELAY_MS
 * (declining the amounts Stripe's test amounts decline, never answering .52); `waits` leaves
 * every QR to a person on the pay page. `expiryMs`: how long a QR stays payable.
 */
export interface SwishCustomer {
  mode: 'pays' | 'waits';
  expiryMs: number;
}

export const DEFAULT_SWISH_CUSTOMER: SwishCustomer = Object.freeze({ mode: 'pays', expiryMs: SWISH_RULES.expiryMs });

/** Refuses a Swish intent Stripe would refuse at create, with Stripe's codes. */
export function checkSwishIntent({ amount, currency, captureMethod }: { amount: number; currency: string; captureMethod: string }): void {
  if (currency !== SWISH_RULES.currency) {
    throw new StripeWireError(400, 'invalid_request_error', `The currency provided (${currency}) is invalid. Payments with swish support the following currencies: sek.`, {
      code: 'payment_intent_invalid_parameter',
      param: 'currency',
    });
  }
  if (amount < SWISH_RULES.minimumMinor) {
    throw new StripeWireError(400, 'invalid_request_error', 'Amount must be at least kr3.00 sek', { code: 'amount_too_small', param: 'amount' });
  }
  if (captureMethod === 'manual') {
    throw new StripeWireError(400, 'invalid_request_error', 'The payment method type swish does not support capture_method manual.', {
      code: 'payment_intent_invalid_parameter',
      param: 'capture_method',
    });
  }
}

/** An intent's next_action while its Swish QR awaits the customer, as Stripe renders it. */
export function swishNextAction(rec: StripeIntentRecord) {
  if (rec.status !== 'requires_action' || !rec.swish) return null;
  const { qrData, expiresAt } = rec.swish;
  return {
    type: 'swish_handle_redirect_or_display_qr_code',
    swish_handle_redirect_or_display_qr_code: {
      hosted_instructions_url: qrData,
      mobile_auth_url: qrData,
      qr_code: { data: qrData, expires_at: Math.floor(expiresAt / 1000), image_url_png: `${qrData}/qr.png`, image_url_svg: `${qrData}/qr.svg` },
    },
  };
}

/** A Swish charge's payment_method_details. */
export function swishPaymentDetails(rec: StripeIntentRecord) {
  return {
    type: 'swish',
    swish: { fingerprint: `fp_${rec.id.slice(-8)}`, payment_reference: rec.swish?.reference ?? null, verified_phone_last4: rec.swish?.phoneLast4 ?? null },
  };
}
