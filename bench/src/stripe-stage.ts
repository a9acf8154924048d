// What a sale costs at Stripe: a merchant on Stripe Terminal (cards) or on Swish through Stripe
// (the wallet's QR), on the simulator's Stripe wire, its webhooks reaching the API, registers
// selling one after another. Stripe's limits are
// per account (25 requests a second in a sandbox, 100 live), so the calls per sale decide how
// many registers one account can serve. Counted twice: by the simulated Stripe per account key
// (GET /sim/stripe/usage) and by the worker (stripe_requests_total), with the Temporal work of
// the same payments from their histories.
import { paymentBody, prng, saleAmount } from './payment-body';
import { scrape } from './prom';
import { freePort, SystemUnderTest, type SystemOptions } from './system';
import { historyCounts, spread, type HistoryCount } from './work-counts';

const KEY = 'sk_test_benchstripe';
const ENDPOINT_SECRET = 'whsec_bench_0123456789';
/** The account key as the simulator reports it (masked as the Dashboard shows keys). */
const MASKED = `${KEY.slice(0, 8)}…${KEY.slice(-4)}`;
const POLL_MS = 250;

/** Register n's posid, as paymentBody writes it. */
const posidOf = (register: number) => `SIE00001600000${String(register).padStart(4, '0')}`;

/** What the merchant sells through Stripe: cards on Terminal readers, or Swish QR payments. */
export type StripeMethod = 'card' | 'swish';

/** The issue's ceilings, in Stripe calls per completed sale. */
export const STRIPE_CALL_TARGET: Record<StripeMethod, number> = { card: 6, swish: 5 };

export interface StripeStageResult {
  method: StripeMethod;
  registers: number;
  salesPerRegister: number;
  /** Sales that reached ready_to_complete and were captured after PUT completed. */
  completed: number;
  errors: string[];
  /** Per completed sale, from the simulated Stripe's count for the account. */
  perSale: { reads: number; writes: number; calls: number; rateLimited: number };
  /** The same calls as the worker counted them (stripe_requests_total), per completed sale. */
  workerPerSale: { reads: number; writes: number };
  /** Calls per completed sale by Stripe endpoint (`GET /v1/payment_intents/:id`, …). */
  byEndpoint: Record<string, number>;
  /** Mean over a sample of the sales' histories, up to the end of the run. */
  history: HistoryCount | null;
  historySample: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

interface Usage {
  read: number;
  write: number;
  rateLimited: number;
  endpoints: Record<string, number>;
}

async function usage(simUrl: string): Promise<Usage> {
  const body = (await (await fetch(`${simUrl}/sim/stripe/usage`)).json()) as { accounts: Record<string, Usage> };
  return body.accounts[MASKED] ?? { read: 0, write: 0, rateLimited: 0, endpoints: {} };
}

/** The worker's own count of its Stripe requests by kind (read, write). */
async function workerCount(metricsUrl: string): Promise<{ reads: number; writes: number }> {
  const sample = await scrape(metricsUrl);
  let reads = 0;
  let writes = 0;
  for (const [key, value] of sample) {
    const m = /^stripe_requests(?:_total)*\{.*kind="(read|write)"/.exec(key);
    if (m?.[1] === 'read') reads += value;
    else if (m?.[1] === 'write') writes += value;
  }
  return { reads, writes };
}

/** One register's sales, one after another: POST, GET every 250 ms while inprogress, PUT completed. */
async function sell(o: { apiUrl: string; auth: string; register: number; sales: number; seed: number; errors: string[] }): Promise<string[]> {
  const random = prng(o.seed * 100_003 + o.register);
  const headers = { authorization: o.auth, 'content-type': 'application/json' };
  const done: string[] = [];
  for (let k = 0; k < o.sales; k++) {
    const body = paymentBody({ register: o.register, receipt: k, amountMinor: saleAmount(random), creditpaymentid: null });
    const posted = await fetch(`${o.apiUrl}/payments`, { method: 'POST', headers, body });
    if (posted.status !== 200) {
      o.errors.push(`POST answered ${posted.status}`);
      continue;
    }
    const id = (await posted.json()) as string;
    let state = 'inprogress';
    const giveUpAt = Date.now() + 60_000;
    while (state === 'inprogress' && Date.now() < giveUpAt) {
      await sleep(POLL_MS);
      const got = await fetch(`${o.apiUrl}/payments/${id}`, { headers });
      if (got.status === 200) state = ((await got.json()) as { paymentstate: { state: string } }).paymentstate.state;
    }
    if (state !== 'ready_to_complete') {
      o.errors.push(`${id} ended ${state} instead of ready_to_complete`);
      continue;
    }
    for (let tries = 0; tries < 20; tries++) {
      const put = await fetch(`${o.apiUrl}/payments/${id}`, { method: 'PUT', headers, body: '{"paymentstate":{"state":"completed"}}' });
      if (put.status === 200) {
        done.push(id);
        break;
      }
      await sleep(500);
    }
  }
  return done;
}

/** Waits until the simulated Stripe has captured every completed sale (the worker confirms after the PUT). */
async function captured(simUrl: string, ids: string[], errors: string[]): Promise<void> {
  const until = Date.now() + 60_000;
  for (const id of ids) {
    for (;;) {
      const res = await fetch(`${simUrl}/sim/ledger/${encodeURIComponent(id)}`);
      const entry = res.status === 200 ? ((await res.json()) as { status?: string }) : null;
      if (entry?.status === 'succeeded') break;
      if (Date.now() > until) {
        errors.push(`${id} not captured: ${entry?.status ?? 'no ledger entry'}`);
        break;
      }
      await sleep(200);
    }
  }
}

/** The merchant's configuration: its Stripe account as the card provider, or as the wallet provider (Swish). */
function merchantEnv(method: StripeMethod, registers: number): Record<string, string> {
  if (method === 'swish') {
    return { WALLET_PROVIDERS: JSON.stringify({ bench: { provider: 'stripe', secretKey: KEY, webhooks: true } }) };
  }
  const readers = Object.fromEntries(Array.from({ length: registers }, (_, i) => [posidOf(i), `tmr_bench${i}`]));
  return {
    MERCHANT_PAYMENT_METHODS: JSON.stringify({ bench: 'card' }),
    CARD_PROVIDERS: JSON.stringify({ bench: { provider: 'stripe', secretKey: KEY, readers, webhooks: true } }),
  };
}

/**
 * Starts a fresh system whose one merchant sells through Stripe with webhooks on (cards on
 * Terminal readers, or Swish), sells `sales` on each of `registers` registers, and counts what
 * it cost at Stripe.
 */
export async function runStripeStage(o: {
  method: StripeMethod;
  system: Omit<SystemOptions, 'env'> & { env: Record<string, string> };
  registers: number;
  sales: number;
  seed: number;
  log: (line: string) => void;
}): Promise<StripeStageResult> {
  const simPort = await freePort();
  const sim = `http://127.0.0.1:${simPort}`;
  const sys = await SystemUnderTest.start({
    ...o.system,
    env: {
      ...o.system.env,
      SIM_PORT: String(simPort),
      ACQUIRER_URL: sim,
      STRIPE_API_URL: sim,
      ...merchantEnv(o.method, o.registers),
      STRIPE_WEBHOOK_SECRETS: JSON.stringify({ bench: ENDPOINT_SECRET }),
    },
  });
  try {
    const hook = await fetch(`${sys.simUrl}/sim/stripe/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ endpoint: { url: `${sys.apiUrl}/webhooks/stripe`, secret: ENDPOINT_SECRET } }),
    });
    if (hook.status !== 200) throw new Error(`POST /sim/stripe/webhooks answered ${hook.status}`);
    const auth = `Basic ${Buffer.from(`${sys.credential.username}:${sys.credential.password}`).toString('base64')}`;
    const [usedBefore, workerBefore] = [await usage(sys.simUrl), await workerCount(sys.workerMetricsUrl)];
    const errors: string[] = [];
    o.log(`stripe: ${o.registers} registers × ${o.sales} ${o.method} sales on one Stripe account, webhooks on`);
    const sold = (await Promise.all(Array.from({ length: o.registers }, (_, register) => sell({ apiUrl: sys.apiUrl, auth, register, sales: o.sales, seed: o.seed, errors })))).flat();
    await captured(sys.simUrl, sold, errors);
    // Events of the last captures (payment_intent.succeeded) still on their way, and the reads they cause.
    await sleep(2_000);
    const [usedAfter, workerAfter] = [await usage(sys.simUrl), await workerCount(sys.workerMetricsUrl)];
    const n = Math.max(1, sold.length);
    const per = (v: number) => round2(v / n);
    const byEndpoint: Record<string, number> = {};
    for (const [endpoint, count] of Object.entries(usedAfter.endpoints)) {
      const d = count - (usedBefore.endpoints[endpoint] ?? 0);
      if (d > 0) byEndpoint[endpoint] = per(d);
    }
    const reads = usedAfter.read - usedBefore.read;
    const writes = usedAfter.write - usedBefore.write;
    const sample = spread(sold, 20);
    const histories = await historyCounts({ cliPath: sys.cliPath, address: sys.temporalAddress, workflowIds: sample.map((id) => `payment-${id}`) });
    const mean = (f: (c: HistoryCount) => number) => Math.round((histories.reduce((a, c) => a + f(c), 0) / histories.length) * 10) / 10;
    const result: StripeStageResult = {
      method: o.method,
      registers: o.registers,
      salesPerRegister: o.sales,
      completed: sold.length,
      errors,
      perSale: { reads: per(reads), writes: per(writes), calls: per(reads + writes), rateLimited: per(usedAfter.rateLimited - usedBefore.rateLimited) },
      workerPerSale: { reads: per(workerAfter.reads - workerBefore.reads), writes: per(workerAfter.writes - workerBefore.writes) },
      byEndpoint,
      history: histories.length
        ? { events: mean((c) => c.events), workflowTasks: mean((c) => c.workflowTasks), activityTasks: mean((c) => c.activityTasks), localActivities: mean((c) => c.localActivities) }
        : null,
      historySample: histories.length,
    };
    o.log(`stripe: ${stripeLine(result)}`);
    return result;
  } finally {
    await sys.stop();
  }
}

function stripeLine(r: StripeStageResult): string {
  return `${r.completed} ${r.method} sales completed, ${r.errors.length} errors; Stripe calls per sale ${r.perSale.calls} (${r.perSale.reads} reads, ${r.perSale.writes} writes, ${r.perSale.rateLimited} refused 429)`;
}

/** The stage's lines in the report. */
export function stripeTable(r: StripeStageResult): string {
  const h = r.history;
  const lines = [
    `stripe: ${r.method === 'card' ? 'card sales on Stripe Terminal' : 'Swish sales on Stripe'}, webhooks on (${r.registers} registers × ${r.salesPerRegister} sales, one account)`,
    `  ${'Stripe calls per sale (simulator)'.padEnd(40)}${String(r.perSale.calls).padStart(8)}  (${r.perSale.reads} reads, ${r.perSale.writes} writes; target ≤ ${STRIPE_CALL_TARGET[r.method]})`,
    `  ${'as the worker counted them'.padEnd(40)}${String(round2(r.workerPerSale.reads + r.workerPerSale.writes)).padStart(8)}  (${r.workerPerSale.reads} reads, ${r.workerPerSale.writes} writes)`,
    `  ${'refused 429 per sale'.padEnd(40)}${String(r.perSale.rateLimited).padStart(8)}`,
    ...Object.entries(r.byEndpoint)
      .sort(([, a], [, b]) => b - a)
      .map(([endpoint, perSale]) => `    ${endpoint.padEnd(38)}${String(perSale).padStart(8)}`),
    h
      ? `  per sale (sample of ${r.historySample} histories): ${h.events} events, ${h.workflowTasks} workflow tasks, ${h.activityTasks} activity tasks, ${h.localActivities} local activities`
      : '  (no history read)',
    `  ${r.completed} completed, ${r.errors.length} errors${r.errors.length ? `: ${r.errors.slice(0, 3).join('; ')}` : ''}`,
  ];
  return lines.join('\n');
}
