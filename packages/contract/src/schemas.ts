import { Type, type Static, type TUnsafe } from 'typebox';
import { D } from './fields';
import { ERROR_CODES } from './errors';

/** A decimal string; its value is checked against the currency by parseAmount. */
const Decimal = Type.String({ maxLength: 32, examples: ['398.00'] });
/**
 * One string literal per value, as an `anyOf` of `const`s, typed as those values. TypeBox types
 * a union by the tuple of its members, which a list built at run time (`ERROR_CODES`) is not.
 */
function LiteralUnion<const Values extends readonly string[]>(values: Values): TUnsafe<Values[number]> {
  return Type.Unsafe<Values[number]>(Type.Union(values.map((v) => Type.Literal(v))));
}
/** Ids from the register: printable, bounded. */
const Id = (description: string) => Type.String({ minLength: 1, maxLength: 128, description });

/**
 * The payment states in the one order a payment moves through them: it may skip a state (a
 * cancel in `inprogress`), but never goes back to an earlier one (a late cancel turns
 * `completed` into `cancelled`, the last).
 */
export const PAYMENT_STATES = ['inprogress', 'ready_to_complete', 'completed', 'cancelled'] as const;
export type PaymentStateName = (typeof PAYMENT_STATES)[number];
/** Whether a payment in state `a` has moved on from `b`: a view in `b` is then older than one in `a`. */
export function isLaterState(a: PaymentStateName, b: PaymentStateName): boolean {
  return PAYMENT_STATES.indexOf(a) > PAYMENT_STATES.indexOf(b);
}
export const StateName = LiteralUnion(PAYMENT_STATES);

export const Discount = Type.Object(
  {
    name: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    total: Type.Optional(Decimal),
    vat: Type.Optional(Decimal),
    discountid: Type.Optional(Type.Union([Type.String(), Type.Number(), Type.Null()])),
    discountcode: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  },
  { additionalProperties: true },
);
export type Discount = Static<typeof Discount>;

export const CartItem = Type.Object(
  {
    itemid: Type.Optional(Type.Union([Type.String(), Type.Number()])),
    sku: Type.Optional(Type.String()),
    productname: Type.Optional(Type.String()),
    productname2: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    note: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    vatvalue: Type.Optional(Type.Number()),
    total: Type.Optional(Decimal),
    vat: Type.Optional(Decimal),
    manual_discount: Type.Optional(Decimal),
    manual_discountvat: Type.Optional(Decimal),
    manual_discountname: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    quantity: Type.Optional(Type.Number()),
    unitsize: Type.Optional(Type.Union([Type.String(), Type.Number(), Type.Null()])),
    unitlabel: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    discounts: Type.Optional(Type.Array(Discount, { maxItems: 100 })),
  },
  { additionalProperties: true },
);
export type CartItem = Static<typeof CartItem>;

export const Customer = Type.Object(
  { mobile: Type.Optional(Type.Union([Type.String({ maxLength: 32 }), Type.Null()])) },
  { additionalProperties: true },
);
export type Customer = Static<typeof Customer>;

/** POST /payments body, field names exactly as Sitoo writes them. Unknown fields are accepted. */
export const PaymentRequest = Type.Object(
  {
    creditpaymentid: Type.Optional(Type.Union([Id('paymentid of the sale this refund credits'), Type.Null()])),
    paymentname: Type.Optional(Type.String({ maxLength: 128 })),
    amount: Decimal,
    currencycode: Type.String({ minLength: 3, maxLength: 3, description: 'ISO 4217' }),
    storeid: Type.Optional(Type.String({ maxLength: 128 })),
    storename: Type.Optional(Type.String({ maxLength: 256 })),
    storeexternalid: Type.Optional(Type.Union([Type.String({ maxLength: 128 }), Type.Null()])),
    posid: Id('the register'),
    receiptid: Type.Optional(Type.String({ maxLength: 128 })),
    customer: Type.Optional(Type.Union([Customer, Type.Null()])),
    cartitems: Type.Optional(Type.Array(CartItem, { maxItems: 1000 })),
  },
  { additionalProperties: true },
);
export type PaymentRequest = Static<typeof PaymentRequest>;

/** What the register shows and prints; `message` and `qrcode` are our names ([D]). */
export const PaymentState = Type.Object({
  state: StateName,
  [D.message]: Type.String(),
  [D.qrcode]: Type.Union([Type.String(), Type.Null()]),
  receiptrow: Type.String(),
  receiptsection: Type.Array(Type.String()),
});
export type PaymentState = Static<typeof PaymentState>;

/** The payment as GET answers it (Sitoo's CpaPayment). */
export const Payment = Type.Object({
  paymentid: Type.String(),
  creditpaymentid: Type.Union([Type.String(), Type.Null()]),
  paymentname: Type.String(),
  paymentstate: PaymentState,
  amount: Type.String(),
  currencycode: Type.String(),
  storeid: Type.String(),
  storename: Type.String(),
  storeexternalid: Type.Union([Type.String(), Type.Null()]),
  posid: Type.String(),
  receiptid: Type.String(),
  customer: Type.Union([Customer, Type.Null()]),
  cartitems: Type.Array(CartItem),
});
export type Payment = Static<typeof Payment>;

/** States the register may set. */
export const TargetState = Type.Union([Type.Literal('completed'), Type.Literal('cancelled')]);
export type TargetState = Static<typeof TargetState>;

/** PUT body: `{ "paymentstate": { "state": … } }`, or the bare `{ "state": … }`. */
export const SetStateRequest = Type.Union([
  Type.Object({ paymentstate: Type.Object({ state: Type.String() }, { additionalProperties: true }) }, { additionalProperties: true }),
  Type.Object({ state: Type.String() }, { additionalProperties: true }),
]);
export type SetStateRequest = Static<typeof SetStateRequest>;

/** The id in the path: our paymentids are UUIDs, but any bounded printable id is looked up. */
export const PaymentIdParam = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._~-]+$' });

export const ErrorBody = Type.Object({
  error_code: LiteralUnion(ERROR_CODES),
  error_data: Type.Object({ message: Type.String(), field: Type.Optional(Type.String()) }, { additionalProperties: true }),
  request_id: Type.String(),
});
export type ErrorBody = Static<typeof ErrorBody>;
