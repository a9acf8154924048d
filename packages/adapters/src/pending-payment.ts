import type { AcquirerPayment } from './acquirer';

/** What tells one waiting payment from another; the rest is the same while nothing has happened. */
export type PendingPaymentFields = Pick<AcquirerPayment, 'id' | 'reference' | 'kind' | 'method' | 'amountMinor' | 'currencycode' | 'lateReversalAllowed' | 'receipt'>;

/**
 * A payment as we asked for it, before the provider says more: pending, not approved, confirmed
 * or reversed, with no QR and no decline. Providers spread it and set what they know.
 */
export function pendingPayment(fields: PendingPaymentFields): AcquirerPayment {
  return {
    id: fields.id,
    reference: fields.reference,
    kind: fields.kind,
    method: fields.method,
    amountMinor: fields.amountMinor,
    currencycode: fields.currencycode,
    status: 'pending',
    approvedAt: null,
    reversal: 'none',
    confirmed: false,
    lateReversalAllowed: fields.lateReversalAllowed,
    qrUrl: null,
    declineReason: null,
    receipt: fields.receipt,
  };
}
