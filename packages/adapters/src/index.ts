export type { Acquirer, AcquirerPayment, AcquirerReversal, AcquirerStatus, ChangeCall, CreatePayment } from './acquirer';
export type { StartTransaction, Terminal, TerminalStatus, TerminalTransaction } from './terminal';
export {
  AlreadyApprovedError,
  NotFoundError,
  RejectedError,
  ReversalRefusedError,
  TerminalBusyError,
  TransientError,
  isTransient,
} from './errors';
export { HttpAcquirer, createHttpAcquirer } from './http-acquirer';
export { HttpTerminal, createHttpTerminal } from './http-terminal';
export type { HttpClientOptions } from './http-json';
export {
  createStripeProvider,
  createStripeSwishProvider,
  StripeAcquirer,
  StripeSwish,
  StripeTerminal,
  STRIPE_LIMITS,
  type StripeAccountOptions,
  type StripeRequestEvent,
  type StripeRequestMetrics,
} from './stripe';
export {
  createVippsMobilePayProvider,
  VippsAcquirer,
  VippsClient,
  VippsProblemError,
  vippsIdempotencyKey,
  VIPPS_BASE_URLS,
  type VippsMobilePayOptions,
} from './vipps';
export * from './records';
