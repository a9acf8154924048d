import type { CollectUpdate } from '@payments/workflow';
import { inActivity, paymentInput, startWorld } from './__fixtures__/world';

type World = Awaited<ReturnType<typeof startWorld>>;
let w: World;

/** The card is read this long after the start, the prompts a third of it apart: wide enough for a loaded CI machine to read each one. */
const APPROVE_MS = 1200;

beforeAll(async () => {
  w = await startWorld({ approveDelayMs: APPROVE_MS });
});
afterAll(async () => {
  await w.close();
});

const card = (over: Parameters<typeof paymentInput>[0] = {}) => paymentInput({ method: 'card', ...over });
const start = (input: ReturnType<typeof card>) => inActivity().run(() => w.activities.startCollection(input));
const step = (input: ReturnType<typeof card>, lastMessage: string, acquirerId: string | null = null) =>
  inActivity().run(() => w.activities.awaitCollection({ input, acquirerId, lastMessage }));

/** Drives the collection like the workflow does, noting each message the register would show. */
async function walk(input: ReturnType<typeof card>): Promise<{ messages: string[]; last: CollectUpdate }> {
  let u = await start(input);
  const messages: string[] = [];
  while (u.status === 'pending') {
    messages.push(u.message);
    u = await step(input, u.message, u.acquirerId);
  }
  return { messages, last: u };
}

describe('card collection', () => {
  test('a card sale → the prompts one by one, then approved with the card on the receipt', async () => {
    const input = card();
    const { messages, last } = await walk(input);
    expect(messages).toEqual(['Present card', 'Enter PIN', 'Authorising']);
    expect(last).toMatchObject({
      status: 'approved',
      receiptrow: 'Card •••• 4242',
      receiptsection: ['Card\tVisa •••• 4242', expect.stringMatching(/^Ref\t[0-9A-F]{6}$/), 'Amount\t398.00 SEK'],
      lateReversalAllowed: true,
    });
    expect(await w.ledger(input.paymentid)).toMatchObject({ method: 'card', authorizedMinor: 39800, capturedMinor: 0 });
  });

  test('.51 → declined at the terminal; the acquirer never sees it', async () => {
    const input = card({ amountMinor: 10051 });
    const { last } = await walk(input);
    expect(last).toEqual({ status: 'declined', message: 'Card declined' });
    expect(Object.keys(await w.allLedger())).not.toContain(input.paymentid);
  });

  test('.52 → stays at Present card; cancelCollection → cancelled', async () => {
    const input = card({ amountMinor: 10052 });
    expect(await start(input)).toMatchObject({ status: 'pending', message: 'Present card' });
    const act = inActivity();
    const waiting = act.run(() => w.activities.awaitCollection({ input, acquirerId: null, lastMessage: 'Present card' }));
    await new Promise((r) => setTimeout(r, 600));
    act.env.cancel();
    await expect(waiting).rejects.toThrow();
    expect(await inActivity().run(() => w.activities.cancelCollection({ input, acquirerId: null }))).toEqual({ status: 'cancelled' });
  });

  test('cancelCollection once the card was read but not yet authorised → cancelled; no money moves, a late authorisation is refused', async () => {
    const input = card();
    await start(input);
    await new Promise((r) => setTimeout(r, APPROVE_MS + 150)); // the card is read by now
    expect(await inActivity().run(() => w.activities.cancelCollection({ input, acquirerId: null }))).toEqual({ status: 'cancelled' });
    // The awaitCollection that was cancelled meanwhile would authorise now: refused.
    expect(await step(input, 'Authorising')).toEqual({ status: 'cancelled' });
    expect(await w.ledger(input.paymentid)).toMatchObject({ status: 'cancelled', capturedMinor: 0 });
  });

  test('cancelCollection after the authorisation → approved, so the workflow reverses it', async () => {
    const input = card();
    const { last } = await walk(input);
    expect(last.status).toBe('approved');
    const update = await inActivity().run(() => w.activities.cancelCollection({ input, acquirerId: null }));
    expect(update).toMatchObject({ status: 'approved' });
  });

  test("a second payment while the register's terminal is busy → declined", async () => {
    const first = card({ amountMinor: 10052 });
    await start(first);
    const second = card({ posid: first.request.posid });
    expect(await start(second)).toEqual({ status: 'declined', message: 'The card terminal is busy with another payment' });
    await inActivity().run(() => w.activities.cancelCollection({ input: first, acquirerId: null }));
  });
});

describe('card collection when the provider pushes its events (one read per event, no long poll)', () => {
  let pushed: World;
  beforeAll(async () => {
    pushed = await startWorld({ approveDelayMs: APPROVE_MS, events: { fallbackReadMs: 5_000 } });
  });
  afterAll(async () => {
    await pushed.close();
  });
  const read = (input: ReturnType<typeof card>, acquirerId: string | null = null) =>
    inActivity().run(() => pushed.activities.readCollection({ input, acquirerId }));

  test('startCollection and readCollection answer at once, pending answers saying how the workflow waits', async () => {
    const input = card();
    const events = { fallbackReadMs: 5_000 };
    expect(await inActivity().run(() => pushed.activities.startCollection(input))).toEqual({ status: 'pending', message: 'Present card', qrcode: null, acquirerId: null, events });
    const began = Date.now();
    expect(await read(input)).toEqual({ status: 'pending', message: 'Present card', qrcode: null, acquirerId: null, events });
    expect(Date.now() - began).toBeLessThan(APPROVE_MS / 3);
    await inActivity().run(() => pushed.activities.cancelCollection({ input, acquirerId: null }));
  });

  test('a read once the card was read → authorised in the same read, approved; a read again authorises nothing more', async () => {
    const input = card();
    await inActivity().run(() => pushed.activities.startCollection(input));
    await new Promise((r) => setTimeout(r, APPROVE_MS + 150)); // the card is read by now
    const done = await read(input);
    expect(done).toMatchObject({ status: 'approved', receiptrow: 'Card •••• 4242' });
    expect(await read(input, done.status === 'approved' ? done.acquirerId : null)).toMatchObject({ status: 'approved' });
    expect(await pushed.ledger(input.paymentid)).toMatchObject({ authorizedMinor: 39800, capturedMinor: 0 });
  });
});
