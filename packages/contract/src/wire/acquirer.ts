import { Type, type Static } from 'typebox';
import { CurrencyCode, Kind, Method, MinorUnits, Nullable, WireId } from './fields';

/** Where a payment stands at the acquirer. */
export const AcquirerStatus = Type.Enum(['pending', 'approved', 'declined', 'cancelled', 'expired']);
export type AcquirerStatus = Static<typeof AcquirerStatus>;

/** Whether approved money was given back. */
export const AcquirerReversal = Type.Enum(['none', 'done', 'refused']);
export type AcquirerReversal = Static<typeof AcquirerReversal>;

/** POST /acquirer/v1/payments: what we ask the acquirer to collect or pay back. */
export const CreatePaymentBody = Type.Object({
  /** Our paymentid: unique at the acquirer, so a retried create never moves money twice. */
  reference: WireId(),
  merchant: WireId(),
  kind: Kind,
  method: Method,
  amountMinor: MinorUnits,
  currencycode: CurrencyCode,
  posid: WireId(),
  /** The sale's reference, for a refund paid straight back to its payer. */
  originalReference: Nullable(WireId()),
  /** From the terminal, for card payments. */
  cardToken: Type.Optional(WireId(256)),
});
export type CreatePaymentBody = Static<typeof CreatePaymentBody>;

/** The acquirer's answer about one payment: every /acquirer/v1 route that finds one answers it. */
export const AcquirerPaymentBody = Type.Object({
  id: WireId(),
  reference: WireId(),
  merchant: Type.String(),
  kind: Kind,
  method: Method,
  amountMinor: MinorUnits,
  currencycode: CurrencyCode,
  posid: Type.String(),
  originalReference: Nullable(Type.String()),
  status: AcquirerStatus,
  createdAt: Type.String(),
  approvedAt: Nullable(Type.String()),
  reversal: AcquirerReversal,
  confirmed: Type.Boolean(),
  /** Whether the scheme still reverses once the register has confirmed. */
  lateReversalAllowed: Type.Boolean(),
  declineReason: Nullable(Type.String()),
  /** The customer's wallet page while they must scan; null when no customer step. */
  qrUrl: Nullable(Type.String()),
  receipt: Type.Object({ scheme: Type.String(), reference: Type.String(), last4: Nullable(Type.String()) }),
});
export type AcquirerPaymentBody = Static<typeof AcquirerPaymentBody>;
