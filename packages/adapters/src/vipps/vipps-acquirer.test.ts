import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CreatePayment } from '../acquirer';
import { AlreadyApprovedError, ReversalRefusedError, TransientError } from '../errors';
import { createVippsMobilePayProvider } from './index';
import { VippsClient, type VippsMobilePayOptions } from './vipps-client';
import { vippsIdempotencyKey } from './vipps-keys';

// A small fake of the ePayment API: payments keyed by reference, replays by Idempotency-Key,
// and faults on demand. Enough to check the client's and the acquirer's side of the wire.

interface FakePayment {
  state: 'CREATED' | 'AUTHORIZED' | 'ABORTED' | 'EXPIRED' | 'TERMINATED';
  currency: string;
  value: number;
  captured: number;
  cancelled: number;
  refunded: number;
  events: { name: string; value: number; idempotencyKey: string | null }[];
}

interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

class FakeVipps {
  readonly payments = new Map<string, FakePayment>();
  readonly seen: Seen[] = [];
  readonly replays = new Map<string, { status: number; body: unknown }>();
  tokensIssued = 0;
  tokenLifeS = 3600;
  /** Faults for the next requests whose path ends with the key: answered this way once each. */
  readonly faults: { path: string; kind: '429' | '503' | 'lose' | '401' }[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  approve(reference: string): void {
    const p = this.payments.get(reference);
    if (!p) throw new Error(`no payment ${reference}`);
    p.state = 'AUTHORIZED';
    p.events.push({ name: 'AUTHORIZED', value: p.value, idempotencyKey: null });
  }

  private view(reference: string, p: FakePayment) {
    const amount = (value: number) => ({ currency: p.currency, value });
    const authorized = p.state === 'AUTHORIZED' || (p.state === 'TERMINATED' && p.cancelled > 0) ? p.value : 0;
    return {
      reference,
      pspReference: `psp-${reference}`,
      state: p.state,
      amount: amount(p.value),
      aggregate: { authorizedAmount: amount(authorized), capturedAmount: amount(p.captured), cancelledAmount: amount(p.cancelled), refundedAmount: amount(p.refunded) },
      paymentMethod: { type: 'WALLET' },
      profile: {},
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    const body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    const path = req.url ?? '';
    this.seen.push({ method: req.method ?? '', path, headers: req.headers, body });
    const reply = (status: number, out: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(out));
    };
    const problem = (status: number, title: string) => reply(status, { type: `https://example.test/problems/${title}`, title, status, traceId: 't' });

    const fault = this.faults.findIndex((f) => path.endsWith(f.path));
    const kind = fault >= 0 ? this.faults.splice(fault, 1)[0]?.kind : undefined;
    if (kind === '429') return reply(429, { title: 'slow down' }, { 'retry-after': '1' });
    if (kind === '503') return problem(503, 'unavailable');
    if (kind === '401') return problem(401, 'expired-token');

    if (path === '/accesstoken/get') {
      this.tokensIssued += 1;
      return reply(200, { token_type: 'Bearer', access_token: `token-${this.tokensIssued}`, expires_in: String(this.tokenLifeS) });
    }
    if (req.headers.authorization !== `Bearer token-${this.tokensIssued}`) return problem(401, 'unauthorized');

    const key = req.headers['idempotency-key'];
    const replayKey = typeof key === 'string' ? `${key} ${path}` : null;
    const replayed = replayKey ? this.replays.get(replayKey) : undefined;
    if (replayed) return reply(replayed.status, replayed.body);

    const answer = (status: number, out: unknown) => {
      if (replayKey && status < 500) this.replays.set(replayKey, { status, body: out });
      if (kind === 'lose') {
        res.destroy(); // done, but the answer never arrives
        return;
      }
      reply(status, out);
    };

    const m = /^\/epayment\/v1\/payments(?:\/([^/]+))?(?:\/(cancel|capture|refund|events))?$/.exec(path);
    if (!m) return problem(404, 'no-route');
    const [, reference, action] = m;
    if (req.method === 'POST' && !reference) {
      const amount = body.amount as { currency: string; value: number };
      const ref = body.reference as string;
      if (this.payments.has(ref)) return answer(409, { type: 'x/conflict', title: 'conflict', status: 409, traceId: 't' });
      this.payments.set(ref, { state: 'CREATED', currency: amount.currency, value: amount.value, captured: 0, cancelled: 0, refunded: 0, events: [{ name: 'CREATED', value: amount.value, idempotencyKey: key as string }] });
      return answer(201, { reference: ref, redirectUrl: `https://qr.example.test/${ref}` });
    }
    const p = reference ? this.payments.get(reference) : undefined;
    if (!p || !reference) return problem(404, 'not-found');
    if (req.method === 'GET' && !action) return answer(200, this.view(reference, p));
    if (req.method === 'GET' && action === 'events') {
      return answer(
        200,
        p.events.map((e) => ({ reference, pspReference: `psp-${reference}`, name: e.name, amount: { currency: p.currency, value: e.value }, timestamp: new Date().toISOString(), idempotencyKey: e.idempotencyKey, success: true })),
      );
    }
    const modification = (body.modificationAmount as { value: number } | undefined)?.value ?? 0;
    if (action === 'cancel') {
      if (p.state !== 'CREATED' && p.state !== 'AUTHORIZED') return answer(409, { type: 'x/state', title: 'state', status: 409, traceId: 't' });
      if (p.state === 'AUTHORIZED') p.cancelled = p.value - p.captured;
      if (p.captured === 0) p.state = 'TERMINATED';
      p.events.push({ name: 'CANCELLED', value: p.cancelled, idempotencyKey: key as string });
      return answer(200, this.view(reference, p));
    }
    if (action === 'capture') {
      if (p.state !== 'AUTHORIZED' || p.captured + modification > p.value - p.cancelled) return answer(400, { type: 'x/capture', title: 'capture', status: 400, traceId: 't' });
      p.captured += modification;
      p.events.push({ name: 'CAPTURED', value: modification, idempotencyKey: key as string });
      return answer(200, this.view(reference, p));
    }
    if (action === 'refund') {
      if (p.refunded + modification > p.captured) return answer(400, { type: 'x/refund', title: 'refund', status: 400, traceId: 't' });
      p.refunded += modification;
      p.events.push({ name: 'REFUNDED', value: modification, idempotencyKey: key as string });
      return answer(200, this.view(reference, p));
    }
    return problem(404, 'no-route');
  }
}

let fake: FakeVipps;
beforeEach(async () => {
  fake = new FakeVipps();
  await fake.start();
});
afterEach(() => fake.stop());

const options = (over: Partial<VippsMobilePayOptions> = {}): VippsMobilePayOptions => ({
  merchant: 'oslo',
  clientId: 'client-id',
  clientSecret: 'client-secret',
  subscriptionKey: 'sub-key',
  merchantSerialNumber: '123456',
  environment: 'test',
  apiUrl: fake.url,
  currency: 'NOK',
  timeoutMs: 1_000,
  pollEveryMs: 50,
  firstPollAfterMs: 0,
  retryForMs: 3_000,
  ...over,
});
let n = 0;
const sale = (over: Partial<CreatePayment> = {}): CreatePayment => ({
  reference: `0000aaaa-1111-2222-3333-${String(++n).padStart(12, '0')}`,
  merchant: 'oslo',
  kind: 'sale',
  method: 'wallet',
  amountMinor: 49_900,
  currencycode: 'NOK',
  posid: 'POS1',
  originalReference: null,
  ...over,
});
const call = (p: CreatePayment, op = 'create') => ({ idempotencyKey: `${p.reference}:${op}` });

describe('VippsClient', () => {
  test('every call carries the sales unit headers and a bearer token fetched once', async () => {
    const client = new VippsClient(options());
    await client.createPayment(
      { amount: { currency: 'NOK', value: 100 }, reference: 'ref-00000001', paymentMethod: { type: 'WALLET' }, userFlow: 'QR' },
      'ref-00000001-create',
    );
    await client.getPayment('ref-00000001');
    expect(fake.tokensIssued).toBe(1);
    const [token, create, get] = fake.seen;
    expect(token?.headers).toMatchObject({ client_id: 'client-id', client_secret: 'client-secret', 'ocp-apim-subscription-key': 'sub-key', 'merchant-serial-number': '123456' });
    expect(create?.headers).toMatchObject({
      authorization: 'Bearer token-1',
      'ocp-apim-subscription-key': 'sub-key',
      'merchant-serial-number': '123456',
      'vipps-system-name': 'sitoo-payments',
      'idempotency-key': 'ref-00000001-create',
    });
    expect(get?.headers['idempotency-key']).toBeUndefined();
  });

  test('a token near its expiry is renewed before use; a 401 fetches a fresh one and tries again', async () => {
    fake.tokenLifeS = 1; // renewed a tenth of its life early
    const client = new VippsClient(options());
    await client.accessToken();
    await new Promise((r) => setTimeout(r, 950));
    await client.accessToken();
    expect(fake.tokensIssued).toBe(2);

    fake.tokenLifeS = 3600;
    const ok = new VippsClient(options());
    await ok.createPayment({ amount: { currency: 'NOK', value: 100 }, reference: 'ref-00000002', paymentMethod: { type: 'WALLET' }, userFlow: 'QR' }, 'k2');
    fake.faults.push({ path: '/ref-00000002', kind: '401' });
    await expect(ok.getPayment('ref-00000002')).resolves.toMatchObject({ state: 'CREATED' });
    expect(fake.tokensIssued).toBe(4);
  });

  test('429 waits for Retry-After and 503 backs off, then the call succeeds; past the budget it is transient', async () => {
    const client = new VippsClient(options());
    await client.accessToken();
    fake.faults.push({ path: '/payments', kind: '429' }, { path: '/payments', kind: '503' });
    const started = Date.now();
    await client.createPayment({ amount: { currency: 'NOK', value: 100 }, reference: 'ref-00000003', paymentMethod: { type: 'WALLET' }, userFlow: 'QR' }, 'k3');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(fake.seen.filter((s) => s.path === '/epayment/v1/payments')).toHaveLength(3);

    const impatient = new VippsClient(options({ retryForMs: 500 }));
    fake.faults.push({ path: '/ref-00000003', kind: '429' });
    await expect(impatient.getPayment('ref-00000003')).rejects.toBeInstanceOf(TransientError);
  });
});

describe('VippsAcquirer', () => {
  const acquirer = (over: Partial<VippsMobilePayOptions> = {}) => createVippsMobilePayProvider(options(over)).acquirer;

  test('create → pending with the QR target URL, asked as a one-time QR for a customer present', async () => {
    const p = sale();
    const created = await acquirer().create(p, call(p));
    expect(created).toMatchObject({ id: p.reference, status: 'pending', qrUrl: `https://qr.example.test/${p.reference}`, method: 'wallet' });
    const sent = fake.seen.find((s) => s.path === '/epayment/v1/payments');
    expect(sent?.body).toMatchObject({
      reference: p.reference,
      amount: { currency: 'NOK', value: 49_900 },
      userFlow: 'QR',
      customerInteraction: 'CUSTOMER_PRESENT',
      qrFormat: { format: 'TEXT/TARGETURL' },
      paymentMethod: { type: 'WALLET' },
    });
    expect(sent?.headers['idempotency-key']).toBe(vippsIdempotencyKey(p.reference, 'create'));
  });

  test('a create whose answer was lost is sent again with the same key and replays the first answer', async () => {
    const p = sale();
    fake.faults.push({ path: '/epayment/v1/payments', kind: 'lose' });
    const created = await acquirer().create(p, call(p));
    expect(created).toMatchObject({ status: 'pending', qrUrl: `https://qr.example.test/${p.reference}` });
    const creates = fake.seen.filter((s) => s.path === '/epayment/v1/payments');
    expect(creates).toHaveLength(2);
    expect(new Set(creates.map((c) => c.headers['idempotency-key'])).size).toBe(1);
    expect(fake.payments.size).toBe(1);
  });

  test('a currency other than the sales unit’s → declined with the reason, nothing sent', async () => {
    const p = sale({ currencycode: 'SEK' });
    await expect(acquirer().create(p, call(p))).resolves.toMatchObject({ status: 'declined', declineReason: 'Vipps MobilePay takes NOK at this merchant, not SEK' });
    expect(fake.seen).toHaveLength(0);
  });

  test('get with waitMs → approved once the customer approves in the app; nothing captured before confirm', async () => {
    const a = acquirer();
    const p = sale();
    await a.create(p, call(p));
    setTimeout(() => fake.approve(p.reference), 150);
    await expect(a.get(p.reference, { waitMs: 2_000 })).resolves.toMatchObject({ status: 'approved', confirmed: false, receipt: { scheme: 'Vipps MobilePay' } });
    expect(fake.payments.get(p.reference)?.captured).toBe(0);
  });

  test('cancel: a payment not approved → cancelled (TERMINATED); an approved one → AlreadyApprovedError', async () => {
    const a = acquirer();
    const p = sale();
    await a.create(p, call(p));
    await expect(a.cancel(p.reference, call(p, 'cancel'))).resolves.toMatchObject({ status: 'cancelled' });
    expect(fake.payments.get(p.reference)?.state).toBe('TERMINATED');

    const q = sale();
    await a.create(q, call(q));
    fake.approve(q.reference);
    await expect(a.cancel(q.reference, call(q, 'cancel'))).rejects.toBeInstanceOf(AlreadyApprovedError);
    expect(fake.payments.get(q.reference)).toMatchObject({ state: 'AUTHORIZED', captured: 0, cancelled: 0 });
  });

  test('cancelByReference of a payment Vipps never saw → null, and a create from this process that lands later is cancelled', async () => {
    const a = acquirer();
    const p = sale();
    await expect(a.cancelByReference(p.reference, call(p, 'cancel'))).resolves.toBeNull();
    await expect(a.create(p, call(p))).resolves.toMatchObject({ status: 'cancelled' });
    expect(fake.payments.has(p.reference)).toBe(false);
  });

  test('reverse before capture cancels the reservation; after capture it refunds', async () => {
    const a = acquirer();
    const p = sale();
    await a.create(p, call(p));
    fake.approve(p.reference);
    await expect(a.reverse(p.reference, call(p, 'reverse'))).resolves.toMatchObject({ reversal: 'done' });
    expect(fake.payments.get(p.reference)).toMatchObject({ captured: 0, cancelled: 49_900, refunded: 0 });

    const q = sale();
    await a.create(q, call(q));
    fake.approve(q.reference);
    await a.confirm(q.reference, call(q, 'confirm'));
    await expect(a.reverse(q.reference, call(q, 'reverse'))).resolves.toMatchObject({ reversal: 'done' });
    expect(fake.payments.get(q.reference)).toMatchObject({ captured: 49_900, refunded: 49_900 });
  });

  test('confirm captures once: a capture whose answer was lost is found by reading the payment', async () => {
    const a = acquirer();
    const p = sale();
    await a.create(p, call(p));
    fake.approve(p.reference);
    fake.faults.push({ path: '/capture', kind: 'lose' });
    await expect(a.confirm(p.reference, call(p, 'confirm'))).resolves.toMatchObject({ status: 'approved', confirmed: true });
    await expect(a.confirm(p.reference, call(p, 'confirm'))).resolves.toMatchObject({ confirmed: true });
    expect(fake.payments.get(p.reference)?.captured).toBe(49_900);
    expect(fake.payments.get(p.reference)?.events.filter((e) => e.name === 'CAPTURED')).toHaveLength(1);
  });

  test('a refund payment crediting a captured sale is approved, paid as a refund of the sale at confirm, and not taken back after', async () => {
    const a = acquirer();
    const s = sale();
    await a.create(s, call(s));
    fake.approve(s.reference);
    await a.confirm(s.reference, call(s, 'confirm'));

    const r = sale({ kind: 'refund', amountMinor: 10_000, originalReference: s.reference });
    const approved = await a.create(r, call(r));
    expect(approved).toMatchObject({ status: 'approved', kind: 'refund', confirmed: false });
    expect(fake.payments.get(s.reference)?.refunded).toBe(0);
    await expect(a.confirm(approved.id, call(r, 'confirm'))).resolves.toMatchObject({ confirmed: true });
    await expect(a.confirm(approved.id, call(r, 'confirm'))).resolves.toMatchObject({ confirmed: true });
    expect(fake.payments.get(s.reference)?.refunded).toBe(10_000);
    await expect(a.reverse(approved.id, call(r, 'reverse'))).rejects.toBeInstanceOf(ReversalRefusedError);

    const orphan = sale({ kind: 'refund', amountMinor: 100 });
    await expect(a.create(orphan, call(orphan))).resolves.toMatchObject({ status: 'declined' });
    const tooMuch = sale({ kind: 'refund', amountMinor: 40_000, originalReference: s.reference });
    await expect(a.create(tooMuch, call(tooMuch))).resolves.toMatchObject({ status: 'declined' });
  });
});
