import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createSimulator, type Simulator } from '@payments/simulator-core';
import type { CreatePayment } from '../acquirer';
import { AlreadyApprovedError, ReversalRefusedError, TerminalBusyError, TransientError } from '../errors';
import type { StartTransaction, TerminalTransaction } from '../terminal';
import { createStripeProvider } from './index';

let dir: string;
let sim: Simulator;
const writes: string[] = [];
/** Every Stripe call of this suite (reads too), `METHOD path` with ids elided: the call-budget tests count them. */
const calls: string[] = [];
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'adapters-stripe-'));
  // 0.5 s per reader phase: long enough for every prompt to be seen on a busy machine.
  sim = await createSimulator({ ledgerPath: path.join(dir, 'ledger.json'), approveDelayMs: 1000 });
  // Every Stripe write this suite makes, in order: the budget test below counts them.
  sim.app.middleware.unshift(async (ctx, next) => {
    if (ctx.method === 'POST' && ctx.path.startsWith('/v1/')) writes.push(ctx.path.replace(/(pi|tmr)_[A-Za-z0-9_]+/g, '$1_…'));
    if (ctx.path.startsWith('/v1/') && !ctx.path.startsWith('/v1/test_helpers/')) calls.push(`${ctx.method} ${ctx.path.replace(/(pi|tmr)_[A-Za-z0-9_]+/g, '$1_…')}`);
    await next();
  });
  ({ url } = await sim.listen(0));
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
/** A register with its own reader, so tests do not share one. */
function register(over: Partial<StartTransaction> = {}) {
  n += 1;
  const posid = `POS-${n}`;
  const readers = { [posid]: `tmr_test${process.pid}x${n}`, 'POS-OFFLINE': 'tmr_offline1' };
  const provider = () => createStripeProvider({ merchant: 'shop', secretKey: 'sk_test_adapter', apiUrl: url, readers, pollEveryMs: 25 });
  const tx: StartTransaction = { posid, reference: `stripe-${process.pid}-${n}`, kind: 'sale', amountMinor: 39800, currencycode: 'SEK', ...over };
  return { tx, readerId: readers[posid] as string, ...provider(), provider };
}

const ledger = async (reference: string) => (await (await fetch(`${url}/sim/ledger/${reference}`)).json()) as Record<string, unknown>;
const present = (readerId: string) =>
  fetch(`${url}/v1/test_helpers/terminal/readers/${readerId}/present_payment_method`, { method: 'POST', headers: { authorization: 'Bearer sk_test_adapter' } });

const simFaults = async (body: Record<string, unknown>) => {
  const res = await fetch(`${url}/sim/stripe/faults`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  expect(res.status).toBe(200);
};
const readerOf = async (readerId: string) =>
  (await (await fetch(`${url}/v1/terminal/readers/${readerId}`, { headers: { authorization: 'Bearer sk_test_adapter' } })).json()) as { action: { status: string } | null };
/** Waits until the simulator holds an intent for this paymentid (its create executed). */
async function eventuallyLedger(reference: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await fetch(`${url}/sim/ledger/${reference}`)).status === 200) return;
    await new Promise((done) => setTimeout(done, 20));
  }
  throw new Error(`no intent for ${reference}`);
}

/** Follows the prompts as the activities do, until the transaction leaves prompting. */
async function follow(r: ReturnType<typeof register>, first: TerminalTransaction): Promise<{ prompts: string[]; last: TerminalTransaction }> {
  const prompts = [first.prompt];
  let cur = first;
  while (cur.status === 'prompting') {
    cur = await r.terminal.get(r.tx.posid, r.tx.reference, { waitMs: 3000, after: cur.prompt });
    if (cur.prompt !== prompts[prompts.length - 1]) prompts.push(cur.prompt);
  }
  return { prompts, last: cur };
}

const sale = (r: ReturnType<typeof register>, cardToken: string | null): CreatePayment => ({
  reference: r.tx.reference,
  merchant: 'shop',
  kind: 'sale',
  method: 'card',
  amountMinor: r.tx.amountMinor,
  currencycode: 'SEK',
  posid: r.tx.posid,
  originalReference: null,
  ...(cardToken ? { cardToken } : {}),
});
const key = (r: ReturnType<typeof register>, op: string) => ({ idempotencyKey: `${r.tx.reference}:${op}` });

describe('Stripe Terminal through the official SDK', () => {
  test('a sale: Present card → Processing → read; approved = authorized and held; confirm captures', async () => {
    const r = register();
    const { prompts, last } = await follow(r, await r.terminal.start(r.tx));
    expect(prompts).toEqual(['Present card', 'Processing', 'Card read']);
    expect(last).toMatchObject({ status: 'card_read', cardToken: expect.stringMatching(/^pi_/) });

    const approved = await r.acquirer.create(sale(r, last.cardToken), key(r, 'create'));
    expect(approved).toMatchObject({ status: 'approved', confirmed: false, lateReversalAllowed: true, receipt: { scheme: 'Visa', last4: '4242' } });
    expect(await ledger(r.tx.reference)).toMatchObject({ provider: 'stripe', authorizedMinor: 39800, capturedMinor: 0 });

    expect(await r.acquirer.confirm(approved.id, key(r, 'confirm'))).toMatchObject({ confirmed: true });
    expect(await r.acquirer.confirm(approved.id, key(r, 'confirm'))).toMatchObject({ confirmed: true });
    const money = await ledger(r.tx.reference);
    expect(money).toMatchObject({ authorizedMinor: 39800, capturedMinor: 39800, voidedMinor: 0, reversedMinor: 0 });
    expect((money.events as { type: string }[]).filter((e) => e.type === 'captured')).toHaveLength(1);
  });

  test('a retried start (same paymentid) → the same intent on the reader, never a second one', async () => {
    const r = register({ amountMinor: 10052 }); // .52: the card waits for the test helper
    const a = await r.terminal.start(r.tx);
    const b = await r.provider().terminal.start(r.tx);
    expect(b).toMatchObject({ status: 'prompting', prompt: a.prompt });
    await present(r.readerId);
    const { last } = await follow(r, b);
    expect(last.status).toBe('card_read');
    const intents = Object.values(((await (await fetch(`${url}/sim/ledger`)).json()) as { payments: Record<string, { reference: string }> }).payments).filter(
      (p) => p.reference === r.tx.reference,
    );
    expect(intents).toHaveLength(1);
  });

  test('an amount ending in .05 → declined with the issuer’s reason, nothing authorized', async () => {
    const r = register({ amountMinor: 10005 });
    const { last } = await follow(r, await r.terminal.start(r.tx));
    expect(last).toMatchObject({ status: 'declined', prompt: 'Your card was declined.' });
    expect(await ledger(r.tx.reference)).toMatchObject({ authorizedMinor: 0, capturedMinor: 0 });
  });

  test('cancel while the reader waits for a card → cancelled: the action and the intent are stopped', async () => {
    const r = register({ amountMinor: 10052 });
    await r.terminal.start(r.tx);
    expect(await r.terminal.cancel(r.tx.posid, r.tx.reference)).toMatchObject({ status: 'cancelled' });
    expect(await r.terminal.cancel(r.tx.posid, r.tx.reference)).toMatchObject({ status: 'cancelled' });
    expect(await ledger(r.tx.reference)).toMatchObject({ status: 'canceled', authorizedMinor: 0 });
  });

  test('cancel while the card is being authorized (reader busy) → card read; the acquirer waits it out, then the reversal voids the hold', async () => {
    const r = register();
    await r.terminal.start(r.tx);
    await present(r.readerId);
    const tx = await r.terminal.cancel(r.tx.posid, r.tx.reference);
    expect(tx).toMatchObject({ status: 'card_read' });
    const err = await r.acquirer.cancelByReference(r.tx.reference, key(r, 'cancel')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlreadyApprovedError);
    const reversed = await r.acquirer.reverse((err as AlreadyApprovedError).payment.id, key(r, 'reverse'));
    expect(reversed.reversal).toBe('done');
    expect(await r.acquirer.reverse(reversed.id, key(r, 'reverse'))).toMatchObject({ reversal: 'done' });
    expect(await ledger(r.tx.reference)).toMatchObject({ status: 'canceled', authorizedMinor: 39800, capturedMinor: 0, voidedMinor: 39800 });
  });

  test('a reversal after capture → one refund of the whole amount', async () => {
    const r = register();
    const { last } = await follow(r, await r.terminal.start(r.tx));
    const approved = await r.acquirer.create(sale(r, last.cardToken), key(r, 'create'));
    await r.acquirer.confirm(approved.id, key(r, 'confirm'));
    await r.acquirer.reverse(approved.id, key(r, 'reverse'));
    await r.acquirer.reverse(approved.id, key(r, 'reverse'));
    expect(await ledger(r.tx.reference)).toMatchObject({ capturedMinor: 39800, reversedMinor: 39800, voidedMinor: 0 });
  });

  test("another payment on a busy reader → TerminalBusyError naming the open one; an offline reader → declined", async () => {
    const r = register({ amountMinor: 10052 });
    await r.terminal.start(r.tx);
    const err = await r.terminal.start({ ...r.tx, reference: `${r.tx.reference}-b` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TerminalBusyError);
    expect((err as TerminalBusyError).openReference).toBe(r.tx.reference);
    const offline = await r.terminal.start({ ...r.tx, posid: 'POS-OFFLINE', reference: `${r.tx.reference}-c` });
    expect(offline).toMatchObject({ status: 'declined', prompt: 'The card reader is offline' });
  });

  test('a worker that never saw the start (fresh process) finds the intent by its paymentid', async () => {
    const r = register();
    await r.terminal.start(r.tx);
    const fresh = r.provider();
    const tx = await fresh.terminal.get(r.tx.posid, r.tx.reference);
    expect(tx).toMatchObject({ status: 'prompting', reference: r.tx.reference });
  });

  test('a cancel before any start landed (on another worker) → the intent made and cancelled; the start that arrives later never prompts', async () => {
    const r = register();
    const other = r.provider();
    expect(await other.terminal.cancel(r.tx.posid, r.tx.reference, { started: r.tx })).toMatchObject({ status: 'cancelled' });
    expect(await r.terminal.start(r.tx)).toMatchObject({ status: 'cancelled' });
    expect((await readerOf(r.readerId)).action).toBeNull();
    expect(await ledger(r.tx.reference)).toMatchObject({ status: 'canceled', authorizedMinor: 0 });
  });

  describe("Stripe's search index lagging new intents (no worker may depend on it)", () => {
    beforeEach(() => simFaults({ searchLagMs: 600_000 }));
    afterEach(() => simFaults({ searchLagMs: 0, hold: null }));

    test('a worker that never saw the start cancels while the reader waits → the create replayed finds the intent: reader stopped, intent cancelled, nothing authorized', async () => {
      const r = register({ amountMinor: 10052 }); // .52: no card until the test helper
      writes.length = 0;
      await r.terminal.start(r.tx);
      const b = r.provider();
      expect(await b.terminal.cancel(r.tx.posid, r.tx.reference, { started: r.tx })).toMatchObject({ status: 'cancelled' });
      expect((await readerOf(r.readerId)).action).toMatchObject({ status: 'failed' });
      expect(await ledger(r.tx.reference)).toMatchObject({ status: 'canceled', authorizedMinor: 0, capturedMinor: 0 });
      // B's stop costs one write more than A's would: the create replayed (no new object).
      expect(writes).toEqual([
        '/v1/payment_intents',
        '/v1/terminal/readers/tmr_…/process_payment_intent',
        '/v1/payment_intents',
        '/v1/terminal/readers/tmr_…/cancel_action',
        '/v1/payment_intents/pi_…/cancel',
      ]);
    });

    test('worker A authorized the card, its answer lost; worker B cancels → card read, the acquirer finds the hold without search and the reversal voids it', async () => {
      const r = register();
      const { last } = await follow(r, await r.terminal.start(r.tx));
      expect(last.status).toBe('card_read');
      const b = r.provider(); // A's answers never reached the workflow: B knows nothing
      const tx = await b.terminal.cancel(r.tx.posid, r.tx.reference, { started: r.tx });
      expect(tx).toMatchObject({ status: 'card_read', cardToken: last.cardToken });
      const err = await b.acquirer.cancelByReference(r.tx.reference, key(r, 'cancel')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AlreadyApprovedError);
      await b.acquirer.reverse((err as AlreadyApprovedError).payment.id, key(r, 'reverse'));
      expect(await ledger(r.tx.reference)).toMatchObject({ status: 'canceled', authorizedMinor: 39800, voidedMinor: 39800, capturedMinor: 0 });
    });

    test('a worker that never saw the start polls after the reader moved on to the next sale → the same intent, by its create, not search', async () => {
      const r = register({ amountMinor: 10005 }); // .05: declined
      await follow(r, await r.terminal.start(r.tx));
      await r.terminal.start({ ...r.tx, reference: `${r.tx.reference}-next`, amountMinor: 10052 }); // the register's next sale on the reader
      const b = r.provider();
      expect(await b.terminal.get(r.tx.posid, r.tx.reference, { started: r.tx })).toMatchObject({ status: 'declined', prompt: 'Your card was declined.' });
      await expect(r.provider().terminal.get(r.tx.posid, 'never-started', {})).rejects.toBeInstanceOf(TransientError); // a search miss proves nothing
    });

    test('the cancel while the start\'s create still executes elsewhere → 409, asked again until it is answered; one intent, cancelled, never authorized', async () => {
      const r = register(); // a card the simulated customer presents by itself once the reader prompts
      await simFaults({ hold: { path: '/v1/payment_intents', ms: 1200 } });
      writes.length = 0;
      const a = r.terminal.start(r.tx);
      await eventuallyLedger(r.tx.reference);
      const b = r.provider();
      const cancelled = await b.terminal.cancel(r.tx.posid, r.tx.reference, { started: r.tx });
      expect(cancelled?.status).toBe('cancelled');
      expect(writes.filter((w) => w === '/v1/payment_intents').length).toBeGreaterThanOrEqual(3); // A's create, B's refused while it ran, B's replay
      await a; // A goes on with its stale answer: the reader refuses a cancelled intent, or B's cancel stops it
      await new Promise((done) => setTimeout(done, 1500)); // longer than the simulated customer takes to tap
      const money = await ledger(r.tx.reference);
      expect(money).toMatchObject({ status: 'canceled', authorizedMinor: 0, capturedMinor: 0 });
      expect((money.events as { type: string }[]).filter((e) => e.type === 'created')).toHaveLength(1);
      expect((await readerOf(r.readerId)).action?.status ?? 'none').not.toBe('in_progress');
    });
  });

  test('a refund that credits a captured sale: approved at once, paid at confirm, and then no longer reversible', async () => {
    const r = register();
    const { last } = await follow(r, await r.terminal.start(r.tx));
    const approved = await r.acquirer.create(sale(r, last.cardToken), key(r, 'create'));
    await r.acquirer.confirm(approved.id, key(r, 'confirm'));

    const refundRef = `${r.tx.reference}-refund`;
    const refundTx = await r.terminal.start({ ...r.tx, kind: 'refund', reference: refundRef, amountMinor: 10000 });
    expect(refundTx.status).toBe('card_read');
    const refund: CreatePayment = { ...sale(r, refundTx.cardToken), reference: refundRef, kind: 'refund', amountMinor: 10000, originalReference: r.tx.reference };
    const ok = await r.acquirer.create(refund, { idempotencyKey: `${refundRef}:create` });
    expect(ok).toMatchObject({ status: 'approved', kind: 'refund', lateReversalAllowed: false });
    expect((await (await fetch(`${url}/sim/ledger/${refundRef}`)).status)).toBe(404); // nothing paid before the register completes
    await r.acquirer.confirm(ok.id, { idempotencyKey: `${refundRef}:confirm` });
    await r.acquirer.confirm(ok.id, { idempotencyKey: `${refundRef}:confirm` });
    expect(await ledger(refundRef)).toMatchObject({ kind: 'refund', refundedMinor: 10000, originalReference: r.tx.reference });
    await expect(r.acquirer.reverse(ok.id, { idempotencyKey: `${refundRef}:reverse` })).rejects.toThrow(ReversalRefusedError);

    const unlinked = await r.acquirer.create({ ...refund, reference: `${refundRef}-2`, originalReference: null }, { idempotencyKey: `${refundRef}-2:create` });
    expect(unlinked.status).toBe('declined');
  });

  test('the write budget: a completed sale is 3 Stripe writes (intent, process, capture), a voided one 3, whatever the polling', async () => {
    const completed = register();
    writes.length = 0;
    let { last } = await follow(completed, await completed.terminal.start(completed.tx));
    const approved = await completed.acquirer.create(sale(completed, last.cardToken), key(completed, 'create'));
    await completed.acquirer.confirm(approved.id, key(completed, 'confirm'));
    expect(writes).toEqual(['/v1/payment_intents', '/v1/terminal/readers/tmr_…/process_payment_intent', '/v1/payment_intents/pi_…/capture']);

    const voided = register();
    writes.length = 0;
    ({ last } = await follow(voided, await voided.terminal.start(voided.tx)));
    const held = await voided.acquirer.create(sale(voided, last.cardToken), key(voided, 'create'));
    await voided.acquirer.reverse(held.id, key(voided, 'reverse'));
    expect(writes).toEqual(['/v1/payment_intents', '/v1/terminal/readers/tmr_…/process_payment_intent', '/v1/payment_intents/pi_…/cancel']);
  });

  describe('the call budget of a card sale (Stripe counts every call against the account)', () => {
    /** Waits, without a Stripe call, until the simulated reader authorized the card (the customer tapped). */
    async function authorized(r: ReturnType<typeof register>): Promise<string> {
      for (let i = 0; i < 200; i++) {
        const money = await ledger(r.tx.reference);
        if (money.authorizedMinor === r.tx.amountMinor) return money.id as string;
        await new Promise((done) => setTimeout(done, 25));
      }
      throw new Error(`${r.tx.reference} never authorized`);
    }

    test('a sale read once the card is authorized → 4 calls: intent, reader, one read of the reader, capture; the approval reads nothing more', async () => {
      const r = register();
      calls.length = 0;
      expect(await r.terminal.start(r.tx)).toMatchObject({ status: 'prompting', prompt: 'Present card' });
      await authorized(r);
      const read = await r.terminal.get(r.tx.posid, r.tx.reference, { started: r.tx }); // what a webhook's nudge does
      expect(read).toMatchObject({ status: 'card_read', cardToken: expect.stringMatching(/^pi_/) });
      const approved = await r.acquirer.create(sale(r, read.cardToken), key(r, 'create'));
      expect(approved).toMatchObject({ status: 'approved', confirmed: false, receipt: { scheme: 'Visa', last4: '4242' } });
      expect(await r.acquirer.confirm(approved.id, key(r, 'confirm'))).toMatchObject({ status: 'approved', confirmed: true, receipt: { scheme: 'Visa', last4: '4242' } });
      expect(calls).toEqual(['POST /v1/payment_intents', 'POST /v1/terminal/readers/tmr_…/process_payment_intent', 'GET /v1/terminal/readers/tmr_…', 'POST /v1/payment_intents/pi_…/capture']);
      const money = await ledger(r.tx.reference);
      expect(money).toMatchObject({ authorizedMinor: 39800, capturedMinor: 39800 });
      expect((money.events as { type: string }[]).filter((e) => e.type === 'captured')).toHaveLength(1);
    });

    test('the approval after a worker restart (only the card token: the intent id) → one read, and the intent must still be this payment’s', async () => {
      const r = register();
      await r.terminal.start(r.tx);
      await authorized(r);
      const read = await r.terminal.get(r.tx.posid, r.tx.reference, { started: r.tx });
      const restarted = r.provider(); // a new process: nothing handed over
      calls.length = 0;
      expect(await restarted.acquirer.create(sale(r, read.cardToken), key(r, 'create'))).toMatchObject({ status: 'approved', receipt: { scheme: 'Visa', last4: '4242' } });
      expect(calls).toEqual(['GET /v1/payment_intents/pi_…']);
      // Another payment's create with this intent is refused, whether the intent was handed over or read.
      const other = { ...sale(r, read.cardToken), reference: `${r.tx.reference}-other` };
      await expect(restarted.acquirer.create(other, key(r, 'create-other'))).rejects.toMatchObject({ code: 'card-token-mismatch' });
      await r.terminal.get(r.tx.posid, r.tx.reference, { started: r.tx });
      await expect(r.acquirer.create(other, key(r, 'create-other'))).rejects.toMatchObject({ code: 'card-token-mismatch' });
    });

    test('confirm of an intent captured already (an earlier attempt, its answer lost) → captured once, the refusal read as done', async () => {
      const r = register();
      await r.terminal.start(r.tx);
      const id = await authorized(r);
      const before = await fetch(`${url}/v1/payment_intents/${id}/capture`, { method: 'POST', headers: { authorization: 'Bearer sk_test_adapter', 'idempotency-key': 'lost-answer' } });
      expect(before.status).toBe(200);
      calls.length = 0;
      expect(await r.acquirer.confirm(id, key(r, 'confirm'))).toMatchObject({ status: 'approved', confirmed: true, receipt: { scheme: 'Visa', last4: '4242' } });
      expect(calls).toEqual(['POST /v1/payment_intents/pi_…/capture', 'GET /v1/payment_intents/pi_…']); // refused, then read for the card
      const money = await ledger(r.tx.reference);
      expect((money.events as { type: string }[]).filter((e) => e.type === 'captured')).toHaveLength(1);
      expect(money).toMatchObject({ capturedMinor: 39800 });
    });

    test('confirm of a voided intent → 409 not-approved, nothing captured, also when the refusal is replayed', async () => {
      const r = register();
      await r.terminal.start(r.tx);
      const id = await authorized(r);
      await r.acquirer.reverse(id, key(r, 'reverse'));
      calls.length = 0;
      await expect(r.acquirer.confirm(id, key(r, 'confirm'))).rejects.toMatchObject({ name: 'RejectedError', status: 409, code: 'not-approved' });
      expect(calls).toEqual(['POST /v1/payment_intents/pi_…/capture']);
      await expect(r.acquirer.confirm(id, key(r, 'confirm'))).rejects.toMatchObject({ code: 'not-approved' });
      expect(await ledger(r.tx.reference)).toMatchObject({ status: 'canceled', capturedMinor: 0, voidedMinor: 39800 });
    });

    test('confirm while the card is still being authorized → TransientError (retried), nothing captured; a replay of that refusal stays transient', async () => {
      const r = register({ amountMinor: 10052 }); // .52: the card waits for the test helper
      await r.terminal.start(r.tx);
      await present(r.readerId);
      const id = (await ledger(r.tx.reference)).id as string;
      calls.length = 0;
      await expect(r.acquirer.confirm(id, key(r, 'confirm'))).rejects.toBeInstanceOf(TransientError);
      expect(calls).toEqual(['POST /v1/payment_intents/pi_…/capture']);
      await authorized(r);
      // Stripe keeps the refusal under the key: read again, capturable now, yet never captured under a second key.
      await expect(r.acquirer.confirm(id, key(r, 'confirm'))).rejects.toBeInstanceOf(TransientError);
      expect(await ledger(r.tx.reference)).toMatchObject({ authorizedMinor: 10052, capturedMinor: 0 });
    });
  });

  test('Stripe down → TransientError 503', async () => {
    const r = register();
    await fetch(`${url}/sim/faults`, { method: 'POST', body: JSON.stringify({ down: true }), headers: { 'content-type': 'application/json' } });
    try {
      await expect(r.terminal.start(r.tx)).rejects.toMatchObject({ name: 'TransientError', status: 503 });
      await expect(r.acquirer.get('pi_x')).rejects.toBeInstanceOf(TransientError);
    } finally {
      await fetch(`${url}/sim/faults`, { method: 'POST', body: JSON.stringify({ down: false }), headers: { 'content-type': 'application/json' } });
    }
  });
});
