// A payment as Temporal's visibility lists it, turned into what the reconciliation matches. For
// clients (the reconciliation's activities, the chaos test): not part of the workflow bundle.
import type { TypedSearchAttributes } from '@temporalio/common';
import { CURRENCY_DECIMALS, parseAmount } from '@payments/contract';
import { readPaymentMemo } from '../client';
import { SA } from '../search-attributes';
import type { ReversalState } from '../types';
import type { PaymentFact } from './types';

/** What a listed workflow execution carries that the reconciliation reads (the client's WorkflowExecutionInfo). */
export interface ListedPayment {
  workflowId: string;
  status: { name: string };
  startTime: Date;
  memo?: Record<string, unknown>;
  typedSearchAttributes: TypedSearchAttributes;
}

const REVERSALS: readonly string[] = ['none', 'pending', 'done', 'failed'];

/** A payment as visibility shows it: the closing memo when there is one, the search attributes otherwise. */
export function paymentFact(info: ListedPayment): PaymentFact {
  const sa = info.typedSearchAttributes;
  const memo = readPaymentMemo(info.memo);
  const final = memo.final;
  const reversalMemo = info.memo?.reversal;
  const reversalRaw = typeof reversalMemo === 'string' ? reversalMemo : (sa.get(SA.ReversalState) ?? 'none');
  const currencycode = final?.currencycode ?? '';
  const parsed = final ? parseAmount(final.amount, final.currencycode) : null;
  // A payment with no closing memo (its workflow still runs, or ended abnormally) is known by its search attributes.
  const fromSa = Math.round(Math.abs(sa.get(SA.PaymentAmount) ?? 0) * 10 ** (CURRENCY_DECIMALS[currencycode] ?? 2));
  return {
    paymentid: info.workflowId.replace(/^payment-/, ''),
    merchant: sa.get(SA.Merchant) ?? memo.merchant ?? '',
    storeid: final?.storeid ?? sa.get(SA.StoreId) ?? '',
    method: sa.get(SA.PaymentMethod) === 'card' ? 'card' : 'wallet',
    kind: sa.get(SA.PaymentKind) === 'refund' ? 'refund' : 'sale',
    amountMinor: parsed?.ok ? Math.abs(parsed.minor) : fromSa,
    currencycode,
    state: final?.paymentstate.state ?? sa.get(SA.PaymentState) ?? 'unknown',
    closed: info.status.name !== 'RUNNING',
    reversal: (REVERSALS.includes(reversalRaw) ? reversalRaw : 'none') as ReversalState,
    creditpaymentid: final?.creditpaymentid ?? sa.get(SA.CreditPaymentId) ?? null,
    startedAt: info.startTime.toISOString(),
  };
}
