import Router from '@koa/router';
import type { Logger } from 'pino';
import { Compile } from 'typebox/compile';
import type { ApiConfig } from '@payments/config';
import { VippsWebhookEvent } from '@payments/contract/wire';
import type { AppState } from '../app-state';
import type { AcquirerNotifier } from '../callbacks';
import { ExpiringSet } from '../memory';
import { readJsonBytes, SpiError } from '../http';
import { verifyVippsSignature } from './vipps-signature';

export const VIPPS_WEBHOOK_PATH = '/webhooks/vipps-mobilepay';

/** How long a delivery is remembered: a duplicate within it is acknowledged without a second nudge. */
const SEEN_EVENT_MS = 60 * 60_000;

const checkEvent = Compile(VippsWebhookEvent);

/**
 * POST /webhooks/vipps-mobilepay: an ePayment event of a Vipps MobilePay sales unit
 * (`epayments.payment.*.v1`), its signature checked against the secrets of
 * VIPPS_WEBHOOK_SECRETS on the raw body, and passed on to the payment its reference names (our
 * paymentid) as a nudge: the payment's waiting read looks at Vipps again at once. The event is
 * only a hint; the worker reads the payment's state and aggregate, so a duplicate, a late or an
 * out-of-order event changes nothing, and one for a payment we do not know nudges nothing.
 * Answers: 200 for every verified event, 401 for a missing or wrong signature and 400 for a
 * signed body that is not an event (each with a log line), 503 when the nudge cannot be
 * delivered (Vipps sends the event again later). Off (404) without secrets.
 */
export function vippsWebhookRouter(deps: { config: ApiConfig; logger: Logger; now: () => number; notify: AcquirerNotifier }): Router<AppState> {
  const { config, logger, now, notify } = deps;
  const secrets = config.vippsWebhooks.secrets;
  const on = Object.keys(secrets).length > 0;
  const seen = new ExpiringSet();
  const router = new Router<AppState>();

  router.post(VIPPS_WEBHOOK_PATH, async (ctx) => {
    if (!on) throw new SpiError('not-found', 'no such route');
    const raw = await readJsonBytes(ctx.req, config.api.bodyLimitBytes);
    const verdict = verifyVippsSignature(
      {
        raw,
        pathAndQuery: ctx.originalUrl,
        hosts: [ctx.get('host'), ctx.host],
        date: ctx.get('x-ms-date'),
        contentSha256: ctx.get('x-ms-content-sha256'),
        authorization: ctx.get('authorization'),
      },
      secrets,
      now(),
    );
    if ('refused' in verdict) {
      logger.warn({ reason: verdict.refused }, 'vipps webhook refused');
      throw new SpiError('unauthorized', verdict.refused);
    }
    const { merchant } = verdict;
    ctx.state.merchant = merchant;
    let event: unknown;
    try {
      event = JSON.parse(raw.toString('utf8'));
    } catch {
      event = null;
    }
    if (!checkEvent.Check(event)) {
      logger.warn({ merchant, reason: 'not an ePayment event' }, 'vipps webhook refused');
      throw new SpiError('bad-request', 'the body is not an ePayment webhook event');
    }
    const paymentid = event.reference;
    ctx.state.paymentid = paymentid;
    const line = { merchant, msn: event.msn, paymentid, eventName: event.name, success: event.success };
    if (event.name === 'CREATED') {
      // We made it ourselves: nothing a payment waits for.
      logger.info(line, 'vipps event noted: the payment was created');
      ctx.body = { received: true, duplicate: false };
      return;
    }
    const id = [event.msn, event.reference, event.name, event.timestamp, event.idempotencyKey ?? '', event.success].join(' ');
    const duplicate = seen.has(id, now());
    if (!duplicate) {
      try {
        await notify(paymentid);
      } catch (err) {
        logger.warn({ ...line, err }, 'vipps event could not be passed on: Vipps sends it again');
        throw new SpiError('unavailable', 'the event could not be passed on, send it again');
      }
      seen.add(id, now() + SEEN_EVENT_MS, now());
    }
    logger.info({ ...line, duplicate }, 'vipps event passed on');
    ctx.body = { received: true, duplicate };
  });

  return router;
}
