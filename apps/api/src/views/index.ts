/** The payment views that the workflows push, and the listener that receives them. */
export { PaymentViews } from './payment-views';
export { createViewPushServer } from './view-push-server';
