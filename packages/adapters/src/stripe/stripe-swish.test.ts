import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createSimulator, type Simulator } from '@payments/simulator-core';
import type { CreatePayment } from '../acquirer';
import { AlreadyApprovedError } from '../errors';
import { createStripeSwishProvider } from './index';

jest.setTimeout(20_000);

let dir: string;
let sim: Simulator;
let url: string;
const requests: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'adapters-swish-'));
  sim = await createSimulator({ ledgerPath: path.join(dir, 'ledger.json'), approveDelayMs: 600 });
  sim.app.middleware.unshift(async (ctx, next) => {
    if (ctx.path.startsWith('/v1/')) requests.push(`${ctx.method} ${ctx.path.replace(/(pi|re)_[A-Za-z0-9_]+/g, '$1_…')}`);
    await next();
  });
  ({ url } = await sim.listen(0));
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => customer({ mode: 'pays' }));

const customer = async (body: Record<string, unknown>) => {
  const res = await fetch(`${url}/sim/stripe/swish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
};
const ledger = async (reference: string) => (await (await fetch(`${url}/sim/ledger/${reference}`)).json()) as Record<string, unknown>;

let n = 0;
function kiosk(over: Partial<CreatePayment> = {}) {
  n += 1;
  const { acquirer } = createStripeSwishProvider({ merchant: 'kiosk', secretKey: 'sk_test_swish_adapter', apiUrl: url, pollEveryMs: 25 });
  const payment: CreatePayment = {
    reference: `swish-${process.pid}-${n}`,
    merchant: 'kiosk',
    kind: 'sale',
    method: 'wallet',
    amountMinor: 12900,
    currencycode: 'SEK',
    posid: 'POS-1',
    originalReference: null,
    ...over,
  };
  return { acquirer, payment, key: (step: string) => ({ idempotencyKey: `${payment.reference}:${step}` }) };
}

describe('Swish on Stripe as the wallet acquirer', () => {
  test('create → pending with the Swish QR (one write); the customer pays → approved, a Swish receipt; confirm reads nothing', async () => {
    const { acquirer, payment, key } = kiosk();
    const before = requests.length;
    const created = await acquirer.create(payment, key('create'));
    expect(requests.slice(before)).toEqual(['POST /v1/payment_intents']);
    expect(created).toMatchObject({ status: 'pending', method: 'wallet', kind: 'sale', amountMinor: 12900 });
    expect(created.qrUrl).toBe(`${url}/swish/${created.id}`);
    const paid = await acquirer.get(created.id, { waitMs: 5000 });
    expect(paid).toMatchObject({ status: 'approved', qrUrl: null, receipt: { scheme: 'Swish', last4: null } });
    const calls = requests.length;
    expect(await acquirer.confirm(created.id, key('confirm'))).toMatchObject({ status: 'approved', confirmed: true });
    expect(requests.length).toBe(calls);
    expect(await ledger(payment.reference)).toMatchObject({ capturedMinor: 12900, reversedMinor: 0, method: 'wallet' });
  });

  test('cancel while the QR awaits the customer → cancelled, nothing paid', async () => {
    await customer({ mode: 'waits' });
    const { acquirer, payment, key } = kiosk();
    const created = await acquirer.create(payment, key('create'));
    expect(await acquirer.cancel(created.id, key('cancel'))).toMatchObject({ status: 'cancelled' });
    expect(await ledger(payment.reference)).toMatchObject({ status: 'canceled', capturedMinor: 0 });
  });

  test('paid, then cancelled → AlreadyApprovedError; the reversal is a Refund of the whole sale, once', async () => {
    const { acquirer, payment, key } = kiosk();
    const created = await acquirer.create(payment, key('create'));
    await acquirer.get(created.id, { waitMs: 5000 });
    await expect(acquirer.cancel(created.id, key('cancel'))).rejects.toBeInstanceOf(AlreadyApprovedError);
    expect(await acquirer.reverse(created.id, key('reverse'))).toMatchObject({ status: 'approved', reversal: 'done' });
    expect(await acquirer.reverse(created.id, key('reverse'))).toMatchObject({ reversal: 'done' });
    expect(await ledger(payment.reference)).toMatchObject({ capturedMinor: 12900, reversedMinor: 12900, reversal: 'done' });
  });

  test('the customer declines → declined with Swish’s reason; an expired QR → expired', async () => {
    const declined = kiosk({ amountMinor: 1005 });
    const d = await declined.acquirer.create(declined.payment, declined.key('create'));
    expect(await declined.acquirer.get(d.id, { waitMs: 5000 })).toMatchObject({ status: 'declined', declineReason: 'The customer declined the payment in Swish.' });
    await customer({ mode: 'waits', expiryMs: 200 });
    const late = kiosk();
    const e = await late.acquirer.create(late.payment, late.key('create'));
    expect(await late.acquirer.get(e.id, { waitMs: 5000 })).toMatchObject({ status: 'expired' });
    await customer({ expiryMs: 180_000 });
  });

  test('not SEK, or under 3.00 SEK → declined with the reason, Stripe not asked', async () => {
    const before = requests.length;
    const eur = kiosk({ currencycode: 'EUR' });
    expect(await eur.acquirer.create(eur.payment, eur.key('create'))).toMatchObject({ status: 'declined', declineReason: 'Swish takes payments in SEK only' });
    const small = kiosk({ amountMinor: 299 });
    expect(await small.acquirer.create(small.payment, small.key('create'))).toMatchObject({ status: 'declined', declineReason: 'Swish on Stripe takes at least 3.00 SEK' });
    expect(requests.length).toBe(before);
  });

  test('a refund crediting a Swish sale: approved at create, a Refund of the sale at confirm; more than is left → declined', async () => {
    const sale = kiosk({ amountMinor: 20000 });
    const created = await sale.acquirer.create(sale.payment, sale.key('create'));
    await sale.acquirer.get(created.id, { waitMs: 5000 });
    const refund = kiosk({ kind: 'refund', amountMinor: 5000, originalReference: sale.payment.reference });
    const approved = await refund.acquirer.create(refund.payment, refund.key('create'));
    expect(approved).toMatchObject({ status: 'approved', kind: 'refund', method: 'wallet', confirmed: false, qrUrl: null });
    expect(await refund.acquirer.confirm(approved.id, refund.key('confirm'))).toMatchObject({ confirmed: true });
    expect(await ledger(refund.payment.reference)).toMatchObject({ kind: 'refund', method: 'wallet', refundedMinor: 5000, originalReference: sale.payment.reference });
    const tooMuch = kiosk({ kind: 'refund', amountMinor: 15001, originalReference: sale.payment.reference });
    expect(await tooMuch.acquirer.create(tooMuch.payment, tooMuch.key('create'))).toMatchObject({ status: 'declined' });
    // The sale's late reversal gives back what is left.
    expect(await sale.acquirer.reverse(created.id, sale.key('reverse'))).toMatchObject({ reversal: 'done' });
    expect(await ledger(sale.payment.reference)).toMatchObject({ reversedMinor: 15000 });
  });
});
