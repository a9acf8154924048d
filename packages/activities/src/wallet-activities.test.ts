import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { TransientError } from '@payments/adapters';
import { RECEIPT_TITLE_MAX } from '@payments/contract';
import type { CollectUpdate } from '@payments/workflow';
import { inActivity, paymentInput, startWorld } from './__fixtures__/world';

type World = Awaited<ReturnType<typeof startWorld>>;
let w: World;

beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w.close();
});

const start = (input = paymentInput()) => inActivity().run(() => w.activities.startCollection(input));
const awaitIt = (input: ReturnType<typeof paymentInput>, acquirerId: string | null, lastMessage = '') =>
  inActivity().run(() => w.activities.awaitCollection({ input, acquirerId, lastMessage }));
const approved = (u: CollectUpdate) => {
  if (u.status !== 'approved') throw new Error(`expected approved, got ${JSON.stringify(u)}`);
  return u;
};
const pendingId = (u: CollectUpdate) => {
  if (u.status !== 'pending' || !u.acquirerId) throw new Error(`expected pending, got ${JSON.stringify(u)}`);
  return u.acquirerId;
};
/** Runs start then await to the end. */
const collect = async (input: ReturnType<typeof paymentInput>) => {
  const first = await start(input);
  return first.status === 'pending' ? awaitIt(input, first.acquirerId, first.message) : first;
};

describe('wallet collection', () => {
  test('startCollection → pending with the QR code; awaitCollection → approved with the receipt; money captured once', async () => {
    const input = paymentInput();
    const first = await start(input);
    expect(first).toMatchObject({ status: 'pending', message: 'Scan the QR code with your wallet app' });
    const id = pendingId(first);
    expect(first.status === 'pending' && first.qrcode).toBe(`${w.url}/wallet/${id}`);

    const done = approved(await awaitIt(input, id, 'Scan the QR code with your wallet app'));
    expect(done.acquirerId).toBe(id);
    expect(done.lateReversalAllowed).toBe(true);
    expect(done.receiptrow).toMatch(/^Wallet payment ref [0-9A-F]{6}$/);
    expect(done.receiptsection).toEqual([
      'Wallet\tSimPay',
      `Ref\t${done.receiptrow.slice(-6)}`,
      'Amount\t398.00 SEK',
    ]);
    for (const line of done.receiptsection) expect(line.split('\t')[0]!.length).toBeLessThanOrEqual(RECEIPT_TITLE_MAX);
    // Two-step money: approval holds the amount; confirmPayment (PUT completed) captures it.
    expect(await w.ledger(input.paymentid)).toMatchObject({ capturedMinor: 0, authorizedMinor: 39800, method: 'wallet' });
    await inActivity().run(() => w.activities.confirmPayment({ input, acquirerId: id }));
    expect(await w.ledger(input.paymentid)).toMatchObject({ capturedMinor: 39800, authorizedMinor: 39800 });
  });

  test('startCollection twice (a retried activity) → one acquirer payment, one capture', async () => {
    const input = paymentInput();
    const a = pendingId(await start(input));
    const b = pendingId(await start(input));
    expect(b).toBe(a);
    approved(await awaitIt(input, a));
    for (let i = 0; i < 2; i++) await inActivity().run(() => w.activities.confirmPayment({ input, acquirerId: a }));
    const entries = Object.keys(await w.allLedger()).filter((ref) => ref === input.paymentid);
    expect(entries).toHaveLength(1);
    const entry = await w.ledger(input.paymentid);
    expect(entry.capturedMinor).toBe(39800);
    expect(entry.events.filter((e: { type: string }) => e.type === 'captured')).toHaveLength(1);
  });

  test('.51 → awaitCollection answers declined; no money moves', async () => {
    const input = paymentInput({ amountMinor: 10051 });
    expect(await collect(input)).toEqual({ status: 'declined', message: 'Declined by the customer' });
    expect(await w.ledger(input.paymentid)).toMatchObject({ capturedMinor: 0, status: 'declined' });
  });

  test('.52 → awaitCollection heartbeats without answering until cancelled; cancelCollection → cancelled', async () => {
    const input = paymentInput({ amountMinor: 10052 });
    const id = pendingId(await start(input));
    const act = inActivity();
    const waiting = act.run(() => w.activities.awaitCollection({ input, acquirerId: id, lastMessage: 'Scan the QR code with your wallet app' }));
    await new Promise((r) => setTimeout(r, 700)); // longer than one long-poll
    expect(act.heartbeats.length).toBeGreaterThanOrEqual(5);
    act.env.cancel();
    await expect(waiting).rejects.toBeInstanceOf(CancelledFailure);

    const cancelled = await inActivity().run(() => w.activities.cancelCollection({ input, acquirerId: id }));
    expect(cancelled).toEqual({ status: 'cancelled' });
    expect(await w.ledger(input.paymentid)).toMatchObject({ status: 'cancelled', capturedMinor: 0 });
  });

  test('.53 → startCollection throws TransientError 3 times (the workflow retries), then works; awaitCollection rides out its 503s', async () => {
    const input = paymentInput({ amountMinor: 10053 });
    for (let i = 0; i < 3; i++) await expect(start(input)).rejects.toBeInstanceOf(TransientError);
    const id = pendingId(await start(input));
    approved(await awaitIt(input, id));
    expect(await w.ledger(input.paymentid)).toMatchObject({ authorizedMinor: 10053 });
  });

  test('.54 → approved without late reversal; after confirmPayment, reversePayment fails non-retryable reversal-refused', async () => {
    const input = paymentInput({ amountMinor: 10054 });
    const done = approved(await collect(input));
    expect(done.lateReversalAllowed).toBe(false);
    await inActivity().run(() => w.activities.confirmPayment({ input, acquirerId: done.acquirerId }));
    const err = await inActivity()
      .run(() => w.activities.reversePayment({ input, acquirerId: done.acquirerId, reason: 'test' }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'reversal-refused', nonRetryable: true });
    expect(await w.ledger(input.paymentid)).toMatchObject({ capturedMinor: 10054, reversedMinor: 0 });
  });

  test('.55 → every call is slow, and awaitCollection keeps heartbeating through it', async () => {
    const input = paymentInput({ amountMinor: 10055 });
    const t0 = Date.now();
    const id = pendingId(await start(input));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    const act = inActivity();
    approved(await act.run(() => w.activities.awaitCollection({ input, acquirerId: id, lastMessage: '' })));
    expect(act.heartbeats.length).toBeGreaterThanOrEqual(3);
  });

  test('reversePayment twice before confirm → the authorization voided once, nothing captured', async () => {
    const input = paymentInput();
    const done = approved(await collect(input));
    for (let i = 0; i < 2; i++) {
      await inActivity().run(() => w.activities.reversePayment({ input, acquirerId: done.acquirerId, reason: 'test' }));
    }
    const entry = await w.ledger(input.paymentid);
    expect(entry).toMatchObject({ authorizedMinor: 39800, capturedMinor: 0, voidedMinor: 39800, reversedMinor: 0 });
    expect(entry.events.filter((e: { type: string }) => e.type === 'voided')).toHaveLength(1);
  });

  test('reversePayment twice after confirmPayment → the captured money goes back once', async () => {
    const input = paymentInput();
    const done = approved(await collect(input));
    await inActivity().run(() => w.activities.confirmPayment({ input, acquirerId: done.acquirerId }));
    for (let i = 0; i < 2; i++) {
      await inActivity().run(() => w.activities.reversePayment({ input, acquirerId: done.acquirerId, reason: 'test' }));
    }
    const entry = await w.ledger(input.paymentid);
    expect(entry).toMatchObject({ capturedMinor: 39800, reversedMinor: 39800 });
    expect(entry.events.filter((e: { type: string }) => e.type === 'reversed')).toHaveLength(1);
  });

  test('cancelCollection after the customer approved → approved (the workflow then reverses)', async () => {
    const input = paymentInput();
    const id = pendingId(await start(input));
    approved(await awaitIt(input, id));
    const update = await inActivity().run(() => w.activities.cancelCollection({ input, acquirerId: id }));
    expect(update).toMatchObject({ status: 'approved', acquirerId: id });
  });

  test('cancelCollection before any create answered → cancelled, and a late startCollection moves no money', async () => {
    const input = paymentInput();
    expect(await inActivity().run(() => w.activities.cancelCollection({ input, acquirerId: null }))).toEqual({ status: 'cancelled' });
    expect(await start(input)).toEqual({ status: 'cancelled' });
    await new Promise((r) => setTimeout(r, 250));
    expect(await w.ledger(input.paymentid)).toMatchObject({ status: 'cancelled', capturedMinor: 0 });
  });

  test('the acquirer down while waiting → awaitCollection keeps trying and answers once it is back', async () => {
    const input = paymentInput();
    const id = pendingId(await start(input));
    await w.setDown(true);
    const waiting = awaitIt(input, id);
    await new Promise((r) => setTimeout(r, 300));
    await w.setDown(false);
    approved(await waiting);
  });

  test('a refund crediting a sale → approved at once with a refund receipt, paid back at confirmPayment', async () => {
    const sale = paymentInput();
    approved(await collect(sale));
    const refund = paymentInput({ amountMinor: -12900, creditpaymentid: sale.paymentid });
    const done = approved(await start(refund));
    expect(done.receiptrow).toMatch(/^Wallet refund ref [0-9A-F]{6}$/);
    expect(done.receiptsection[2]).toBe('Refunded\t129.00 SEK');
    expect(await w.ledger(refund.paymentid)).toMatchObject({ kind: 'refund', authorizedMinor: 12900, refundedMinor: 0, originalReference: sale.paymentid });
    await inActivity().run(() => w.activities.confirmPayment({ input: refund, acquirerId: done.acquirerId }));
    expect(await w.ledger(refund.paymentid)).toMatchObject({ kind: 'refund', refundedMinor: 12900, originalReference: sale.paymentid });
  });
});

describe('wallet collection when the provider pushes its events', () => {
  const read = (input: ReturnType<typeof paymentInput>, acquirerId: string | null) => inActivity().run(() => w.activities.readCollection({ input, acquirerId }));

  test('readCollection → one read, no wait: pending as it is, then approved once the customer approved', async () => {
    const input = paymentInput();
    const id = pendingId(await start(input));
    expect(await read(input, id)).toMatchObject({ status: 'pending', acquirerId: id, message: 'Scan the QR code with your wallet app' });
    await new Promise((r) => setTimeout(r, 400)); // the customer (150 ms) has approved by now
    expect(approved(await read(input, id)).acquirerId).toBe(id);
    expect(await w.ledger(input.paymentid)).toMatchObject({ authorizedMinor: 39800, capturedMinor: 0 });
  });

  test('readCollection with no acquirer id yet (a start that never answered) → the idempotent create finds the one payment', async () => {
    const input = paymentInput();
    const id = pendingId(await start(input));
    const u = await read(input, null);
    expect(u.status === 'pending' || u.status === 'approved' ? u.acquirerId : null).toBe(id);
    expect(Object.keys(await w.allLedger()).filter((ref) => ref === input.paymentid)).toHaveLength(1);
  });

  test('readCollection while the acquirer is down → throws TransientError (the workflow retries the read)', async () => {
    const input = paymentInput();
    const id = pendingId(await start(input));
    await w.setDown(true);
    try {
      await expect(read(input, id)).rejects.toBeInstanceOf(TransientError);
    } finally {
      await w.setDown(false);
    }
  });
});
