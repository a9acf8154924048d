import { Compile } from 'typebox/compile';
import { CURRENCY_DECIMALS, PaymentRequest, parseAmount } from '@payments/contract';
import type { NormalisedRequest, PaymentKind } from '@payments/workflow';
import { assertValid, SpiError } from '../http';
import { isPaymentId } from './payment-id';

const checkPaymentRequest = Compile(PaymentRequest);

/** A POST /payments body, validated and with every optional field filled. */
export interface ParsedPaymentRequest {
  request: NormalisedRequest;
  kind: PaymentKind;
  /** Signed, in minor units. */
  amountMinor: number;
  /** The currency's number of decimals, to state the amount in major units. */
  decimals: number;
}

/**
 * Validates a POST /payments body against the contract: schema first (field-missing, field-type,
 * field-validation with the field's path), then the amount against its currency, then the rule
 * that only a refund may credit another payment. Unknown fields are accepted and dropped.
 */
export function parsePaymentRequest(body: unknown): ParsedPaymentRequest {
  assertValid(checkPaymentRequest, body);
  if (CURRENCY_DECIMALS[body.currencycode] === undefined) {
    throw new SpiError('field-validation', `currencycode ${JSON.stringify(body.currencycode)} is not a supported ISO 4217 code`, 'currencycode');
  }
  const amount = parseAmount(body.amount, body.currencycode);
  if (!amount.ok) throw new SpiError('field-validation', amount.reason, 'amount');
  const kind: PaymentKind = amount.minor < 0 ? 'refund' : 'sale';
  const creditpaymentid = body.creditpaymentid ?? null;
  if (creditpaymentid !== null) {
    if (kind === 'sale') {
      throw new SpiError('field-validation', 'creditpaymentid is only allowed on a refund (a negative amount)', 'creditpaymentid');
    }
    if (!isPaymentId(creditpaymentid)) {
      throw new SpiError('field-validation', 'creditpaymentid is not a paymentid', 'creditpaymentid');
    }
  }
  const request: NormalisedRequest = {
    creditpaymentid,
    paymentname: body.paymentname ?? '',
    amount: body.amount,
    currencycode: body.currencycode,
    storeid: body.storeid ?? '',
    storename: body.storename ?? '',
    storeexternalid: body.storeexternalid ?? null,
    posid: body.posid,
    receiptid: body.receiptid ?? '',
    customer: body.customer ?? null,
    cartitems: body.cartitems ?? [],
  };
  return { request, kind, amountMinor: amount.minor, decimals: amount.decimals };
}
