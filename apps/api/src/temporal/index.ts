/** The API's side of Temporal: the client it is handed, deadlines on every call, and which of its errors mean "not now". */
export { Deadline } from './deadline';
export { describePayment } from './describe-payment';
export { isTemporalUnavailable, isUpdateTaskFailure, TemporalDeadlineError } from './temporal-errors';
export type { PaymentsClient, TemporalDeps } from './temporal-client';
export { EVENTS_BEFORE_FIRST_TASK, viewBeforeFirstTask } from './view-before-first-task';
