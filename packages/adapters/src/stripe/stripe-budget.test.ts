import type Stripe from 'stripe';
import { StripeBudget, budgetFor, endpointBudgetFor, endpointOf, modeOf } from './stripe-budget';
import { budgetedHttpClient } from './stripe-transport';

beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
afterEach(() => jest.useRealTimers());

/** Takes from the budget and records when each request may go out, relative to the start. */
function recorder(budget: StripeBudget) {
  const start = Date.now();
  const out: string[] = [];
  const at: Record<string, number> = {};
  const take = (name: string, priority: 'step' | 'poll', signal?: AbortSignal) =>
    budget.take(priority, signal).then(() => {
      out.push(name);
      at[name] = Date.now() - start;
    });
  return { out, at, take, start };
}

describe('StripeBudget', () => {
  test('a burst goes out at once up to the bucket, the rest one every 1/rate seconds, in order', async () => {
    const { out, at, take } = recorder(new StripeBudget({ perSecond: 10, burst: 2 }));
    const all = ['a', 'b', 'c', 'd', 'e'].map((n) => take(n, 'poll'));
    await jest.advanceTimersByTimeAsync(1_000);
    await Promise.all(all);
    expect(out).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(at).toEqual({ a: 0, b: 0, c: 100, d: 200, e: 300 });
  });

  test('a step waiting is served before every poll that waits (steps first), polls after it in order', async () => {
    const { out, take } = recorder(new StripeBudget({ perSecond: 10, burst: 1 }));
    const calls = [take('p1', 'poll'), take('p2', 'poll'), take('p3', 'poll'), take('s1', 'step'), take('p4', 'poll'), take('s2', 'step')];
    await jest.advanceTimersByTimeAsync(1_000);
    await Promise.all(calls);
    expect(out).toEqual(['p1', 's1', 's2', 'p2', 'p3', 'p4']);
  });

  test('the sustained rate never exceeds perSecond over any second', async () => {
    const { at, take } = recorder(new StripeBudget({ perSecond: 20, burst: 5 }));
    const calls = Array.from({ length: 100 }, (_, i) => take(`c${i}`, i % 3 === 0 ? 'step' : 'poll'));
    await jest.advanceTimersByTimeAsync(10_000);
    await Promise.all(calls);
    const times = Object.values(at).sort((x, y) => x - y);
    for (const t of times) expect(times.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(20 + 5);
    expect(times[times.length - 1]).toBeGreaterThanOrEqual(((100 - 5) / 20) * 1000 - 1);
  });

  test('an aborted wait leaves the queue with the signal’s reason and takes no token', async () => {
    const { out, take } = recorder(new StripeBudget({ perSecond: 10, burst: 1 }));
    const first = take('a', 'poll');
    const abort = new AbortController();
    const second = take('b', 'poll', abort.signal);
    const third = take('c', 'poll');
    abort.abort(new Error('activity cancelled'));
    await expect(second).rejects.toThrow('activity cancelled');
    await jest.advanceTimersByTimeAsync(100);
    await Promise.all([first, third]);
    expect(out).toEqual(['a', 'c']);
    await expect(new StripeBudget({ perSecond: 1 }).take('poll', AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
  });

  test('after a 429 (holdFor) nothing goes out until the hold ends, then at the rate again; a hold is at most a second', async () => {
    const budget = new StripeBudget({ perSecond: 10, burst: 3 });
    const { at, take, start } = recorder(budget);
    budget.holdFor(500);
    const calls = [take('a', 'step'), take('b', 'poll')];
    await jest.advanceTimersByTimeAsync(1_000);
    await Promise.all(calls);
    expect(at.a).toBeGreaterThanOrEqual(500);
    expect(at.b! - at.a!).toBeGreaterThanOrEqual(100);
    const heldAt = Date.now() - start;
    budget.holdFor(60_000);
    const late = take('c', 'poll');
    await jest.advanceTimersByTimeAsync(1_500);
    await late;
    // Held one second (not a minute), then the one token it needs: 100 ms at 10/s.
    expect(at.c! - heldAt).toBeGreaterThanOrEqual(1_000);
    expect(at.c! - heldAt).toBeLessThanOrEqual(1_100);
  });
});

test('the mode comes from the key; one budget per key in the process, 80% of Stripe’s limit (sandbox 25/s → 20, live 100/s → 80)', () => {
  expect(modeOf('sk_test_abc')).toBe('sandbox');
  expect(modeOf('rk_test_abc')).toBe('sandbox');
  expect(modeOf('sk_live_abc')).toBe('live');
  expect(modeOf('rk_live_abc')).toBe('live');
  expect(budgetFor('sk_test_budget1')).toBe(budgetFor('sk_test_budget1'));
  expect(budgetFor('sk_test_budget1')).not.toBe(budgetFor('sk_test_budget2'));
  expect(budgetFor('sk_test_budget1').perSecond).toBe(20);
  expect(budgetFor('sk_live_budget1').perSecond).toBe(80);
  expect(budgetFor('sk_test_budget1', 5).perSecond).toBe(5);
});

describe('the budgeted transport', () => {
  /** A stand-in for the SDK's HTTP client: answers 200 at once and records when each request left. */
  function fakeInner(sent: { path: string; at: number }[]): Stripe.HttpClient {
    return {
      getClientName: () => 'fake',
      makeRequest: async (_host, _port, path) => {
        sent.push({ path, at: Date.now() });
        return { getStatusCode: () => 200, getHeaders: () => ({}), getRawResponse: () => null, toStream: () => null, toJSON: async () => ({}) };
      },
    };
  }

  test("a live account's polls of one endpoint stay under Stripe's 25 a second for that endpoint, while another endpoint goes on", async () => {
    const sent: { path: string; at: number }[] = [];
    const key = 'sk_live_transport1';
    const client = budgetedHttpClient({ budget: budgetFor(key), endpointBudget: (e) => endpointBudgetFor(key, e), labels: { merchant: 'm', mode: 'live' }, inner: fakeInner(sent) });
    const start = Date.now();
    const reads = Array.from({ length: 45 }, (_, i) =>
      client.makeRequest('api.stripe.com', '443', `/v1/terminal/readers/tmr_${i}`, 'GET', {}, '', 'https', 1000),
    );
    const other = client.makeRequest('api.stripe.com', '443', '/v1/payment_intents/pi_1/capture', 'POST', {}, '', 'https', 1000);
    await jest.advanceTimersByTimeAsync(3_000);
    await Promise.all([...reads, other]);
    const readerTimes = sent.filter((s) => s.path.startsWith('/v1/terminal/readers/')).map((s) => s.at - start);
    for (const t of readerTimes) expect(readerTimes.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(25);
    expect(readerTimes[readerTimes.length - 1]).toBeGreaterThanOrEqual(((45 - 5) / 20) * 1000 - 1); // 80% of 25 a second
    expect(sent.find((s) => s.path.endsWith('/capture'))!.at - start).toBe(0); // its own endpoint, the account far from its 80
  });

  test('endpoints are counted as Stripe counts them: one per operation, whatever the id', () => {
    expect(endpointOf('get', '/v1/payment_intents/pi_3Abc?expand[0]=latest_charge')).toBe('GET /v1/payment_intents/:id');
    expect(endpointOf('POST', '/v1/terminal/readers/tmr_FOO/process_payment_intent')).toBe('POST /v1/terminal/readers/:id/process_payment_intent');
    expect(endpointOf('GET', '/v1/payment_intents/search')).toBe('GET /v1/payment_intents/search');
    expect(endpointBudgetFor('sk_test_e', 'GET /v1/payment_intents/search').perSecond).toBe(16);
    expect(endpointBudgetFor('sk_test_e', 'GET /v1/payment_intents/:id').perSecond).toBe(20);
  });
});
