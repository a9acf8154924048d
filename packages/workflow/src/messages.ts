import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Payment, TargetState } from '@payments/contract';
import type { PaymentStatus, RefundOutcome, RefundReservation, ReserveRefundRequest } from './types';
import type { VersionedView } from './view';

/** The register's view of the payment, as GET /payments/{id} answers it. */
export const paymentQuery = defineQuery<Payment>('payment');
/** The same view with its version: how the API checks (and refreshes) the copy the workflow pushes to it. */
export const viewQuery = defineQuery<VersionedView>('view');
/** The workflow's bookkeeping: reversal state, refunds against a sale. */
export const statusQuery = defineQuery<PaymentStatus>('status');
/** PUT from the register; its validator refuses invalid transitions without touching history. */
export const setStateUpdate = defineUpdate<Payment, [TargetState]>('setState');
/**
 * Answers once the sale a refund credits has taken or refused its reservation (POST waits on it).
 * The update's name on the wire stays 'admission': running workflows and recorded histories use it.
 */
export const refundReservationUpdate = defineUpdate<RefundReservation, []>('admission');
/** Sent to a sale by a refund that credits it. */
export const reserveRefundUpdate = defineUpdate<{ remainingMinor: number }, [ReserveRefundRequest]>('reserveRefund');
/** Sent to a sale when a refund that reserved against it ends. */
export const refundFinishedSignal = defineSignal<[RefundOutcome]>('refundFinished');
/**
 * The payment's provider has news (the acquirer's signed callback, Stripe's webhook, passed on by
 * the API): read it now. Only a hint, harmless if repeated; the name on the wire stays.
 */
export const acquirerChangedSignal = defineSignal('acquirerChanged');
