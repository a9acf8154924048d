import type { Payment, PaymentState } from '@payments/contract';
import { TEXT } from './texts';
import type { PaymentInput } from './types';

/**
 * The register's view of a payment: its request echoed, with the current payment state. The
 * workflow builds every answer with it, and the API builds the first one (before the workflow
 * has run) with the same function, so both always agree on what a new payment looks like.
 */
export function paymentView(input: PaymentInput, paymentstate: PaymentState): Payment {
  const { request } = input;
  return {
    paymentid: input.paymentid,
    creditpaymentid: request.creditpaymentid,
    paymentname: request.paymentname,
    paymentstate,
    amount: request.amount,
    currencycode: request.currencycode,
    storeid: request.storeid,
    storename: request.storename,
    storeexternalid: request.storeexternalid,
    posid: request.posid,
    receiptid: request.receiptid,
    customer: request.customer ?? null,
    cartitems: request.cartitems,
  };
}

/** A payment as it starts: in progress, with the first message the register shows. */
export function initialPaymentView(input: PaymentInput): Payment {
  const message = input.kind === 'refund' ? TEXT.refundStarting : TEXT.starting;
  return paymentView(input, { state: 'inprogress', message, qrcode: null, receiptrow: '', receiptsection: [] });
}

/**
 * The view with its version: the workflow counts every change it makes to the view, so a
 * reader holding two copies keeps the higher one. Versions start at 0 (initialPaymentView).
 */
export interface VersionedView {
  paymentid: string;
  version: number;
  payment: Payment;
}
