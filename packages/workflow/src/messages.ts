import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Payment, TargetState } from '@payments/contract';
import type { Admission, PaymentStatus, RefundOutcome, ReserveRefundRequest } from './types';
import type { VersionedView } from './view';

/** The register's view of the payment, as GET /payments/{id} answers it. */
export const paymentQuery = defineQuery<Payment>('payment');
/** The same view with its version: how the API checks (and refreshes) the copy the workflow pushes to it. */
export const viewQuery = defineQuery<VersionedView>('view');
/** The workflow's bookkeeping: reversal state, refunds against a sale. */
export const statusQuery = defineQuery<PaymentStatus>('status');
/** PUT from the register; its validator refuses invalid transitions without touching history. */
export const setStateUpdate = defineUpdate<Payment, [TargetState]>('setState');
/** Answers once a refund is admitted or refused (POST waits on it). */
export const admissionUpdate = defineUpdate<Admission, []>('admission');
/** Sent to a sale by a refund that credits it. */
export const reserveRefundUpdate = defineUpdate<{ remainingMinor: number }, [ReserveRefundRequest]>('reserveRefund');
/** Sent to a sale when a refund that reserved against it ends. */
export const refundFinishedSignal = defineSignal<[RefundOutcome]>('refundFinished');
/** The acquirer told us (a signed callback) that a payment changed: look again now. Harmless if repeated. */
export const acquirerChangedSignal = defineSignal('acquirerChanged');
