// The wire of the acquirer's and the card terminals' HTTP APIs (apps/simulator/README.md), and
// of Vipps MobilePay's ePayment API (./vipps): one TypeBox schema per body, read by the HTTP
// adapters and checked by the simulator.
export { AcquirerPaymentBody, AcquirerReversal, AcquirerStatus, CreatePaymentBody } from './acquirer';
export { StartTransactionBody, TerminalStatus, TerminalTransactionBody } from './terminal';
export { WireErrorBody } from './error-body';
export {
  VippsAccessToken,
  VippsAggregate,
  VippsAmount,
  VippsCreatePaymentRequest,
  VippsCreatePaymentResponse,
  VippsCurrency,
  VippsEventName,
  VippsModificationRequest,
  VippsModificationResponse,
  VippsMsn,
  VippsPayment,
  VippsPaymentEvent,
  VippsPaymentEvents,
  VippsProblem,
  VippsQrFormat,
  VippsReference,
  VippsRegisterWebhookRequest,
  VippsRegisterWebhookResponse,
  VippsState,
  VippsUserFlow,
  VippsWebhookEvent,
  VippsWebhookEventType,
} from './vipps';
export { VippsLedger, VippsLedgerEntry, VippsLedgers, VippsReportPage } from './vipps-report';
