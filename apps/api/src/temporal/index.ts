/** The API's side of Temporal: the client it is handed, and deadlines on every call. */
export { Deadline } from './deadline';
export { describePayment } from './describe-payment';
export type { PaymentsClient, TemporalDeps } from './temporal-client';
