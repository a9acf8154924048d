export * from './types';
export type { PaymentActivities } from './activities';
export * from './messages';
export * from './search-attributes';
export * from './ids';
export { TEXT } from './texts';
export { NON_RETRYABLE, paymentWorkflow } from './payment-workflow';
export { initialPaymentView, paymentView, type VersionedView } from './view';
export type { PaymentViewSinks } from './view-sink';
