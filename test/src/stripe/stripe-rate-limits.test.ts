// 100 card payments in flight at once on one Stripe sandbox account, the simulated Stripe at the
// sandbox's documented limit (25 requests a second per account): the worker's budget queues the
// calls, a 429 is retried, and no payment is cancelled or declined for it. Correctness, not
// speed: on a 2-core machine the whole run takes minutes, so every wait here is generous.
import { paymentRequest, type Register } from '../support/register';
import { type System, eventually } from '../support/system';
import { STRIPE_KEY, putState, startStripeSystem, stripeLedger } from './stripe-system';

const PAYMENTS = 100;
/** A register and its reader for each payment: one reader takes one payment at a time. */
const READERS = Object.fromEntries(Array.from({ length: PAYMENTS }, (_, i) => [`SIE0000170000${String(i + 1).padStart(3, '0')}`, `tmr_rl${i + 1}`]));

let system: System;
let shop: Register;

beforeAll(async () => {
  ({ system, shop } = await startStripeSystem({
    env: {
      CARD_PROVIDERS: JSON.stringify({ shop: { provider: 'stripe', secretKey: STRIPE_KEY, readers: READERS } }),
      // No payment may end by a timer because Stripe's calls queued: the register completes each.
      PAYMENT_EXPIRY_MS: '1200000',
      ACK_TIMEOUT_MS: '1200000',
    },
  }));
}, 180_000);
afterAll(() => system?.stop());

interface Usage {
  read: number;
  write: number;
  rateLimited: number;
}
/** What the simulated Stripe received from the account, by endpoint too, and how many it refused with 429. */
async function simUsage(): Promise<Usage & { endpoints: Record<string, number> }> {
  const masked = `${STRIPE_KEY.slice(0, 8)}…${STRIPE_KEY.slice(-4)}`;
  const body = (await (await fetch(`${system.simUrl}/sim/stripe/usage`)).json()) as { accounts: Record<string, Usage & { endpoints: Record<string, number> }> };
  return body.accounts[masked] ?? { read: 0, write: 0, rateLimited: 0, endpoints: {} };
}

/** The worker's stripe_requests_total for the merchant, summed by kind and by outcome. */
async function workerUsage(): Promise<Usage> {
  const text = await (await fetch(system.workerMetricsUrl)).text();
  const usage: Usage = { read: 0, write: 0, rateLimited: 0 };
  for (const line of text.split('\n')) {
    const m = /^stripe_requests_total\{(.*)\} (\S+)$/.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries([...(m[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (labels.merchant !== 'shop') continue;
    const n = Number(m[2]);
    if (labels.kind === 'read') usage.read += n;
    if (labels.kind === 'write') usage.write += n;
    if (labels.outcome === 'rate_limited') usage.rateLimited += n;
  }
  return usage;
}

const minus = (a: Usage, b: Usage): Usage => ({ read: a.read - b.read, write: a.write - b.write, rateLimited: a.rateLimited - b.rateLimited });

/** Faults of the simulated Stripe (POST /sim/stripe/faults). */
async function stripeFaults(body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${system.simUrl}/sim/stripe/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
}

/**
 * Starts one payment on every register at once, takes each to ready_to_complete and completes it;
 * asserts every one completed and captured once, and answers what Stripe saw.
 */
async function paymentsAtOnce(label: string): Promise<{ worker: Usage; sim: Usage }> {
  const simBefore = await simUsage();
  const workerBefore = await workerUsage();
  const started = Date.now();

  const posids = Object.keys(READERS);
  // Whole amounts: the simulated customer taps an approved card on every reader by itself.
  const amounts = posids.map((_, i) => (100 + i) * 100);
  const ids = await Promise.all(posids.map((posid, i) => shop.startRetryingShed(paymentRequest((amounts[i]! / 100).toFixed(2), { posid }), 120_000)));

  // Each payment to ready_to_complete (authorized, held), then the register completes it.
  const finals = await Promise.all(
    ids.map(async (id) => {
      const ready = await shop.until(id, ['ready_to_complete', 'cancelled', 'completed'], 900_000);
      if (ready.paymentstate.state !== 'ready_to_complete') return ready.paymentstate;
      return (await putState(shop, id, 'completed')).body.paymentstate;
    }),
  );
  const wrong = finals.map((p, i) => ({ id: ids[i], state: p.state, message: p.message })).filter((p) => p.state !== 'completed');
  expect(wrong).toEqual([]);

  // The money: each intent captured exactly once, for its amount; nothing voided or refunded.
  const ledgers = await Promise.all(ids.map((id) => eventually(() => stripeLedger(system.simUrl, id), (m) => m?.status === 'succeeded', 300_000, 500)));
  ledgers.forEach((money, i) => {
    expect(money).toMatchObject({ authorizedMinor: amounts[i], capturedMinor: amounts[i], voidedMinor: 0, reversedMinor: 0 });
    expect(money!.events.filter((e) => e.type === 'captured')).toHaveLength(1);
  });
  const seconds = Math.round((Date.now() - started) / 1000);

  // The last capture's answer may still be on its way to the worker's counter.
  await new Promise((done) => setTimeout(done, 2_000));
  const simAfter = await simUsage();
  const sim = minus(simAfter, simBefore);
  const endpoints = Object.entries(simAfter.endpoints)
    .map(([endpoint, count]) => [endpoint, count - (simBefore.endpoints[endpoint] ?? 0)] as const)
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1]);
  const worker = minus(await workerUsage(), workerBefore);
  const per = (n: number) => (n / PAYMENTS).toFixed(1);
  console.log(
    [
      `${PAYMENTS} Stripe card payments at once, one sandbox account, ${label}: all completed in ${seconds} s`,
      `Stripe calls per payment (worker): ${per(worker.read + worker.write)} — reads ${per(worker.read)}, writes ${per(worker.write)}`,
      `Stripe received: ${sim.read} reads, ${sim.write} writes; answered 429 to ${sim.rateLimited} (the worker counted ${worker.rateLimited}, each retried)`,
      ...endpoints.map(([endpoint, count]) => `  ${endpoint}: ${per(count)} per payment`),
    ].join('\n'),
  );

  // What the worker counted is what reached the simulated Stripe, the 429s it sent included (the
  // worker's counter is scraped from its metrics exporter: allow a request or two at the edges).
  for (const field of ['read', 'write', 'rateLimited'] as const) expect(Math.abs(worker[field] - sim[field])).toBeLessThanOrEqual(Math.ceil(sim[field] * 0.02) + 2);
  // A sale is at least 3 writes (intent, hand to the reader, capture); a 429'd write, or one
  // replayed by a retried activity under its Idempotency-Key, is sent again.
  expect(worker.write).toBeGreaterThanOrEqual(3 * PAYMENTS);
  return { worker, sim };
}

test(
  `${PAYMENTS} card payments at once, Stripe at the sandbox limit (25/s) → every one authorized, completed and captured once; the budget keeps the worker under it`,
  async () => {
    await stripeFaults({ rateLimit: null });
    await paymentsAtOnce('simulated Stripe at 25 requests/s');
  },
  1_500_000,
);

test(
  `${PAYMENTS} card payments at once, Stripe's limit below the worker's budget (10/s: another worker spends the rest) → 429s sent and retried, none reaches a payment`,
  async () => {
    await stripeFaults({ rateLimit: { perSecond: 10 } });
    try {
      const { sim } = await paymentsAtOnce('simulated Stripe at 10 requests/s');
      expect(sim.rateLimited).toBeGreaterThan(0);
    } finally {
      await stripeFaults({ rateLimit: null });
    }
  },
  1_500_000,
);
