import Router from '@koa/router';
import type { Logger } from 'pino';
import Stripe from 'stripe';
import type { ApiConfig } from '@payments/config';
import type { AppState } from '../app-state';
import type { AcquirerNotifier } from '../callbacks';
import { ExpiringSet } from '../memory';
import { readJsonBytes, SpiError } from '../http';
import { StripeEventMatcher } from './stripe-event-match';

export const STRIPE_WEBHOOK_PATH = '/webhooks/stripe';

/** How long an event id is remembered: a delivery we acknowledged is not sent again, so this only spares a duplicate's extra read. */
const SEEN_EVENT_MS = 60 * 60_000;

/** The merchant whose endpoint secret signed the body, and the event; null when none did. */
function verified(raw: Buffer, header: string, secrets: Record<string, readonly string[]>, nowMs: number): { merchant: string; event: Stripe.Event } | null {
  for (const [merchant, list] of Object.entries(secrets)) {
    for (const secret of list) {
      try {
        // Stripe's own check: HMAC-SHA256 of "<t>.<raw body>" against every v1 in the header,
        // and t within the SDK's default tolerance (300 s) of our clock.
        return { merchant, event: Stripe.webhooks.constructEvent(raw, header, secret, undefined, undefined, nowMs) };
      } catch (err) {
        if (!(err instanceof Stripe.errors.StripeSignatureVerificationError)) throw err;
      }
    }
  }
  return null;
}

/**
 * POST /webhooks/stripe: a Stripe account's event, verified against the endpoint secrets of
 * STRIPE_WEBHOOK_SECRETS on the raw body, matched to its payment (StripeEventMatcher) and
 * passed on as a nudge: the payment's waiting read looks at Stripe again at once. The event is
 * only a hint; the worker reads the intent and the reader, so a duplicate, a late or an
 * out-of-order event changes nothing. Answers: 200 for every verified event (matched or not,
 * the payment running or closed), 400 for a missing or bad signature, 503 when the nudge
 * cannot be delivered (Stripe sends the event again later). Off (404) without secrets.
 */
export function stripeWebhookRouter(deps: { config: ApiConfig; logger: Logger; now: () => number; notify: AcquirerNotifier }): Router<AppState> {
  const { config, logger, now, notify } = deps;
  const secrets = config.stripeWebhooks.secrets;
  const on = Object.keys(secrets).length > 0;
  const matcher = new StripeEventMatcher();
  const seen = new ExpiringSet();
  const router = new Router<AppState>();

  router.post(STRIPE_WEBHOOK_PATH, async (ctx) => {
    if (!on) throw new SpiError('not-found', 'no such route');
    const raw = await readJsonBytes(ctx.req, config.api.bodyLimitBytes);
    const header = ctx.get('stripe-signature');
    const got = header === '' ? null : verified(raw, header, secrets, now());
    if (!got) {
      const reason = header === '' ? 'no Stripe-Signature header' : 'the Stripe-Signature matches no endpoint secret, or its timestamp is outside the tolerance';
      logger.warn({ reason }, 'stripe webhook refused');
      throw new SpiError('bad-request', reason);
    }
    const { merchant, event } = got;
    ctx.state.merchant = merchant;
    const match = matcher.match(event);
    const line = { eventId: event.id, eventType: event.type, merchant, intentId: match.intentId };
    if (match.paymentid === null) {
      logger.info({ ...line, reason: match.reason }, 'stripe event acknowledged: no payment of ours');
      ctx.body = { received: true, matched: false };
      return;
    }
    ctx.state.paymentid = match.paymentid;
    if (match.merchant !== null && match.merchant !== merchant) {
      // Another merchant's secret: it may nudge only its own account's payments.
      logger.warn({ ...line, paymentid: match.paymentid, paymentMerchant: match.merchant }, 'stripe event acknowledged: the payment is another merchant’s');
      ctx.body = { received: true, matched: false };
      return;
    }
    if (event.type === 'payment_intent.created') {
      // Learnt from (a reader event names only the intent), but nothing a payment waits for.
      logger.info({ ...line, paymentid: match.paymentid }, 'stripe event noted: the intent was made');
      ctx.body = { received: true, matched: true, duplicate: false };
      return;
    }
    const duplicate = seen.has(event.id, now());
    if (!duplicate) {
      try {
        await notify(match.paymentid);
      } catch (err) {
        logger.warn({ ...line, paymentid: match.paymentid, err }, 'stripe event could not be passed on: Stripe sends it again');
        throw new SpiError('unavailable', 'the event could not be passed on, send it again');
      }
      seen.add(event.id, now() + SEEN_EVENT_MS, now());
    }
    logger.info({ ...line, paymentid: match.paymentid, duplicate }, 'stripe event passed on');
    ctx.body = { received: true, matched: true, duplicate };
  });

  return router;
}
