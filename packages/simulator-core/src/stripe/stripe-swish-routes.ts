import Router from '@koa/router';
import { formatMinor } from '@payments/contract';
import { answerRow, escapeHtml as escape, type Outcome } from '../customer-page';
import { fromLoopback, readJson } from '../http';
import type { LedgerStore } from '../ledger-store';
import { SimError } from '../sim-error';
import type { StripeSim } from './stripe-sim';
import type { StripeIntentRecord } from './stripe-state';
import type { SwishCustomer } from './stripe-swish';
import { StripeWireError } from './stripe-wire-error';

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f3f4f6;color:#111827}
main{max-width:420px;margin:0 auto;padding:24px 16px}.card{background:#fff;border-radius:16px;padding:24px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
.brand{font-weight:700;color:#c2185b}.muted{color:#6b7280;font-size:14px}.amount{font-size:40px;font-weight:700;margin:8px 0 4px}
.row{display:flex;gap:12px;margin-top:24px}form{flex:1}button{width:100%;padding:16px;border:0;border-radius:12px;font-size:18px;font-weight:600;cursor:pointer}
.pay{background:#16a34a;color:#fff}.decline{background:#e5e7eb;color:#111827}
.state{margin-top:24px;padding:16px;border-radius:12px;font-size:20px;font-weight:600;text-align:center}
.ok{background:#dcfce7;color:#166534}.bad{background:#fee2e2;color:#991b1b}.info{background:#e0e7ff;color:#3730a3}`;

/** How the request ended, in the customer's words. */
function outcome(rec: StripeIntentRecord): Outcome {
  if (rec.status === 'succeeded') return rec.reversedMinor > 0 ? { title: 'Paid, then refunded by the shop', tone: 'info' } : { title: 'Paid', tone: 'ok' };
  if (rec.status === 'canceled') return { title: 'Cancelled by the shop', tone: 'info' };
  if (rec.lastPaymentError?.code === 'payment_intent_payment_attempt_expired') return { title: 'Expired', tone: 'info' };
  return { title: 'Declined', tone: 'bad' };
}

/** What the customer's phone shows once it opens the QR's data: the request, and Pay / Decline while it is payable. */
export function renderSwishPage(rec: StripeIntentRecord, now: number): string {
  const payable = rec.status === 'requires_action' && now < (rec.swish?.expiresAt ?? 0);
  const currency = rec.currency.toUpperCase();
  const amount = `${formatMinor(rec.amount, currency)} ${currency}`;
  const base = `/swish/${encodeURIComponent(rec.id)}`;
  const actions = answerRow({
    open: payable,
    declineAction: `${base}/decline`,
    approve: { action: `${base}/pay`, className: 'pay', label: 'Pay' },
    // Still awaiting the customer but past its time: expired, though Stripe has not said so yet.
    outcome: () => (rec.status === 'requires_action' ? { ...outcome(rec), title: 'Expired' } : outcome(rec)),
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
${payable ? '<meta http-equiv="refresh" content="5">' : ''}
<title>${escape(`Swish ${amount}`)} · simulated</title><style>${STYLE}</style></head>
<body><main><div class="card">
<div class="brand">Swish (simulated, via Stripe)</div>
<p class="muted">Payment request from</p>
<h1 style="margin:0;font-size:22px">${escape(rec.metadata.merchant ?? 'the shop')}</h1>
<div class="amount">${escape(amount)}</div>
<p class="muted">Ref ${escape(rec.swish?.reference ?? rec.id)} · Stripe Technology Europe Limited has acquired the claim for payment; your payment is made to Stripe.</p>
${actions}
</div></main></body></html>`;
}

const NOT_FOUND = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found</title><style>${STYLE}</style></head>
<body><main><div class="card"><div class="brand">Swish (simulated)</div><div class="state bad">No such payment request</div></div></main></body></html>`;

/**
 * The customer's side of a Swish QR: GET /swish/:intent is the page its data opens (the phone
 * needs no key), POST /swish/:intent/pay|decline answer it and redirect back. GET/POST
 * /sim/stripe/swish (POST on loopback only): how the simulated customer behaves
 * (`{ mode: "pays" | "waits", expiryMs }`).
 */
export function stripeSwishRoutes({ stripe, store, clock }: { stripe: StripeSim; store: LedgerStore; clock: () => number }): Router {
  const router = new Router();

  const find = (id: string): StripeIntentRecord | undefined => {
    try {
      return stripe.swishIntent(id);
    } catch (err) {
      if (err instanceof StripeWireError && err.status === 404) return undefined;
      throw err;
    }
  };

  router.get('/swish/:id', (ctx) => {
    const rec = find(ctx.params.id ?? '');
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.status = rec ? 200 : 404;
    ctx.body = rec ? renderSwishPage(rec, clock()) : NOT_FOUND;
  });

  router.post('/swish/:id/:answer', async (ctx) => {
    const rec = find(ctx.params.id ?? '');
    const answer = ctx.params.answer;
    if (!rec || (answer !== 'pay' && answer !== 'decline')) {
      ctx.status = 404;
      ctx.type = 'html';
      ctx.body = NOT_FOUND;
      return;
    }
    try {
      stripe.answerSwish(rec.id, answer);
    } catch (err) {
      // No longer payable: the page shows how it ended.
      if (!(err instanceof StripeWireError)) throw err;
    } finally {
      await store.commit();
    }
    ctx.redirect(`/swish/${encodeURIComponent(rec.id)}`);
    ctx.status = 303;
  });

  router.get('/sim/stripe/swish', (ctx) => {
    ctx.body = stripe.swishCustomer;
  });

  router.post('/sim/stripe/swish', async (ctx) => {
    if (!fromLoopback(ctx)) throw new SimError(403, 'forbidden', 'Swish controls answer only on loopback');
    const body = await readJson(ctx);
    const next: SwishCustomer = { ...stripe.swishCustomer };
    if (body.mode !== undefined) {
      if (body.mode !== 'pays' && body.mode !== 'waits') throw new SimError(400, 'bad-request', 'mode must be "pays" or "waits"');
      next.mode = body.mode;
    }
    if (body.expiryMs !== undefined) {
      if (typeof body.expiryMs !== 'number' || !Number.isInteger(body.expiryMs) || body.expiryMs < 1) throw new SimError(400, 'bad-request', 'expiryMs must be a positive whole number');
      next.expiryMs = body.expiryMs;
    }
    stripe.swishCustomer = next;
    ctx.body = next;
  });

  return router;
}
