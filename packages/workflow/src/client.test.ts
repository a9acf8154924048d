import { paymentStartOptions, readPaymentMemo } from './client';
import { closingMemo } from './memo';
import { SA } from './search-attributes';
import { paymentInput } from './testing';
import { initialPaymentView } from './view';

test('what the API starts a payment with is what it reads back from the memo, with the final view once closed', () => {
  const input = paymentInput();
  const started = paymentStartOptions(input, 'payments', 2);
  expect(readPaymentMemo(started.memo)).toEqual({ merchant: input.merchant, requestHash: input.requestHash, final: null, reservation: null });
  const final = initialPaymentView(input);
  const closed = { ...started.memo, ...closingMemo(final, 'none', { admitted: true }) };
  expect(readPaymentMemo(closed)).toEqual({ merchant: input.merchant, requestHash: input.requestHash, final, reservation: { admitted: true } });
});

test('a memo with missing or malformed fields reads as nulls, never as a wrong answer', () => {
  expect(readPaymentMemo(undefined)).toEqual({ merchant: null, requestHash: null, final: null, reservation: null });
  expect(readPaymentMemo({ merchant: 7, payment: { paymentid: 'x' }, admission: { admitted: false, code: 'other' } })).toEqual({
    merchant: null,
    requestHash: null,
    final: null,
    reservation: null,
  });
});

test('operators find a payment by its store, register, receipt, state and amount in major units', () => {
  const input = paymentInput();
  const { typedSearchAttributes, workflowId, staticSummary } = paymentStartOptions(input, 'payments', 2);
  const value = (key: { name: string }) => typedSearchAttributes.find((a) => a.key.name === key.name)?.value;
  expect(workflowId).toBe(`payment-${input.paymentid}`);
  expect(value(SA.PaymentState)).toBe('inprogress');
  expect(value(SA.StoreId)).toBe(input.request.storeid);
  expect(value(SA.PosId)).toBe(input.request.posid);
  expect(value(SA.PaymentAmount)).toBe(input.amountMinor / 100);
  expect(staticSummary).toContain(`POS ${input.request.posid}`);
});
