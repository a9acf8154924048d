export * from './types';
export type { PaymentActivities } from './activities';
export * from './messages';
export * from './search-attributes';
export * from './ids';
export { TEXT } from './texts';
export { FAILURE, NON_RETRYABLE, refusalOf, toApplicationFailure, type FailureType, type Refusal } from './failures';
export {
  REFUSAL_TEXT,
  initialRecord,
  lateCancelRefusal,
  onCollect,
  onRegister,
  owesReversal,
  registerView,
  transitionRefusal,
  withState,
  type PaymentRecord,
  type TransitionRefusal,
} from './state';
export {
  withRefundFinished,
  refundTotal,
  refundWindowOpen,
  remainingMinor,
  reservationRefusal,
  withReservation,
  type RefundBook,
  type ReservationRefusal,
} from './refunds';
export { paymentWorkflow } from './payment-workflow';
export { initialPaymentView, paymentView, type VersionedView } from './view';
export type { PaymentViewSinks } from './view-sink';
export { confirmationWaitMs, registerAnsweredSignal, START_NOT_CONFIRMED, type StartConfirmation } from './start-gate';
export { paymentStartOptions, readPaymentMemo } from './client';
export { closingMemo, startMemo, type PaymentMemo } from './memo';
export * from './reconcile';
export { paymentFact, type ListedPayment } from './reconcile/payment-fact';
