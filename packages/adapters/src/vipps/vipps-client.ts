import { Compile } from 'typebox/compile';
import {
  VippsAccessToken,
  VippsCreatePaymentResponse,
  VippsLedgers,
  VippsModificationResponse,
  VippsPayment,
  VippsPaymentEvents,
  VippsProblem,
  VippsReportPage,
  type VippsAmount,
  type VippsCreatePaymentRequest,
  type VippsCurrency,
} from '@payments/contract/wire';
import { abortablePause } from '../abortable-pause';
import { NotFoundError, RejectedError, TransientError } from '../errors';
import { retryAfterMs, send, type VippsHttpResponse } from './vipps-transport';

/** One sales unit at Vipps MobilePay, as the adapter reaches it. */
export interface VippsMobilePayOptions {
  /** Our merchant (the SPI's), for messages and logs. */
  merchant: string;
  clientId: string;
  clientSecret: string;
  /** The sales unit's Ocp-Apim-Subscription-Key. */
  subscriptionKey: string;
  /** The sales unit's MSN. */
  merchantSerialNumber: string;
  environment: 'test' | 'production';
  /** Overrides the environment's base URL: the simulator's in tests. */
  apiUrl?: string;
  /** The sales unit's currency: a payment in another is declined before any call. */
  currency: VippsCurrency;
  /** Per-request deadline; 10 s by default. */
  timeoutMs?: number;
  /** How often a waiting read asks again: 2 s by default, as Vipps's polling guidance says. */
  pollEveryMs?: number;
  /** The first read of a payment made here waits this long after its create: 5 s by default. */
  firstPollAfterMs?: number;
  /** How long one call keeps retrying 429 and 5xx before it leaves them to the activity's retry; 8 s by default. */
  retryForMs?: number;
  /** Vipps-System-Name / -Version headers: who is calling. */
  systemName?: string;
  systemVersion?: string;
}

/** The environments' hosts; the API's own base for both the token and the ePayment calls. */
export const VIPPS_BASE_URLS = { test: 'https://apitest.vipps.no', production: 'https://api.vipps.no' } as const;

/** A definitive non-2xx answer: Vipps's Problem (RFC 7807), its type's last segment as the code. */
export class VippsProblemError extends RejectedError {
  constructor(
    message: string,
    status: number,
    code: string,
    readonly problem: VippsProblem | null,
  ) {
    super(message, status, code);
    this.name = 'VippsProblemError';
  }
}

const check = {
  token: Compile(VippsAccessToken),
  created: Compile(VippsCreatePaymentResponse),
  payment: Compile(VippsPayment),
  modified: Compile(VippsModificationResponse),
  events: Compile(VippsPaymentEvents),
  problem: Compile(VippsProblem),
  ledgers: Compile(VippsLedgers),
  report: Compile(VippsReportPage),
};

const BACKOFF_BASE_MS = 250;
const BACKOFF_MAX_MS = 4_000;
/** Renew the token this long before it expires (at most a tenth of its life). */
const TOKEN_MARGIN_MS = 5 * 60_000;

interface Call {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

const seg = encodeURIComponent;

/**
 * The ePayment API of one sales unit over undici: an access token cached and renewed before it
 * expires (and at once when Vipps answers 401), the sales unit's headers on every call, the
 * caller's Idempotency-Key on every write. 429 and 5xx are retried here for a while with
 * exponential backoff and jitter (Retry-After when Vipps sends one), then go up as
 * TransientError; 404 is NotFoundError; any other answer a VippsProblemError. Every answer is
 * checked against the wire schemas: a body that is not what Vipps documents is transient, never
 * guessed at.
 */
export class VippsClient {
  readonly baseUrl: string;
  private token: { value: string; renewAt: number } | null = null;
  private pendingToken: Promise<string> | null = null;

  constructor(readonly options: VippsMobilePayOptions) {
    this.baseUrl = (options.apiUrl ?? VIPPS_BASE_URLS[options.environment]).replace(/\/+$/, '');
  }

  get pollEveryMs(): number {
    return this.options.pollEveryMs ?? 2_000;
  }

  get firstPollAfterMs(): number {
    return this.options.firstPollAfterMs ?? 5_000;
  }

  async createPayment(body: VippsCreatePaymentRequest, idempotencyKey: string, signal?: AbortSignal): Promise<VippsCreatePaymentResponse> {
    const res = await this.call({ method: 'POST', path: '/epayment/v1/payments', body, idempotencyKey, signal });
    return this.parse(res, check.created, 'create the payment');
  }

  async getPayment(reference: string, signal?: AbortSignal): Promise<VippsPayment> {
    const res = await this.call({ method: 'GET', path: `/epayment/v1/payments/${seg(reference)}`, signal });
    return this.parse(res, check.payment, `read payment ${reference}`);
  }

  async getEvents(reference: string, signal?: AbortSignal): Promise<VippsPaymentEvents> {
    const res = await this.call({ method: 'GET', path: `/epayment/v1/payments/${seg(reference)}/events`, signal });
    return this.parse(res, check.events, `read the events of ${reference}`);
  }

  async cancelPayment(reference: string, idempotencyKey: string, signal?: AbortSignal): Promise<VippsModificationResponse> {
    const res = await this.call({ method: 'POST', path: `/epayment/v1/payments/${seg(reference)}/cancel`, idempotencyKey, signal });
    return this.parse(res, check.modified, `cancel ${reference}`);
  }

  async capturePayment(reference: string, amount: VippsAmount, idempotencyKey: string, signal?: AbortSignal): Promise<VippsModificationResponse> {
    const res = await this.call({ method: 'POST', path: `/epayment/v1/payments/${seg(reference)}/capture`, body: { modificationAmount: amount }, idempotencyKey, signal });
    return this.parse(res, check.modified, `capture ${reference}`);
  }

  async refundPayment(reference: string, amount: VippsAmount, idempotencyKey: string, signal?: AbortSignal): Promise<VippsModificationResponse> {
    const res = await this.call({ method: 'POST', path: `/epayment/v1/payments/${seg(reference)}/refund`, body: { modificationAmount: amount }, idempotencyKey, signal });
    return this.parse(res, check.modified, `refund ${reference}`);
  }

  /** Report API: the ledgers that settle for this handle (`api:<MSN>` for an ePayment sales unit). */
  async getLedgers(recipientHandle: string, signal?: AbortSignal): Promise<VippsLedgers> {
    const res = await this.call({ method: 'GET', path: `/settlement/v1/ledgers?settlesForRecipientHandles=${seg(recipientHandle)}`, signal });
    return this.parse(res, check.ledgers, `read the ledgers of ${recipientHandle}`);
  }

  /** Report API: one page of a ledger's feed of `topic` from `cursor` (null: from its start). */
  async getReportFeed(ledgerId: string, topic: 'funds' | 'fees', cursor: string | null, signal?: AbortSignal): Promise<VippsReportPage> {
    const query = cursor === null ? '' : `?cursor=${seg(cursor)}`;
    const res = await this.call({ method: 'GET', path: `/report/v2/ledgers/${seg(ledgerId)}/${topic}/feed${query}`, signal });
    return this.parse(res, check.report, `read the ${topic} of ledger ${ledgerId}`);
  }

  /** The bearer token, fetched once for every caller at a time and kept until shortly before it expires. */
  async accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.renewAt) return this.token.value;
    this.pendingToken ??= this.fetchToken().finally(() => {
      this.pendingToken = null;
    });
    return this.pendingToken;
  }

  /** Forgets the token (Vipps refused it): the next call fetches another. */
  dropToken(): void {
    this.token = null;
  }

  /** Pauses between reads of a waiting call; the caller's abort ends it with its reason. */
  pause(ms: number, signal?: AbortSignal): Promise<void> {
    return abortablePause(ms, signal);
  }

  private async fetchToken(): Promise<string> {
    const started = Date.now();
    const res = await this.retrying('fetch an access token', undefined, () =>
      send({
        method: 'POST',
        url: `${this.baseUrl}/accesstoken/get`,
        headers: {
          ...this.unitHeaders(),
          client_id: this.options.clientId,
          client_secret: this.options.clientSecret,
        },
        timeoutMs: this.timeoutMs,
      }),
    );
    if (res.status === 401 || res.status === 403) {
      throw new RejectedError(`Vipps MobilePay refused the credentials of merchant ${this.options.merchant} (${res.status})`, res.status, 'unauthorized');
    }
    const token = this.parse(res, check.token, 'fetch an access token');
    const lifeMs = Number(token.expires_in) * 1000;
    this.token = { value: token.access_token, renewAt: started + lifeMs - Math.min(TOKEN_MARGIN_MS, lifeMs / 10) };
    return token.access_token;
  }

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? 10_000;
  }

  private unitHeaders(): Record<string, string> {
    return {
      accept: 'application/json',
      'ocp-apim-subscription-key': this.options.subscriptionKey,
      'merchant-serial-number': this.options.merchantSerialNumber,
      'vipps-system-name': this.options.systemName ?? 'sitoo-payments',
      'vipps-system-version': this.options.systemVersion ?? '1.0.0',
      'vipps-system-plugin-name': 'sitoo-custom-payment',
      'vipps-system-plugin-version': '1.0.0',
    };
  }

  /** One ePayment call with the token: a 401 drops the token and tries once more with a fresh one. */
  private async call(req: Call): Promise<VippsHttpResponse> {
    const what = `${req.method} ${req.path}`;
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken();
      const headers: Record<string, string> = { ...this.unitHeaders(), authorization: `Bearer ${token}` };
      if (req.idempotencyKey !== undefined) headers['idempotency-key'] = req.idempotencyKey;
      const res = await this.retrying(what, req.signal, () =>
        send({ method: req.method, url: `${this.baseUrl}${req.path}`, headers, body: req.body, timeoutMs: this.timeoutMs, signal: req.signal }),
      );
      if (res.status === 401 && attempt === 0) {
        if (this.token?.value === token) this.dropToken();
        continue;
      }
      if (res.status === 404) throw new NotFoundError(`${what}: ${this.problemText(res)}`);
      if (res.status >= 300) throw this.problemError(res, what);
      return res;
    }
  }

  /**
   * Sends until the answer is neither 429 nor 5xx nor missing, pausing between tries (Vipps's
   * Retry-After, else exponential backoff with jitter); past retryForMs it is a TransientError.
   */
  private async retrying(what: string, signal: AbortSignal | undefined, sendOnce: () => Promise<VippsHttpResponse>): Promise<VippsHttpResponse> {
    const started = Date.now();
    const budget = this.options.retryForMs ?? 8_000;
    for (let attempt = 0; ; attempt++) {
      let failure: TransientError;
      let wait: number;
      const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
      const backoff = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
      try {
        const res = await sendOnce();
        if (res.status !== 429 && res.status < 500) return res;
        failure = new TransientError(`${what}: ${res.status} ${this.problemText(res)}`, res.status);
        wait = retryAfterMs(res.retryAfter) ?? backoff;
      } catch (err) {
        if (!(err instanceof TransientError)) throw err;
        failure = err;
        wait = backoff;
      }
      if (Date.now() - started + wait > budget) throw failure;
      await this.pause(wait, signal);
    }
  }

  private parse<T>(res: VippsHttpResponse, validator: { Check(v: unknown): v is T }, what: string): T {
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch {
      throw new TransientError(`${what}: ${res.status} with a body that is not JSON`, res.status);
    }
    if (!validator.Check(body)) throw new TransientError(`${what}: ${res.status} with a body that is not what Vipps MobilePay documents`, res.status);
    return body;
  }

  private problemOf(res: VippsHttpResponse): VippsProblem | null {
    try {
      const body: unknown = JSON.parse(res.text);
      return check.problem.Check(body) ? body : null;
    } catch {
      return null;
    }
  }

  private problemText(res: VippsHttpResponse): string {
    const p = this.problemOf(res);
    return p ? `${p.title}${p.detail ? `: ${p.detail}` : ''}` : res.text.slice(0, 200);
  }

  private problemError(res: VippsHttpResponse, what: string): VippsProblemError {
    const problem = this.problemOf(res);
    const code = problem ? (problem.type.split('/').filter(Boolean).pop() ?? `http-${res.status}`) : `http-${res.status}`;
    return new VippsProblemError(`${what}: ${res.status} ${this.problemText(res)}`, res.status, code, problem);
  }
}
