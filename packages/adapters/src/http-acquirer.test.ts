import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createSimulator, type Simulator } from '@payments/simulator-core';
import type { CreatePayment } from './acquirer';
import { AlreadyApprovedError, NotFoundError, RejectedError, ReversalRefusedError, TransientError } from './errors';
import { createHttpAcquirer } from './http-acquirer';

let dir: string;
let sim: Simulator;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'adapters-'));
  sim = await createSimulator({ ledgerPath: path.join(dir, 'ledger.json'), approveDelayMs: 100, slowCallMs: 400 });
  ({ url } = await sim.listen(0));
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
const payment = (over: Partial<CreatePayment> = {}): CreatePayment => ({
  reference: `adapter-${process.pid}-${++n}`,
  merchant: 'demo',
  kind: 'sale',
  method: 'wallet',
  amountMinor: 39800,
  currencycode: 'SEK',
  posid: 'POS1',
  originalReference: null,
  ...over,
});
const key = (p: CreatePayment, op = 'create') => ({ idempotencyKey: `${p.reference}:${op}` });

describe('HttpAcquirer', () => {
  const acquirer = () => createHttpAcquirer({ baseUrl: url, timeoutMs: 2000 });

  test('create → pending with a wallet URL; get with waitMs → approved once the customer answers', async () => {
    const p = payment();
    const created = await acquirer().create(p, key(p));
    expect(created).toMatchObject({ reference: p.reference, status: 'pending', reversal: 'none' });
    expect(created.qrUrl).toBe(`${url}/wallet/${created.id}`);
    const polled = await acquirer().get(created.id, { waitMs: 3000 });
    expect(polled).toMatchObject({ status: 'approved', lateReversalAllowed: true, receipt: { scheme: 'SimPay' } });
  });

  test('create twice with the same key → the same payment', async () => {
    const p = payment();
    const a = await acquirer().create(p, key(p));
    const b = await acquirer().create(p, key(p));
    expect(b.id).toBe(a.id);
  });

  test('.51 → declined is an answer, not an error', async () => {
    const p = payment({ amountMinor: 10051 });
    const created = await acquirer().create(p, key(p));
    expect((await acquirer().get(created.id, { waitMs: 3000 })).status).toBe('declined');
  });

  test('.53 → TransientError with status 503 three times, then the payment', async () => {
    const p = payment({ amountMinor: 10053 });
    for (let i = 0; i < 3; i++) {
      const err = await acquirer().create(p, key(p)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransientError);
      expect((err as TransientError).status).toBe(503);
    }
    expect((await acquirer().create(p, key(p))).status).toBe('pending');
  });

  test('.55 slower than the timeout → TransientError; the retry with the same key finds the payment made', async () => {
    const p = payment({ amountMinor: 10055 });
    const impatient = createHttpAcquirer({ baseUrl: url, timeoutMs: 100 });
    await expect(impatient.create(p, key(p))).rejects.toThrow(TransientError);
    await expect(impatient.create(p, key(p))).rejects.toThrow(/no answer within the timeout/);
    const again = await acquirer().create(p, key(p));
    expect(again.reference).toBe(p.reference);
  });

  test('nothing listening → TransientError', async () => {
    const dead = createHttpAcquirer({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 500 });
    await expect(dead.get('x')).rejects.toThrow(TransientError);
  });

  test("the caller's abort → rejects with the signal's reason, not a TransientError", async () => {
    const p = payment({ amountMinor: 10052 });
    const created = await acquirer().create(p, key(p));
    const controller = new AbortController();
    const reason = new Error('activity cancelled');
    setTimeout(() => controller.abort(reason), 50);
    await expect(acquirer().get(created.id, { waitMs: 3000, signal: controller.signal })).rejects.toBe(reason);
  });

  test('cancel of an approved payment → AlreadyApprovedError carrying the payment', async () => {
    const p = payment();
    const created = await acquirer().create(p, key(p));
    await acquirer().get(created.id, { waitMs: 3000 });
    const err = await acquirer().cancel(created.id, key(p, 'cancel')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlreadyApprovedError);
    expect((err as AlreadyApprovedError).payment.status).toBe('approved');
  });

  test('cancelByReference of an unseen reference → null, and the late create answers cancelled', async () => {
    const p = payment();
    expect(await acquirer().cancelByReference(p.reference, key(p, 'cancel'))).toBeNull();
    expect((await acquirer().create(p, key(p))).status).toBe('cancelled');
  });

  test('.54 → reverse after confirm throws ReversalRefusedError', async () => {
    const p = payment({ amountMinor: 10054 });
    const created = await acquirer().create(p, key(p));
    await acquirer().get(created.id, { waitMs: 3000 });
    expect((await acquirer().confirm(created.id, key(p, 'confirm'))).confirmed).toBe(true);
    await expect(acquirer().reverse(created.id, key(p, 'reverse'))).rejects.toThrow(ReversalRefusedError);
  });

  test('reverse twice → reversal done both times', async () => {
    const p = payment();
    const created = await acquirer().create(p, key(p));
    await acquirer().get(created.id, { waitMs: 3000 });
    expect((await acquirer().reverse(created.id, key(p, 'reverse'))).reversal).toBe('done');
    expect((await acquirer().reverse(created.id, key(p, 'reverse'))).reversal).toBe('done');
  });

  test('an unknown id → NotFoundError; a refused create → RejectedError with the code', async () => {
    await expect(acquirer().get('pay_nope')).rejects.toThrow(NotFoundError);
    const p = payment();
    await acquirer().create(p, key(p));
    const err = await acquirer().create({ ...p, amountMinor: 1 }, key(p)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect((err as RejectedError).code).toBe('reference-conflict');
  });

  test('the acquirer down → TransientError 503', async () => {
    await fetch(`${url}/sim/faults`, { method: 'POST', body: JSON.stringify({ down: true }), headers: { 'content-type': 'application/json' } });
    try {
      const p = payment();
      await expect(acquirer().create(p, key(p))).rejects.toMatchObject({ name: 'TransientError', status: 503 });
    } finally {
      await fetch(`${url}/sim/faults`, { method: 'POST', body: JSON.stringify({ down: false }), headers: { 'content-type': 'application/json' } });
    }
  });
});
