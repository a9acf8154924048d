import { Compile } from 'typebox/compile';
import { AcquirerPaymentBody } from '@payments/contract/wire';
import type { Acquirer, AcquirerPayment, ChangeCall, CreatePayment } from './acquirer';
import { AlreadyApprovedError, NotFoundError, RejectedError, ReversalRefusedError, TransientError } from './errors';
import { describe, requestJson, type HttpClientOptions, type JsonResponse } from './http-json';

const checkPayment = Compile(AcquirerPaymentBody);

/** The payment in an answer; a body that is not one is a transient fault (we never guess at money). */
function asPayment(res: JsonResponse): AcquirerPayment {
  if (!checkPayment.Check(res.body)) throw new TransientError(`the acquirer answered ${res.status} without a payment`, res.status);
  return res.body;
}

function rejected(res: JsonResponse): RejectedError {
  const { code, message } = describe(res);
  if (res.status === 404) return new NotFoundError(message);
  return new RejectedError(message, res.status, code);
}

const seg = encodeURIComponent;

/** The acquirer's HTTP API (apps/simulator/README.md) over HTTP (requestJson), one timeout per call. */
export class HttpAcquirer implements Acquirer {
  constructor(private readonly options: HttpClientOptions) {}

  async create(payment: CreatePayment, call: ChangeCall): Promise<AcquirerPayment> {
    const res = await this.post('/acquirer/v1/payments', call, payment);
    if (res.status >= 300) throw rejected(res);
    return asPayment(res);
  }

  async get(id: string, options: { waitMs?: number; signal?: AbortSignal } = {}): Promise<AcquirerPayment> {
    const waitMs = options.waitMs ?? 0;
    const query = waitMs > 0 ? `?waitMs=${waitMs}` : '';
    const res = await requestJson(this.options, { method: 'GET', path: `/acquirer/v1/payments/${seg(id)}${query}`, signal: options.signal, waitMs });
    if (res.status >= 300) throw rejected(res);
    return asPayment(res);
  }

  async cancel(id: string, call: ChangeCall): Promise<AcquirerPayment> {
    return this.cancelAt(`/acquirer/v1/payments/${seg(id)}/cancel`, call);
  }

  async cancelByReference(reference: string, call: ChangeCall): Promise<AcquirerPayment | null> {
    try {
      return await this.cancelAt(`/acquirer/v1/references/${seg(reference)}/cancel`, call);
    } catch (err) {
      if (err instanceof NotFoundError) return null;
      throw err;
    }
  }

  async reverse(id: string, call: ChangeCall): Promise<AcquirerPayment> {
    const res = await this.post(`/acquirer/v1/payments/${seg(id)}/reversal`, call);
    if (res.status === 422 && describe(res).code === 'reversal-refused') throw new ReversalRefusedError(describe(res).message);
    if (res.status >= 300) throw rejected(res);
    return asPayment(res);
  }

  async confirm(id: string, call: ChangeCall): Promise<AcquirerPayment> {
    const res = await this.post(`/acquirer/v1/payments/${seg(id)}/confirm`, call);
    if (res.status >= 300) throw rejected(res);
    return asPayment(res);
  }

  private async cancelAt(path: string, call: ChangeCall): Promise<AcquirerPayment> {
    const res = await this.post(path, call);
    if (res.status === 409 && describe(res).code === 'already-approved') throw new AlreadyApprovedError(asPayment(res));
    if (res.status >= 300) throw rejected(res);
    return asPayment(res);
  }

  private post(path: string, call: ChangeCall, body: unknown = {}): Promise<JsonResponse> {
    return requestJson(this.options, { method: 'POST', path, body, idempotencyKey: call.idempotencyKey, signal: call.signal });
  }
}

/** An Acquirer over HTTP at baseUrl; each call gives up after timeoutMs (plus a long-poll's wait). */
export function createHttpAcquirer(options: HttpClientOptions): Acquirer {
  return new HttpAcquirer(options);
}
