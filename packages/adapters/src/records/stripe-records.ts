import type Stripe from 'stripe';
import { StripeAccount, type StripeAccountOptions } from '../stripe/stripe-account';
import type { ProviderRecord, ProviderRecords, RecordPageRequest } from './provider-records';

/** Where a Stripe reading stands: its PaymentIntents first, then its Refunds, each after an object id. */
interface StripeCursor {
  side: 'intents' | 'refunds';
  after: string | null;
}

/** Stripe's lists answer at most 100 objects a call. */
const STRIPE_MAX_LIMIT = 100;

const iso = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString();

/** A sale's PaymentIntent as a record: held while requires_capture, captured once received, voided when cancelled after authorizing. */
export function intentRecord(intent: Stripe.PaymentIntent, merchant: string): ProviderRecord {
  // A declined attempt leaves a failed charge: only a succeeded one held the payer's money.
  const charge = intent.latest_charge;
  const authorized = typeof charge === 'object' && charge !== null && charge.status === 'succeeded';
  return {
    provider: 'stripe',
    id: intent.id,
    reference: intent.metadata.paymentid ?? null,
    merchant: intent.metadata.merchant ?? merchant,
    kind: 'sale',
    currencycode: intent.currency.toUpperCase(),
    amountMinor: intent.amount,
    createdAt: iso(intent.created),
    heldMinor: intent.status === 'requires_capture' ? intent.amount_capturable : 0,
    capturedMinor: intent.amount_received,
    refundedMinor: 0,
    reversedMinor: 0,
    voidedMinor: intent.status === 'canceled' && authorized ? intent.amount - intent.amount_received : 0,
  };
}

/**
 * A Refund as a record: a reversal of a sale (metadata.purpose 'reversal') counts under the
 * sale's paymentid; any other is a refund payment of ours (its own paymentid), or, without one,
 * money paid back that no payment of ours asked for.
 */
export function refundRecord(refund: Stripe.Refund, merchant: string): ProviderRecord {
  const paid = refund.status === 'succeeded' || refund.status === 'pending' ? refund.amount : 0;
  const reversal = refund.metadata?.purpose === 'reversal';
  return {
    provider: 'stripe',
    id: refund.id,
    reference: refund.metadata?.paymentid || null,
    merchant: refund.metadata?.merchant ?? merchant,
    kind: reversal ? 'sale' : 'refund',
    currencycode: refund.currency.toUpperCase(),
    amountMinor: refund.amount,
    createdAt: iso(refund.created),
    heldMinor: 0,
    capturedMinor: 0,
    refundedMinor: reversal ? 0 : paid,
    reversedMinor: reversal ? paid : 0,
    voidedMinor: 0,
  };
}

/**
 * A Stripe merchant's books for a period: its PaymentIntents, then its Refunds, listed by
 * creation. Every call goes through the account's budget as a poll, so reading a day waits
 * behind every payment's own steps and never takes the account past Stripe's rate limit.
 */
export function createStripeRecords(options: Pick<StripeAccountOptions, 'merchant' | 'secretKey' | 'apiUrl' | 'timeoutMs' | 'metrics'>): ProviderRecords {
  const account = new StripeAccount({ ...options, readers: {} });
  return {
    provider: 'stripe',
    async listRecords(req: RecordPageRequest) {
      const at: StripeCursor = req.cursor === null ? { side: 'intents', after: null } : (JSON.parse(req.cursor) as StripeCursor);
      const params = {
        created: { gte: Math.floor(Date.parse(req.from) / 1000), lt: Math.ceil(Date.parse(req.to) / 1000) },
        limit: Math.min(req.limit, STRIPE_MAX_LIMIT),
        ...(at.after !== null ? { starting_after: at.after } : {}),
      };
      const mine = (r: ProviderRecord) => r.merchant === req.merchant;
      if (at.side === 'intents') {
        const page = await account.polling(() => account.call('list payment intents', (s) => s.paymentIntents.list({ ...params, expand: ['data.latest_charge'] }), req.signal));
        const last = page.data[page.data.length - 1];
        const next: StripeCursor = page.has_more && last ? { side: 'intents', after: last.id } : { side: 'refunds', after: null };
        return { records: page.data.map((i) => intentRecord(i, req.merchant)).filter(mine), next: JSON.stringify(next) };
      }
      const page = await account.polling(() => account.call('list refunds', (s) => s.refunds.list(params), req.signal));
      const last = page.data[page.data.length - 1];
      return { records: page.data.map((r) => refundRecord(r, req.merchant)).filter(mine), next: page.has_more && last ? JSON.stringify({ side: 'refunds', after: last.id }) : null };
    },
  };
}
