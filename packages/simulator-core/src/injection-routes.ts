import { randomUUID } from 'node:crypto';
import Router from '@koa/router';
import type { Context } from 'koa';
import { fromLoopback, readJson } from './http';
import type { LedgerStore } from './ledger-store';
import { SimError } from './sim-error';
import type { LedgerPayment } from './state';
import type { StripeIntentRecord } from './stripe/stripe-state';

/**
 * Books that disagree with the payments, made on purpose for reconciliation tests (loopback only):
 * a capture behind the workflow's back, a hold whose void never reached the books, a refund paid
 * twice, and money under a reference no payment of ours has.
 */
export function injectionRoutes({ store, clock = Date.now }: { store: LedgerStore; clock?: () => number }): Router {
  const router = new Router({ prefix: '/sim/inject' });
  const at = () => new Date(clock()).toISOString();

  router.use(async (ctx, next) => {
    if (!fromLoopback(ctx)) throw new SimError(403, 'forbidden', 'injection controls answer only on loopback');
    await next();
  });

  const payment = (ctx: Context): LedgerPayment => {
    const rec = store.state.payments[ctx.params.reference ?? ''];
    if (!rec) throw new SimError(404, 'not-found', 'the acquirer has not seen this reference');
    return rec;
  };

  router.post('/:reference/capture', async (ctx) => {
    const rec = payment(ctx);
    rec.capturedMinor += rec.amountMinor;
    rec.events.push({ at: at(), type: 'captured', amountMinor: rec.amountMinor, note: 'injected: captured behind the workflow’s back' });
    await store.commit();
    ctx.body = { reference: rec.reference, capturedMinor: rec.capturedMinor };
  });

  router.post('/:reference/keep-hold', async (ctx) => {
    const rec = payment(ctx);
    if (rec.status !== 'approved' || rec.confirmed) throw new SimError(409, 'not-held', 'only an approved, unconfirmed payment holds money');
    rec.voidedMinor = 0;
    rec.reversal = 'none';
    rec.events.push({ at: at(), type: 'authorized', amountMinor: rec.authorizedMinor, note: 'injected: the void never reached the books' });
    await store.commit();
    ctx.body = { reference: rec.reference, heldMinor: rec.authorizedMinor };
  });

  router.post('/:reference/refund-again', async (ctx) => {
    const rec = payment(ctx);
    if (rec.kind !== 'refund') throw new SimError(409, 'not-a-refund', 'only a refund is paid out');
    rec.refundedMinor += rec.amountMinor;
    rec.events.push({ at: at(), type: 'refunded', amountMinor: rec.amountMinor, note: 'injected: paid out a second time' });
    await store.commit();
    ctx.body = { reference: rec.reference, refundedMinor: rec.refundedMinor };
  });

  router.post('/records', async (ctx) => {
    const body = await readJson(ctx);
    const { merchant, amountMinor, currencycode = 'SEK', reference = `unknown-${randomUUID()}` } = body;
    if (typeof merchant !== 'string' || typeof amountMinor !== 'number' || !Number.isInteger(amountMinor) || amountMinor <= 0) {
      throw new SimError(400, 'bad-request', 'merchant and a positive whole amountMinor are required');
    }
    if (typeof reference !== 'string' || typeof currencycode !== 'string') throw new SimError(400, 'bad-request', 'reference and currencycode must be text');
    if (store.state.payments[reference]) throw new SimError(409, 'exists', `reference ${reference} exists`);
    const now = at();
    const rec: LedgerPayment = {
      id: `pay_${randomUUID().replace(/-/g, '')}`,
      reference,
      merchant,
      kind: 'sale',
      method: 'wallet',
      amountMinor,
      currencycode,
      posid: 'unknown',
      originalReference: null,
      status: 'approved',
      createdAt: now,
      approvedAt: now,
      dueAt: null,
      planned: null,
      reversal: 'none',
      confirmed: true,
      lateReversalAllowed: true,
      customerStep: false,
      declineReason: null,
      receipt: { scheme: 'SimPay', reference: 'INJECT', last4: null },
      authorizedMinor: amountMinor,
      capturedMinor: amountMinor,
      voidedMinor: 0,
      reversedMinor: 0,
      refundedMinor: 0,
      events: [{ at: now, type: 'captured', amountMinor, note: 'injected: no payment of ours made this' }],
    };
    store.state.payments[reference] = rec;
    await store.commit();
    ctx.status = 201;
    ctx.body = { reference, id: rec.id };
  });

  // The same on the Stripe-wire simulator's books, by our paymentid (the intent's or the refund's metadata).
  const intentOf = (ctx: Context): StripeIntentRecord => {
    const reference = ctx.params.reference ?? '';
    const rec = Object.values(store.state.stripe?.intents ?? {}).find((i) => i.metadata.paymentid === reference);
    if (!rec) throw new SimError(404, 'not-found', `no PaymentIntent for ${reference}`);
    return rec;
  };
  const stripeId = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 24)}`;

  router.post('/stripe/:reference/capture', async (ctx) => {
    const rec = intentOf(ctx);
    // The released authorization taken after all: the void never reached the books, the capture did.
    rec.status = 'succeeded';
    rec.amountReceived = rec.amount;
    rec.amountCapturable = 0;
    rec.voidedMinor = 0;
    rec.capturedMinor += rec.amount;
    rec.events.push({ at: at(), type: 'captured', amountMinor: rec.amount, note: 'injected: captured behind the workflow’s back' });
    await store.commit();
    ctx.body = { reference: rec.metadata.paymentid, id: rec.id };
  });

  router.post('/stripe/:reference/keep-hold', async (ctx) => {
    const rec = intentOf(ctx);
    if (rec.voidedMinor === 0) throw new SimError(409, 'not-voided', 'only a voided authorization can be put back');
    rec.status = 'requires_capture';
    rec.amountCapturable = rec.voidedMinor;
    rec.voidedMinor = 0;
    rec.canceledAt = null;
    rec.cancellationReason = null;
    rec.events.push({ at: at(), type: 'authorized', amountMinor: rec.amountCapturable, note: 'injected: the void never reached the books' });
    await store.commit();
    ctx.body = { reference: rec.metadata.paymentid, id: rec.id };
  });

  router.post('/stripe/:reference/refund-again', async (ctx) => {
    const reference = ctx.params.reference ?? '';
    const stripe = store.state.stripe;
    const refund = Object.values(stripe?.refunds ?? {}).find((r) => r.metadata.paymentid === reference);
    if (!stripe || !refund) throw new SimError(404, 'not-found', `no Refund for ${reference}`);
    const again = { ...refund, id: stripeId('re'), metadata: { ...refund.metadata } };
    stripe.refunds[again.id] = again;
    const sale = stripe.intents[refund.paymentIntent];
    if (sale?.charge) sale.charge.amountRefunded += refund.amount;
    sale?.events.push({ at: at(), type: 'refunded', amountMinor: refund.amount, note: `injected: refund ${again.id} pays ${reference} a second time` });
    await store.commit();
    ctx.body = { reference, id: again.id };
  });

  router.post('/stripe/records', async (ctx) => {
    const body = await readJson(ctx);
    const { like, reference } = body;
    if (typeof like !== 'string' || typeof reference !== 'string') throw new SimError(400, 'bad-request', 'like (a paymentid whose account to use) and reference are required');
    const template = Object.values(store.state.stripe?.intents ?? {}).find((i) => i.metadata.paymentid === like);
    if (!store.state.stripe || !template) throw new SimError(404, 'not-found', `no PaymentIntent for ${like}`);
    const rec: StripeIntentRecord = {
      ...template,
      id: stripeId('pi'),
      metadata: { ...template.metadata, paymentid: reference },
      status: 'succeeded',
      amountCapturable: 0,
      amountReceived: template.amount,
      charge: { id: stripeId('ch'), captured: true, amountRefunded: 0 },
      authorizedMinor: template.amount,
      capturedMinor: template.amount,
      voidedMinor: 0,
      reversedMinor: 0,
      events: [{ at: at(), type: 'captured', amountMinor: template.amount, note: 'injected: no payment of ours made this' }],
    };
    store.state.stripe.intents[rec.id] = rec;
    await store.commit();
    ctx.status = 201;
    ctx.body = { reference, id: rec.id };
  });

  return router;
}
