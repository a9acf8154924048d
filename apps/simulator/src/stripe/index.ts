export { StripeSim } from './stripe-sim';
export { stripeRoutes } from './stripe-routes';
export { intentObject, stripeLedgerEntries } from './stripe-objects';
