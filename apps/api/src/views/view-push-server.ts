import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Compile } from 'typebox/compile';
import type { Logger } from 'pino';
import { VIEW_PUSH_PATH } from '@payments/config';
import { Payment } from '@payments/contract';
import { SIGNATURE_HEADER, verifyCallbackSignature } from '@payments/contract/signature';
import type { VersionedView } from '@payments/workflow';
import type { PaymentViews } from './payment-views';
import { readJsonBytes, parseJsonBody, errorResponse, SpiError } from '../http';

const checkPayment = Compile(Payment);

/** A batch of views from one worker flush: a few hundred at the most. */
const BODY_LIMIT_BYTES = 8 * 1024 * 1024;

function viewsOf(body: unknown): VersionedView[] {
  if (!Array.isArray(body)) throw new SpiError('bad-request', 'the body must be a JSON list of views');
  for (const [i, v] of body.entries()) {
    const ok =
      typeof v === 'object' &&
      v !== null &&
      typeof (v as VersionedView).paymentid === 'string' &&
      Number.isSafeInteger((v as VersionedView).version) &&
      (v as VersionedView).version >= 0 &&
      checkPayment.Check((v as VersionedView).payment) &&
      (v as VersionedView).payment.paymentid === (v as VersionedView).paymentid;
    if (!ok) throw new SpiError('bad-request', `view ${i} is not {paymentid, version, payment}`);
  }
  return body as VersionedView[];
}

/**
 * The API's second listener, for the workers only (VIEW_PUSH_HOST:VIEW_PUSH_PORT): POST /views
 * with a signed JSON list of payment views. Answers 204 once they are held, 401 for a missing,
 * stale or wrong signature, 400 for anything that is not a list of views.
 */
export function createViewPushServer(o: { views: PaymentViews; secret: string; toleranceMs: number; logger: Logger }): Server {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || req.url !== VIEW_PUSH_PATH) throw new SpiError('not-found', `only POST ${VIEW_PUSH_PATH} is served here`);
    const bytes = await readJsonBytes(req, BODY_LIMIT_BYTES);
    const check = verifyCallbackSignature({ header: req.headers[SIGNATURE_HEADER] as string | undefined, body: bytes, secret: o.secret, nowMs: Date.now(), toleranceMs: o.toleranceMs });
    if (!check.ok) throw new SpiError('unauthorized', `the push is not signed with VIEW_PUSH_SECRET (${check.reason})`);
    for (const view of viewsOf(parseJsonBody(bytes.toString('utf8')))) o.views.pushed(view);
    res.statusCode = 204;
    res.end();
  };
  return createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const requestId = randomUUID();
      const { status, body } = errorResponse(err, requestId);
      if (status >= 500) o.logger.error({ err, requestId }, 'a view push failed');
      else o.logger.warn({ status, requestId, error: body.error_data.message }, 'a view push was refused');
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-request-id': requestId });
      res.end(JSON.stringify(body));
    });
  });
}
