import type { AcquirerPaymentBody, TerminalTransactionBody } from '@payments/contract/wire';
import type { LedgerPayment, TerminalTransaction } from './state';

/** The acquirer's answer about a payment (every /acquirer route answers this shape). */
export function paymentView(rec: LedgerPayment, publicUrl: string): AcquirerPaymentBody {
  return {
    id: rec.id,
    reference: rec.reference,
    merchant: rec.merchant,
    kind: rec.kind,
    method: rec.method,
    amountMinor: rec.amountMinor,
    currencycode: rec.currencycode,
    posid: rec.posid,
    originalReference: rec.originalReference,
    status: rec.status,
    createdAt: rec.createdAt,
    approvedAt: rec.approvedAt,
    reversal: rec.reversal,
    confirmed: rec.confirmed,
    lateReversalAllowed: rec.lateReversalAllowed,
    declineReason: rec.declineReason,
    qrUrl: rec.customerStep ? `${publicUrl}/wallet/${rec.id}` : null,
    receipt: rec.receipt,
  };
}

/** One payment in GET /sim/ledger: the money moved and the events in order. */
export function ledgerEntry(rec: LedgerPayment) {
  return {
    reference: rec.reference,
    id: rec.id,
    merchant: rec.merchant,
    kind: rec.kind,
    method: rec.method,
    currencycode: rec.currencycode,
    amountMinor: rec.amountMinor,
    originalReference: rec.originalReference,
    authorizedMinor: rec.authorizedMinor,
    capturedMinor: rec.capturedMinor,
    voidedMinor: rec.voidedMinor,
    reversedMinor: rec.reversedMinor,
    refundedMinor: rec.refundedMinor,
    status: rec.status,
    reversal: rec.reversal,
    confirmed: rec.confirmed,
    events: rec.events,
  };
}

/** The terminal's answer about a transaction; the card token only once the card is read. */
export function transactionView(tx: TerminalTransaction): TerminalTransactionBody {
  return {
    posid: tx.posid,
    reference: tx.reference,
    kind: tx.kind,
    amountMinor: tx.amountMinor,
    currencycode: tx.currencycode,
    status: tx.status,
    prompt: tx.prompt,
    startedAt: new Date(tx.startedAt).toISOString(),
    cardToken: tx.status === 'card_read' ? tx.cardToken : null,
  };
}
