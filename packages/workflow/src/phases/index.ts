export { afterCompletion } from './after-completion';
export { awaitRegister } from './await-register';
export { collectMoney } from './collect-money';
export type { PaymentRun } from './run';
export { reserveOnSale } from './reserve-on-sale';
export { reverse } from './reverse';
export { shortCall } from './steps';
export { stopOnCancellation } from './stop-on-cancellation';
