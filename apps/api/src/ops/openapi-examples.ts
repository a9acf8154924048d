import { buildPaymentRequest, type ErrorBody, type ErrorCode, type Payment, type PaymentRequest, type SetStateRequest } from '@payments/contract';

// Examples for the OpenAPI document and the docs page. The requests are the contract's own
// buildPaymentRequest bodies; everything is typed with the contract's types and checked against
// its schemas in openapi.test.ts, so an example can't drift from the contract.

export const SALE_REQUEST: PaymentRequest = buildPaymentRequest('398.00', { receiptid: 'SIE000016000005112345' });

export const REFUND_REQUEST: PaymentRequest = buildPaymentRequest('-129.00', {
  creditpaymentid: '8d0c6d8e-7c3b-4f0e-9d55-2a7f3c1b9e01',
  receiptid: 'SIE000016000005112399',
});

const base = { ...SALE_REQUEST, paymentid: '8d0c6d8e-7c3b-4f0e-9d55-2a7f3c1b9e01', cartitems: SALE_REQUEST.cartitems ?? [] } as const;

export const PAYMENT_INPROGRESS: Payment = {
  ...base,
  creditpaymentid: null,
  paymentname: 'Custom Payment',
  storeid: '1',
  storename: 'Flagship',
  storeexternalid: 'FS-1',
  receiptid: 'SIE000016000005112345',
  customer: { mobile: '+46701234567' },
  paymentstate: {
    state: 'inprogress',
    message: 'Scan the QR code with your wallet app',
    qrcode: 'https://wallet.example.com/pay/8d0c6d8e',
    receiptrow: '',
    receiptsection: [],
  },
};

export const PAYMENT_READY: Payment = {
  ...PAYMENT_INPROGRESS,
  paymentstate: {
    state: 'ready_to_complete',
    message: 'Payment approved',
    qrcode: null,
    receiptrow: 'Wallet payment ref 8F3A21',
    receiptsection: ['Wallet\tSwish', 'Ref\t8F3A21', 'Amount\t398.00 SEK'],
  },
};

export const PAYMENT_COMPLETED: Payment = {
  ...PAYMENT_READY,
  paymentstate: { ...PAYMENT_READY.paymentstate, state: 'completed', message: 'Payment completed' },
};

export const PAYMENT_CANCELLED: Payment = {
  ...PAYMENT_READY,
  paymentstate: { ...PAYMENT_READY.paymentstate, state: 'cancelled', message: 'Payment cancelled and reversed' },
};

export const SET_STATE_COMPLETED: SetStateRequest = { paymentstate: { state: 'completed' } };
export const SET_STATE_CANCELLED: SetStateRequest = { paymentstate: { state: 'cancelled' } };
export const SET_STATE_BARE: SetStateRequest = { state: 'cancelled' };

const ERROR_EXAMPLE: Record<ErrorCode, ErrorBody['error_data']> = {
  'bad-request': { message: 'the body is not valid JSON' },
  'field-missing': { message: 'amount is required', field: 'amount' },
  'field-type': { message: 'cartitems.0.quantity must be a number', field: 'cartitems.0.quantity' },
  'field-validation': { message: 'SEK allows at most 2 decimals', field: 'amount' },
  unauthorized: { message: 'missing or wrong credentials' },
  'not-found': { message: 'no such payment' },
  'invalid-state': { message: 'the payment is inprogress' },
  'reversal-not-possible': { message: 'the payment is completed and can no longer be reversed' },
  'payload-too-large': { message: 'the body is larger than 262144 bytes' },
  'refund-exceeds-original': { message: 'the refunds of this sale would exceed 398.00 SEK' },
  'idempotency-conflict': { message: 'this Idempotency-Key was used with a different request' },
  'too-many-requests': { message: 'too many requests, retry later' },
  other: { message: 'internal error' },
  unavailable: { message: 'the payment service is temporarily unavailable, try again' },
};

/** The error body a register gets for `code`. */
export function errorExample(code: ErrorCode): ErrorBody {
  return { error_code: code, error_data: ERROR_EXAMPLE[code], request_id: '4f6c2a9e-5b1d-4c7a-8e3f-0a9b8c7d6e5f' };
}
