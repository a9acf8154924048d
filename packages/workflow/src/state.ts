import type { PaymentState, PaymentStateName, TargetState } from '@payments/contract';
import { FAILURE, type Refusal } from './failures';
import { TEXT } from './texts';
import type { CollectUpdate, PaymentInput, PaymentTimers, ReversalState } from './types';

/** Everything the workflow knows about its payment: the register's view plus the money's bookkeeping. */
export interface PaymentRecord extends PaymentState {
  state: PaymentStateName;
  acquirerId: string | null;
  /** The acquirer approved: from here on, a cancel owes a reversal. */
  moneyMoved: boolean;
  /** The acquirer's word on reversing once the register has completed. */
  lateReversalAllowed: boolean;
  reversal: ReversalState;
  /** A cancel came while the collection was still running: the register's PUT, or an operator cancelling the workflow. */
  cancelRequested: boolean;
  /** Workflow time of the register's PUT completed. */
  completedAt: number | null;
}

/** A refusal of the register's PUT, as the contract's 409 names it. */
export type TransitionRefusal = Refusal<typeof FAILURE.invalidState | typeof FAILURE.reversalNotPossible>;

/** The refusal texts: the same words whether the workflow or the API (after close) refuses. */
export const REFUSAL_TEXT = {
  stillInProgress: 'the payment is still in progress',
  cancelled: 'the payment is cancelled',
  noLateReversal: 'the acquirer does not reverse a completed payment',
  windowPassed: 'the late-cancel window has passed',
  refundsCredit: 'refunds already credit this payment',
  closedCompleted: 'the payment is completed and can no longer be reversed',
  endedWhile: (state: PaymentStateName) => `the payment ended while ${state}`,
} as const;

/** A payment as its workflow starts: in progress, nothing moved. */
export function initialRecord(input: PaymentInput): PaymentRecord {
  return {
    state: 'inprogress',
    message: input.kind === 'refund' ? TEXT.refundStarting : TEXT.starting,
    qrcode: null,
    receiptrow: '',
    receiptsection: [],
    acquirerId: null,
    moneyMoved: false,
    lateReversalAllowed: false,
    reversal: 'none',
    cancelRequested: false,
    completedAt: null,
  };
}

/** The part of the record the register sees (paymentstate). */
export function registerView(record: PaymentRecord): PaymentState {
  const { state, message, qrcode, receiptrow, receiptsection } = record;
  return { state, message, qrcode, receiptrow, receiptsection };
}

/** The record in a new state with the message the register shows for it; the QR code goes once it is no longer inprogress. */
export function withState(record: PaymentRecord, state: PaymentStateName, message: string): PaymentRecord {
  return { ...record, state, message, qrcode: state === 'inprogress' ? record.qrcode : null };
}

/** Why a cancel of a completed payment cannot reverse it, or null when it can. */
export function lateCancelRefusal(
  record: PaymentRecord,
  facts: { now: number; timers: Pick<PaymentTimers, 'lateCancelWindowMs'>; refundCount: number },
): string | null {
  if (!record.moneyMoved || !record.lateReversalAllowed) return REFUSAL_TEXT.noLateReversal;
  if (record.completedAt === null || facts.now - record.completedAt > facts.timers.lateCancelWindowMs) return REFUSAL_TEXT.windowPassed;
  if (facts.refundCount > 0) return REFUSAL_TEXT.refundsCredit;
  return null;
}

/**
 * The contract's PUT table: whether the register may move a payment in `state` to `target`.
 * `closed`: the workflow has ended, nothing can move any more (asking for the state it ended in
 * is still a no-op). `lateCancel` says why a completed, open payment cannot be reversed.
 */
export function transitionRefusal(
  state: PaymentStateName,
  target: TargetState,
  facts: { closed: boolean; lateCancel: () => string | null },
): TransitionRefusal | null {
  const invalid = (message: string): TransitionRefusal => ({ type: FAILURE.invalidState, message });
  switch (state) {
    case 'inprogress':
    case 'ready_to_complete':
      if (facts.closed) return invalid(REFUSAL_TEXT.endedWhile(state));
      return state === 'inprogress' && target === 'completed' ? invalid(REFUSAL_TEXT.stillInProgress) : null;
    case 'completed': {
      if (target === 'completed') return null;
      const why = facts.closed ? REFUSAL_TEXT.closedCompleted : facts.lateCancel();
      return why === null ? null : { type: FAILURE.reversalNotPossible, message: why };
    }
    case 'cancelled':
      return target === 'completed' ? invalid(REFUSAL_TEXT.cancelled) : null;
  }
}

/**
 * The record after an accepted PUT. A cancel of money that moved owes a reversal from this
 * moment: operators see it pending even while the workflow still waits on another step (a
 * confirmation the acquirer is down for, say) before it can start it.
 */
export function onRegister(record: PaymentRecord, target: TargetState, facts: { now: number; isRefund: boolean }): PaymentRecord {
  if (target === record.state) return record;
  if (target === 'completed') {
    return { ...withState(record, 'completed', facts.isRefund ? TEXT.refundCompleted : TEXT.completed), completedAt: facts.now };
  }
  const reversal = record.moneyMoved && record.reversal === 'none' ? 'pending' : record.reversal;
  return { ...withState(record, 'cancelled', TEXT.cancelledByRegister), cancelRequested: true, reversal };
}

/**
 * The record after the collection reports, and whether the register's view changed with it
 * (a new prompt, or the end of the payment). An approval changes nothing the register sees
 * yet: the collection phase decides between ready_to_complete and a reversal.
 */
export function onCollect(record: PaymentRecord, update: CollectUpdate): { record: PaymentRecord; viewChanged: boolean } {
  switch (update.status) {
    case 'pending': {
      const acquirerId = update.acquirerId ?? record.acquirerId;
      if (record.state !== 'inprogress') return { record: { ...record, acquirerId }, viewChanged: false };
      // A read after a provider's event often finds the prompt as it was: nothing to push then.
      const viewChanged = update.message !== record.message || update.qrcode !== record.qrcode;
      return { record: { ...record, acquirerId, message: update.message, qrcode: update.qrcode }, viewChanged };
    }
    case 'approved':
      return {
        record: {
          ...record,
          acquirerId: update.acquirerId,
          moneyMoved: true,
          lateReversalAllowed: update.lateReversalAllowed,
          receiptrow: update.receiptrow,
          receiptsection: update.receiptsection,
        },
        viewChanged: false,
      };
    case 'declined':
      if (record.state !== 'inprogress') return { record, viewChanged: false };
      return { record: withState(record, 'cancelled', update.message), viewChanged: true };
    case 'cancelled':
      if (record.state !== 'inprogress') return { record, viewChanged: false };
      return { record: withState(record, 'cancelled', TEXT.cancelledAtTerminal), viewChanged: true };
  }
}

/** Whether money that moved is still owed back (nothing to do once reversed, or when nothing moved). */
export function owesReversal(record: PaymentRecord): boolean {
  return record.moneyMoved && record.acquirerId !== null && record.reversal !== 'done';
}
