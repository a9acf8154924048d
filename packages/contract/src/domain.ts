/** A sale moves money to the merchant; a refund (a negative amount) gives it back to the customer. */
export type PaymentKind = 'sale' | 'refund';

/** How the customer pays: with a wallet app on their phone (a QR code), or by card on the register's terminal. */
export type PaymentMethod = 'wallet' | 'card';
