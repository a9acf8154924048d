/** The acquirer's signed callbacks, which nudge a payment's workflow. */
export { signalAcquirerChanged } from './acquirer-notifier';
export { type AcquirerNotifier, callbackRouter } from './callback-router';
