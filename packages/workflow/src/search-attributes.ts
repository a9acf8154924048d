import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Typed search attributes on every payment workflow, for operators in Temporal Web.
 * temporal/search-attributes.json registers the same names on the server (a test checks).
 */
export const SA = {
  PaymentState: defineSearchAttributeKey('PaymentState', SearchAttributeType.KEYWORD),
  Merchant: defineSearchAttributeKey('Merchant', SearchAttributeType.KEYWORD),
  StoreId: defineSearchAttributeKey('StoreId', SearchAttributeType.KEYWORD),
  PosId: defineSearchAttributeKey('PosId', SearchAttributeType.KEYWORD),
  ReceiptId: defineSearchAttributeKey('ReceiptId', SearchAttributeType.KEYWORD),
  PaymentMethod: defineSearchAttributeKey('PaymentMethod', SearchAttributeType.KEYWORD),
  PaymentKind: defineSearchAttributeKey('PaymentKind', SearchAttributeType.KEYWORD),
  ReversalState: defineSearchAttributeKey('ReversalState', SearchAttributeType.KEYWORD),
  CreditPaymentId: defineSearchAttributeKey('CreditPaymentId', SearchAttributeType.KEYWORD),
  PaymentAmount: defineSearchAttributeKey('PaymentAmount', SearchAttributeType.DOUBLE),
  /** 'mismatch' on a reconciliation's flag of a payment (reconcile/flag-workflow.ts). */
  ReconciliationState: defineSearchAttributeKey('ReconciliationState', SearchAttributeType.KEYWORD),
} as const;
