import { Type, type Static } from 'typebox';

// The wire of Vipps MobilePay's Report API v2, as far as the reconciliation reads it: the
// ledgers a key may read (GET /settlement/v1/ledgers) and the feed of one ledger's funds
// (GET /report/v2/ledgers/{ledgerId}/{topic}/feed). Written from the API's OpenAPI description
// (vippsas/vipps-report-api docs/swagger.yaml, v2.0); responses are open objects, and entry types
// are open strings because Vipps adds new ones without a new API version.

/** One ledger: the funds of the sales units it settles for (`api:<MSN>` for an ePayment MSN). */
export const VippsLedger = Type.Object(
  {
    ledgerId: Type.String(),
    currency: Type.Optional(Type.String()),
    settlesForRecipientHandles: Type.Array(Type.String()),
  },
  { additionalProperties: true },
);
export type VippsLedger = Static<typeof VippsLedger>;

/** 200 to GET /settlement/v1/ledgers; an empty or absent cursor: no more ledgers. */
export const VippsLedgers = Type.Object({ items: Type.Array(VippsLedger), cursor: Type.Optional(Type.String()) }, { additionalProperties: true });
export type VippsLedgers = Static<typeof VippsLedgers>;

/**
 * One ledger entry. On `capture` and `refund` the reference is the payment's (ours), the amount
 * signed as it moves the balance (a refund is negative) in minor units, the time in UTC.
 */
export const VippsLedgerEntry = Type.Object(
  {
    pspReference: Type.String(),
    time: Type.String(),
    ledgerDate: Type.Optional(Type.String()),
    entryType: Type.String(),
    reference: Type.Optional(Type.String()),
    currency: Type.Optional(Type.String()),
    amount: Type.Integer(),
    balanceBefore: Type.Optional(Type.Integer()),
    balanceAfter: Type.Optional(Type.Integer()),
    recipientHandle: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
export type VippsLedgerEntry = Static<typeof VippsLedgerEntry>;

/**
 * 200 to a report page. On the feed the cursor is always there and `tryLater` says the end is
 * reached (ask again later with the same cursor); on …/dates/{date} `hasMore` says another page
 * follows and `tryLater` that the date is not closed yet.
 */
export const VippsReportPage = Type.Object(
  {
    cursor: Type.Optional(Type.String()),
    hasMore: Type.Optional(Type.Boolean()),
    tryLater: Type.Optional(Type.Boolean()),
    items: Type.Array(VippsLedgerEntry),
  },
  { additionalProperties: true },
);
export type VippsReportPage = Static<typeof VippsReportPage>;
