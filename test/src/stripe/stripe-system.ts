// A system whose merchant "shop" takes cards through Stripe Terminal: the worker's Stripe SDK
// talks to the simulator's Stripe-wire API (STRIPE_API_URL), each register with its own reader.
import { Register } from '../support/register';
import { System, eventually, freePort, type SystemOptions } from '../support/system';

export const SHOP = { username: 'shop', password: 'shop-password' };
export const STRIPE_KEY = 'sk_test_e2eshop';

/** Registers SIE…01 … SIE…40, each with its reader tmr_e2e<n>. */
export const READERS = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`SIE00001600000${String(i + 1).padStart(2, '0')}`, `tmr_e2e${i + 1}`]));
let next = 0;
/** A register of its own for each payment, so that no test waits on another's reader. */
export const nextPosid = () => Object.keys(READERS)[next++ % 40] as string;

/** Starts the service with the Stripe merchant beside the demo (wallet) merchant. */
export async function startStripeSystem(options: SystemOptions = {}): Promise<{ system: System; shop: Register; demo: Register }> {
  const simPort = await freePort();
  const system = await System.start({
    ...options,
    env: {
      SIM_PORT: String(simPort),
      ACQUIRER_URL: `http://127.0.0.1:${simPort}`,
      STRIPE_API_URL: `http://127.0.0.1:${simPort}`,
      SPI_CREDENTIALS: JSON.stringify([
        { username: 'demo', password: 'demo', merchant: 'demo' },
        { ...SHOP, merchant: 'shop' },
      ]),
      MERCHANT_PAYMENT_METHODS: JSON.stringify({ shop: 'card' }),
      CARD_PROVIDERS: JSON.stringify({ shop: { provider: 'stripe', secretKey: STRIPE_KEY, readers: READERS } }),
      ...options.env,
    },
  });
  return { system, shop: new Register(system.apiUrl, SHOP), demo: new Register(system.apiUrl) };
}

/** The Stripe ledger entry of a payment: what its PaymentIntent authorized, captured, voided, reversed. */
export interface StripeLedgerEntry {
  provider?: string;
  status: string;
  kind: string;
  authorizedMinor: number;
  capturedMinor: number;
  voidedMinor: number;
  reversedMinor: number;
  refundedMinor: number;
  events: { type: string }[];
}

export async function stripeLedger(simUrl: string, paymentid: string): Promise<StripeLedgerEntry | undefined> {
  const res = await fetch(`${simUrl}/sim/ledger/${encodeURIComponent(paymentid)}`);
  return res.status === 404 ? undefined : ((await res.json()) as StripeLedgerEntry);
}

/** The customer taps a card now (Stripe's test helper), instead of waiting for the simulated one. */
export async function presentCard(simUrl: string, posid: string): Promise<number> {
  const res = await fetch(`${simUrl}/v1/test_helpers/terminal/readers/${READERS[posid]}/present_payment_method`, {
    method: 'POST',
    headers: { authorization: `Bearer ${STRIPE_KEY}` },
  });
  return res.status;
}

/** PUT as Sitoo POS does it: a 503 (Temporal did not answer within the deadline) is sent again until the answer is definitive. */
export function putState(register: Register, id: string, state: 'completed' | 'cancelled') {
  return eventually(() => register.put(id, state), (r) => r.status !== 503, 30_000, 250);
}

/** Stripe's faults in the simulator (POST /sim/stripe/faults): a search index that lags, calls whose answer is held. */
export async function setStripeFaults(simUrl: string, faults: { searchLagMs?: number; hold?: { path: string; ms: number } | null }): Promise<void> {
  const res = await fetch(`${simUrl}/sim/stripe/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
  if (res.status !== 200) throw new Error(`POST /sim/stripe/faults answered ${res.status}: ${await res.text()}`);
}

/** What the simulated Stripe has done with its webhooks so far. */
export interface StripeWebhookView {
  counts: { raised: number; dropped: number; delivered: number; failed: number };
}

/** The simulated Stripe's webhook endpoint and delivery faults (POST /sim/stripe/webhooks). */
export async function stripeWebhooks(simUrl: string, body: Record<string, unknown>): Promise<StripeWebhookView> {
  const res = await fetch(`${simUrl}/sim/stripe/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`POST /sim/stripe/webhooks answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as StripeWebhookView;
}
