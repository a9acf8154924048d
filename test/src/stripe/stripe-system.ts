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
  /** card, or wallet for a Swish intent (paymentMethod: swish). */
  method?: string;
  paymentMethod?: string;
  originalReference?: string | null;
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

/** A wallet merchant whose Swish goes through Stripe (WALLET_PROVIDERS), its webhooks on. */
export const KIOSK = { username: 'kiosk', password: 'kiosk-password' };
export const SWISH_KEY = 'sk_test_e2ekiosk';
export const SWISH_ENDPOINT_SECRET = 'whsec_e2e_kiosk_0123456789';

/**
 * Starts the service with the Swish merchant "kiosk" beside the card merchant "shop": kiosk's
 * account sends its webhooks to the API, so the worker reads Stripe only every 5 s otherwise.
 */
export async function startSwishSystem(options: SystemOptions = {}): Promise<{ system: System; kiosk: Register }> {
  const { system } = await startStripeSystem({
    ...options,
    env: {
      SPI_CREDENTIALS: JSON.stringify([
        { username: 'demo', password: 'demo', merchant: 'demo' },
        { ...SHOP, merchant: 'shop' },
        { ...KIOSK, merchant: 'kiosk' },
      ]),
      MERCHANT_PAYMENT_METHODS: JSON.stringify({ shop: 'card', kiosk: 'wallet' }),
      WALLET_PROVIDERS: JSON.stringify({ kiosk: { provider: 'stripe', secretKey: SWISH_KEY, webhooks: true } }),
      STRIPE_WEBHOOK_SECRETS: JSON.stringify({ kiosk: SWISH_ENDPOINT_SECRET }),
      ...options.env,
    },
  });
  await stripeWebhooks(system.simUrl, { endpoint: { url: `${system.apiUrl}/webhooks/stripe`, secret: SWISH_ENDPOINT_SECRET } });
  return { system, kiosk: new Register(system.apiUrl, KIOSK) };
}

/** How the simulated Swish customer behaves (POST /sim/stripe/swish): pays after SIM_APPROVE_DELAY_MS, or waits for the pay page. */
export async function swishCustomer(simUrl: string, body: { mode?: 'pays' | 'waits'; expiryMs?: number }): Promise<void> {
  const res = await fetch(`${simUrl}/sim/stripe/swish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`POST /sim/stripe/swish answered ${res.status}: ${await res.text()}`);
}

/** The customer answers on the page the Swish QR's data opens, as a person on their phone. */
export async function answerSwishQr(qrcode: string, answer: 'pay' | 'decline'): Promise<number> {
  return (await fetch(`${qrcode}/${answer}`, { method: 'POST', redirect: 'manual' })).status;
}

/** Every Stripe request (reads and writes, 429s included) an account key has made so far (GET /sim/stripe/usage). */
export async function stripeRequests(simUrl: string, key: string): Promise<number> {
  const masked = key.length <= 12 ? key : `${key.slice(0, 8)}…${key.slice(-4)}`;
  const usage = (await (await fetch(`${simUrl}/sim/stripe/usage`)).json()) as { accounts: Record<string, { read: number; write: number }> };
  const used = usage.accounts[masked];
  return used ? used.read + used.write : 0;
}
