/** A sale moves money to the merchant; a refund (a negative amount) gives it back to the customer. */
export const PAYMENT_KINDS = ['sale', 'refund'] as const;
export type PaymentKind = (typeof PAYMENT_KINDS)[number];

/** How the customer pays: with a wallet app on their phone (a QR code), or by card on the register's terminal. */
export const PAYMENT_METHODS = ['wallet', 'card'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
