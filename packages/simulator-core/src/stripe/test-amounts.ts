/** An issuer's decline as the reader reports it. */
export interface Decline {
  /** Stripe's decline_code. */
  code: string;
  message: string;
}

/** Stripe's physical test card amounts: the last two digits of the amount choose the answer. */
const BY_AMOUNT: Record<number, Decline> = {
  1: { code: 'call_issuer', message: 'The card was declined: call the issuer.' },
  5: { code: 'generic_decline', message: 'Your card was declined.' },
  55: { code: 'incorrect_pin', message: 'The PIN entered is incorrect.' },
  65: { code: 'withdrawal_count_limit_exceeded', message: 'The card has exceeded its withdrawal limit.' },
  75: { code: 'pin_try_exceeded', message: 'Too many PIN attempts.' },
};

/** Stripe's simulated test card numbers that decline. */
const BY_CARD: Record<string, Decline> = {
  '4000000000000002': { code: 'generic_decline', message: 'Your card was declined.' },
  '4000000000009995': { code: 'insufficient_funds', message: 'Your card has insufficient funds.' },
};

/** The decline a payment meets, or null when it is approved. */
export function declineFor(amountMinor: number, cardNumber: string): Decline | null {
  return BY_CARD[cardNumber] ?? BY_AMOUNT[amountMinor % 100] ?? null;
}
