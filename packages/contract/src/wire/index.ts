// The wire of the acquirer's and the card terminals' HTTP APIs (apps/simulator/README.md): one
// TypeBox schema per body, read by the HTTP adapters and checked by the simulator.
export { AcquirerPaymentBody, AcquirerReversal, AcquirerStatus, CreatePaymentBody } from './acquirer';
export { StartTransactionBody, TerminalStatus, TerminalTransactionBody } from './terminal';
export { WireErrorBody } from './error-body';
