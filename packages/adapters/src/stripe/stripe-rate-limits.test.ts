import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Stripe from 'stripe';
import { createSimulator, type Simulator } from '@payments/simulator-core';
import { RejectedError, TransientError } from '../errors';
import type { StartTransaction, TerminalTransaction } from '../terminal';
import { StripeAccount } from './stripe-account';
import { fromStripeError, rateLimitRetry, RATE_LIMIT_MAX_MS } from './stripe-errors';
import type { StripeRequestEvent } from './stripe-transport';
import { createStripeProvider, readerTransaction } from './index';

let dir: string;
let sim: Simulator;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'adapters-stripe-429-'));
  sim = await createSimulator({ ledgerPath: path.join(dir, 'ledger.json'), approveDelayMs: 400 });
  ({ url } = await sim.listen(0));
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => faults({ rateLimit: null }));

async function faults(body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${url}/sim/stripe/faults`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  expect(res.status).toBe(200);
}
const usage = async (key: string) =>
  ((await (await fetch(`${url}/sim/stripe/usage`)).json()) as { accounts: Record<string, { read: number; write: number; rateLimited: number }> }).accounts[
    `${key.slice(0, 8)}…${key.slice(-4)}`
  ] ?? { read: 0, write: 0, rateLimited: 0 };
const ledger = async (reference: string) => (await (await fetch(`${url}/sim/ledger/${reference}`)).json()) as Record<string, unknown>;

let n = 0;
/** A merchant on an account (key) of its own, its requests counted. */
function merchant(options: { requestsPerSecond?: number } = {}) {
  n += 1;
  const key = `sk_test_rl${process.pid}x${n}`;
  const events: StripeRequestEvent[] = [];
  const provider = createStripeProvider({
    merchant: `rl${n}`,
    secretKey: key,
    apiUrl: url,
    readers: { POS: `tmr_rl${process.pid}x${n}` },
    pollEveryMs: 25,
    metrics: { request: (e) => events.push(e) },
    ...options,
  });
  const tx: StartTransaction = { posid: 'POS', reference: `rl-${process.pid}-${n}`, kind: 'sale', amountMinor: 12300, currencycode: 'SEK' };
  return { key, events, tx, ...provider };
}

async function follow(m: ReturnType<typeof merchant>, first: TerminalTransaction): Promise<TerminalTransaction> {
  let cur = first;
  while (cur.status === 'prompting') cur = await m.terminal.get(m.tx.posid, m.tx.reference, { waitMs: 2000, after: cur.prompt });
  return cur;
}

describe("Stripe's 429 through the adapter", () => {
  test('Stripe at 3 requests a second, the budget far above it → a whole sale still completes: every 429 retried inside the call, captured once', async () => {
    await faults({ rateLimit: { perSecond: 3 } });
    const m = merchant({ requestsPerSecond: 1000 });
    const read = await follow(m, await m.terminal.start(m.tx));
    expect(read.status).toBe('card_read');
    const sale = { reference: m.tx.reference, merchant: 'rl', kind: 'sale' as const, method: 'card' as const, amountMinor: 12300, currencycode: 'SEK', posid: 'POS', originalReference: null, cardToken: read.cardToken! };
    const approved = await m.acquirer.create(sale, { idempotencyKey: `${m.tx.reference}:create` });
    expect(approved.status).toBe('approved');
    expect(await m.acquirer.confirm(approved.id, { idempotencyKey: `${m.tx.reference}:confirm` })).toMatchObject({ confirmed: true });
    const money = await ledger(m.tx.reference);
    expect(money).toMatchObject({ authorizedMinor: 12300, capturedMinor: 12300 });
    expect((money.events as { type: string }[]).filter((e) => e.type === 'captured')).toHaveLength(1);
    const limited = m.events.filter((e) => e.outcome === 'rate_limited').length;
    expect(limited).toBeGreaterThan(0);
    expect((await usage(m.key)).rateLimited).toBe(limited); // what the worker counted is what Stripe refused
  });

  test('a 429 with Stripe-Should-Retry: false → TransientError 429 at once (left to the activity’s retry), never a RejectedError', async () => {
    await faults({ rateLimit: { perSecond: 1, shouldRetry: false } });
    const m = merchant({ requestsPerSecond: 1000 });
    const account = new StripeAccount({ merchant: 'x', secretKey: m.key, apiUrl: url, readers: {}, requestsPerSecond: 1000 });
    await account.call('read', (s) => s.terminal.readers.retrieve('tmr_rlx'));
    const before = await usage(m.key);
    const err = await account.call('read', (s) => s.terminal.readers.retrieve('tmr_rlx')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect(err).not.toBeInstanceOf(RejectedError);
    expect((err as TransientError).status).toBe(429);
    expect((await usage(m.key)).read - before.read).toBe(1); // not retried here
  });

  test('the default budget keeps one process under Stripe’s sandbox limit: 60 reads at once → no 429, spread over seconds', async () => {
    const m = merchant();
    const account = new StripeAccount({ merchant: 'x', secretKey: m.key, apiUrl: url, readers: {} });
    const started = Date.now();
    await Promise.all(Array.from({ length: 60 }, () => account.call('read', (s) => s.terminal.readers.retrieve('tmr_rly'))));
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000); // (60 - 5 burst) / 20 a second
    expect(await usage(m.key)).toMatchObject({ read: 60, write: 0, rateLimited: 0 });
  });

  test('a call waiting for the budget ends with its signal’s reason when aborted, and sends nothing', async () => {
    const m = merchant({ requestsPerSecond: 1 });
    const account = new StripeAccount({ merchant: 'x', secretKey: m.key, apiUrl: url, readers: {}, requestsPerSecond: 1 });
    await account.call('read', (s) => s.terminal.readers.retrieve('tmr_rlz')); // the one token
    const abort = new AbortController();
    const waiting = account.call('read', (s) => s.terminal.readers.retrieve('tmr_rlz'), abort.signal);
    abort.abort(new Error('activity cancelled'));
    await expect(waiting).rejects.toThrow('activity cancelled');
    expect((await usage(m.key)).read).toBe(1);
  });
});

describe('rateLimitRetry: how long after a 429', () => {
  const rateLimited = (headers: Record<string, string> = {}) => new Stripe.errors.StripeRateLimitError({ message: 'Request rate limit exceeded.', statusCode: 429, headers, type: 'invalid_request_error' });

  test('doubles from 250 ms up to a bound, jittered over the upper half; Stripe-Should-Retry: false → no retry here', () => {
    expect(rateLimitRetry(rateLimited(), 0, () => 0)).toBe(125);
    expect(rateLimitRetry(rateLimited(), 0, () => 1)).toBe(250);
    expect(rateLimitRetry(rateLimited({ 'stripe-should-retry': 'true' }), 2, () => 1)).toBe(1000);
    expect(rateLimitRetry(rateLimited(), 30, () => 1)).toBe(RATE_LIMIT_MAX_MS);
    expect(rateLimitRetry(rateLimited({ 'stripe-should-retry': 'false' }), 0)).toBeNull();
    expect(rateLimitRetry(new Stripe.errors.StripeAPIError({ message: 'down', statusCode: 503 }), 0)).toBeNull();
  });

  test('a 429 is transient whatever its body says; so is Stripe-Should-Retry: false', () => {
    expect(fromStripeError(rateLimited(), 'x')).toBeInstanceOf(TransientError);
    expect(fromStripeError(rateLimited({ 'stripe-should-retry': 'false' }), 'x')).toBeInstanceOf(TransientError);
  });
});

test('an intent read before its reader (reads seconds apart under the budget) → still Processing, not a decline', () => {
  const head = { posid: 'POS', reference: 'p1', kind: 'sale' as const };
  const intent = { id: 'pi_1', amount: 100, currency: 'sek', status: 'requires_payment_method', last_payment_error: null } as unknown as Stripe.PaymentIntent;
  const reader = (status: string) => ({ action: { status, process_payment_intent: { payment_intent: 'pi_1' } } }) as unknown as Stripe.Terminal.Reader;
  expect(readerTransaction(head, intent, reader('succeeded'))).toMatchObject({ status: 'prompting', prompt: 'Processing' });
  expect(readerTransaction(head, intent, reader('in_progress'))).toMatchObject({ status: 'prompting', prompt: 'Present card' });
  const declined = { ...intent, last_payment_error: { message: 'Your card was declined.' } } as unknown as Stripe.PaymentIntent;
  expect(readerTransaction(head, declined, reader('failed'))).toMatchObject({ status: 'declined', prompt: 'Your card was declined.' });
});
