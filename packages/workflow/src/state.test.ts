import type { PaymentStateName, TargetState } from '@payments/contract';
import { FAILURE } from './failures';
import { initialRecord, lateCancelRefusal, onCollect, onRegister, REFUSAL_TEXT, transitionRefusal, type PaymentRecord } from './state';
import { paymentInput } from './testing';
import { TEXT } from './texts';

const open = { closed: false, lateCancel: () => null };
const approved: PaymentRecord = {
  ...initialRecord(paymentInput()),
  state: 'completed',
  acquirerId: 'acq-1',
  moneyMoved: true,
  lateReversalAllowed: true,
  completedAt: 1_000,
};

describe('the register’s PUT table (transitionRefusal)', () => {
  const table: [PaymentStateName, TargetState, string | null][] = [
    ['inprogress', 'completed', FAILURE.invalidState],
    ['inprogress', 'cancelled', null],
    ['ready_to_complete', 'completed', null],
    ['ready_to_complete', 'cancelled', null],
    ['completed', 'completed', null],
    ['completed', 'cancelled', null],
    ['cancelled', 'completed', FAILURE.invalidState],
    ['cancelled', 'cancelled', null],
  ];
  test.each(table)('open payment %s, PUT %s → %s', (state, target, type) => {
    expect(transitionRefusal(state, target, open)?.type ?? null).toBe(type);
  });

  test('completed, PUT cancelled when the late cancel is refused → reversal-not-possible with its reason', () => {
    expect(transitionRefusal('completed', 'cancelled', { closed: false, lateCancel: () => REFUSAL_TEXT.windowPassed })).toEqual({
      type: FAILURE.reversalNotPossible,
      message: 'the late-cancel window has passed',
    });
  });

  test('after close, only the state it ended in is a no-op', () => {
    const closed = { closed: true, lateCancel: () => null };
    expect(transitionRefusal('completed', 'completed', closed)).toBeNull();
    expect(transitionRefusal('cancelled', 'cancelled', closed)).toBeNull();
    expect(transitionRefusal('completed', 'cancelled', closed)).toEqual({
      type: FAILURE.reversalNotPossible,
      message: 'the payment is completed and can no longer be reversed',
    });
    expect(transitionRefusal('cancelled', 'completed', closed)).toEqual({ type: FAILURE.invalidState, message: 'the payment is cancelled' });
    expect(transitionRefusal('ready_to_complete', 'completed', closed)).toEqual({
      type: FAILURE.invalidState,
      message: 'the payment ended while ready_to_complete',
    });
  });
});

describe('late cancel (lateCancelRefusal)', () => {
  const timers = { lateCancelWindowMs: 500 };
  test('inside the window, money moved, no refunds → reversible', () => {
    expect(lateCancelRefusal(approved, { now: 1_500, timers, refundCount: 0 })).toBeNull();
  });
  test('one ms past the window → refused', () => {
    expect(lateCancelRefusal(approved, { now: 1_501, timers, refundCount: 0 })).toBe(REFUSAL_TEXT.windowPassed);
  });
  test('the acquirer does not reverse completed payments (.54) → refused', () => {
    expect(lateCancelRefusal({ ...approved, lateReversalAllowed: false }, { now: 1_000, timers, refundCount: 0 })).toBe(REFUSAL_TEXT.noLateReversal);
  });
  test('a refund already credits the sale → refused', () => {
    expect(lateCancelRefusal(approved, { now: 1_000, timers, refundCount: 1 })).toBe(REFUSAL_TEXT.refundsCredit);
  });
});

describe('what the register’s PUT does (onRegister)', () => {
  const ready: PaymentRecord = { ...approved, state: 'ready_to_complete', completedAt: null, message: TEXT.approved };
  test('completed: the completion time is kept, the message changes', () => {
    expect(onRegister(ready, 'completed', { now: 42, isRefund: false })).toMatchObject({ state: 'completed', completedAt: 42, message: TEXT.completed });
  });
  test('cancelled with money moved: the reversal is owed (pending) at once', () => {
    expect(onRegister(ready, 'cancelled', { now: 42, isRefund: false })).toMatchObject({
      state: 'cancelled',
      reversal: 'pending',
      cancelRequested: true,
    });
  });
  test('cancelled before anything moved: nothing owed', () => {
    expect(onRegister(initialRecord(paymentInput()), 'cancelled', { now: 42, isRefund: false }).reversal).toBe('none');
  });
  test('the state it is already in: the same record', () => {
    expect(onRegister(ready, 'completed', { now: 1, isRefund: false })).not.toBe(ready);
    const done = onRegister(ready, 'completed', { now: 1, isRefund: false });
    expect(onRegister(done, 'completed', { now: 2, isRefund: false })).toBe(done);
  });
});

describe('what the collection reports (onCollect)', () => {
  const start = initialRecord(paymentInput());
  test('a new prompt while inprogress changes the view: message and QR code', () => {
    const { record, viewChanged } = onCollect(start, { status: 'pending', message: 'Scan', qrcode: 'http://qr', acquirerId: 'a' });
    expect(viewChanged).toBe(true);
    expect(record).toMatchObject({ message: 'Scan', qrcode: 'http://qr', acquirerId: 'a' });
  });
  test('the same prompt again (a read that found nothing new) leaves the view as it was', () => {
    const shown = onCollect(start, { status: 'pending', message: 'Scan', qrcode: 'http://qr', acquirerId: 'a' }).record;
    expect(onCollect(shown, { status: 'pending', message: 'Scan', qrcode: 'http://qr', acquirerId: 'a' })).toEqual({ record: shown, viewChanged: false });
  });
  test('an approval records the money and the receipt, but the register sees it only at ready_to_complete', () => {
    const { record, viewChanged } = onCollect(start, {
      status: 'approved',
      acquirerId: 'a',
      receiptrow: 'row',
      receiptsection: ['x'],
      lateReversalAllowed: false,
    });
    expect(viewChanged).toBe(false);
    expect(record).toMatchObject({ state: 'inprogress', moneyMoved: true, lateReversalAllowed: false, receiptsection: ['x'] });
  });
  test('a decline cancels with its message; after the register cancelled, it changes nothing', () => {
    expect(onCollect(start, { status: 'declined', message: 'No' }).record).toMatchObject({ state: 'cancelled', message: 'No' });
    const cancelled = onRegister(start, 'cancelled', { now: 0, isRefund: false });
    expect(onCollect(cancelled, { status: 'declined', message: 'No' })).toEqual({ record: cancelled, viewChanged: false });
  });
});
