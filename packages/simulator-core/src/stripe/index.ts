export { StripeSim } from './stripe-sim';
export { stripeRoutes } from './stripe-routes';
export { stripeFaultRoutes } from './stripe-fault-routes';
export { intentObject, stripeLedgerEntries } from './stripe-objects';
