import type { AcquirerPayment } from '@payments/adapters';
import type { CollectUpdate } from '@payments/workflow';
import { buildReceipt } from './receipt';
import { COLLECT_TEXT } from './texts';

/** What the workflow learns from the acquirer's view of a payment. */
export function toCollectUpdate(payment: AcquirerPayment): CollectUpdate {
  switch (payment.status) {
    case 'pending': {
      const refund = payment.kind === 'refund';
      const generic = payment.qrUrl ? (refund ? COLLECT_TEXT.scanToReceive : COLLECT_TEXT.scanToPay) : COLLECT_TEXT.awaitingAcquirer;
      const message = payment.prompt ?? generic;
      return { status: 'pending', message, qrcode: payment.qrUrl, acquirerId: payment.id };
    }
    case 'approved':
      return { status: 'approved', acquirerId: payment.id, ...buildReceipt(payment), lateReversalAllowed: payment.lateReversalAllowed };
    case 'declined':
      return { status: 'declined', message: payment.declineReason ?? COLLECT_TEXT.declined };
    case 'expired':
      return { status: 'declined', message: COLLECT_TEXT.expired };
    case 'cancelled':
      return { status: 'cancelled' };
  }
}

/** After a cancel: never 'pending' (the workflow treats the answer as final). */
export function toFinalUpdate(payment: AcquirerPayment | null): CollectUpdate {
  if (!payment || payment.status === 'pending') return { status: 'cancelled' };
  return toCollectUpdate(payment);
}
