import Router from '@koa/router';
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import type { Logger } from 'pino';
import type { ApiConfig } from '@payments/config';
import { PaymentIdParam } from '@payments/contract';
import type { AppState } from '../app-state';
import { SIGNATURE_HEADER, verifyCallbackSignature, type SignatureCheck } from '@payments/contract/signature';
import { ExpiringSet } from '../memory';
import { assertValid, parseJsonBody, readJsonBytes, SpiError } from '../http';

/**
 * What the acquirer tells us: that something happened to one of our payments. The body is only
 * a hint: whoever acts on it asks the acquirer for the payment's status instead of trusting it.
 */
export const AcquirerEvent = Type.Object(
  {
    event_id: Type.String({ minLength: 1, maxLength: 128 }),
    paymentid: PaymentIdParam,
    type: Type.String({ minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: true },
);
export type AcquirerEvent = Static<typeof AcquirerEvent>;

const checkEvent = Compile(AcquirerEvent);

/**
 * Passes an authenticated acquirer event on for a payment. It must be harmless when repeated
 * (the payment re-checks with the acquirer); throwing makes the API answer 503 so the acquirer
 * sends the event again.
 */
export type AcquirerNotifier = (paymentid: string) => Promise<void> | void;

const REFUSED: Record<Exclude<SignatureCheck, { ok: true }>['reason'], string> = {
  malformed: `${SIGNATURE_HEADER} is missing or malformed`,
  stale: `the ${SIGNATURE_HEADER} timestamp is outside the tolerance window`,
  mismatch: 'the signature does not match the body',
};

/**
 * POST /callbacks/acquirer: an event from the acquirer, authenticated by an HMAC over its
 * timestamp and raw body (@payments/contract/signature). A signature seen before within the window is
 * a replay: 401 like any other bad signature. An event id seen before is acknowledged again
 * without being passed on twice. Off (404) unless ACQUIRER_CALLBACK_SECRET is set.
 */
export function callbackRouter(deps: { config: ApiConfig; logger: Logger; now: () => number; notify?: AcquirerNotifier }): Router<AppState> {
  const { config, logger, now } = deps;
  const { secret, toleranceMs } = config.security.acquirerCallback;
  const notify: AcquirerNotifier =
    deps.notify ?? ((paymentid) => logger.info({ paymentid }, 'acquirer event not passed on: no notifier wired; the payment reads the acquirer itself'));
  const signatures = new ExpiringSet();
  const events = new ExpiringSet();
  const router = new Router<AppState>();

  router.post('/callbacks/acquirer', async (ctx) => {
    if (secret === null) throw new SpiError('not-found', 'no such route');
    const raw = await readJsonBytes(ctx.req, config.api.bodyLimitBytes);
    const check = verifyCallbackSignature({ header: ctx.get(SIGNATURE_HEADER) || undefined, body: raw, secret, nowMs: now(), toleranceMs });
    if (!check.ok) throw new SpiError('unauthorized', REFUSED[check.reason]);
    // Past the window the timestamp check refuses it anyway, so the signature need not be kept longer.
    if (!signatures.add(check.signature, check.timestamp * 1000 + toleranceMs, now())) {
      throw new SpiError('unauthorized', 'this callback was received before (replay)');
    }

    const event: unknown = parseJsonBody(raw.toString('utf8'));
    assertValid(checkEvent, event);
    ctx.state.paymentid = event.paymentid;
    const duplicate = events.has(event.event_id, now());
    logger.info({ eventId: event.event_id, eventType: event.type, paymentid: event.paymentid, duplicate }, 'acquirer event received');
    if (!duplicate) {
      try {
        await notify(event.paymentid);
      } catch (err) {
        // Not passed on: the acquirer's next delivery of this event (even this very request) must get through.
        signatures.delete(check.signature);
        logger.warn({ err, paymentid: event.paymentid, eventId: event.event_id }, 'acquirer event could not be passed on');
        throw new SpiError('unavailable', 'the event could not be passed on, send it again');
      }
      events.add(event.event_id, now() + 2 * toleranceMs, now());
    }
    ctx.body = { received: true, duplicate };
  });

  return router;
}
