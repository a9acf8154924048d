// The workflow's test support that other packages may use: plain data, no Temporal. The
// harness (a worker on the test server with scripted activities) and the history counts stay
// with this package's own tests.
export { LONG, paymentInput } from './inputs';
