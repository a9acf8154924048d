// A system whose merchant "oslo" takes its wallet payments through Vipps MobilePay: the worker's
// ePayment client talks to the simulator's Vipps-wire API (WALLET_PROVIDERS' apiUrl), the
// register shows the payment's one-time QR code, and the simulated customer approves in "the app"
// (or, with customer "manual", only when a test says so).
import { buildPaymentRequest } from '@payments/contract';
import { Register } from '../support/register';
import { System, eventually, freePort, type SystemOptions } from '../support/system';

export const OSLO = { username: 'oslo', password: 'oslo-password' };
export const MSN = '123456';
export const WEBHOOK_SECRET = 'e2e-oslo-vipps-webhook-secret';

/** A sale (or, negative with creditpaymentid, a refund) in the sales unit's currency. */
export function nokRequest(amount: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...buildPaymentRequest(amount, { currencycode: 'NOK' }), ...extra };
}

/**
 * The sales unit's WALLET_PROVIDERS entry, on the simulator's Vipps wire at `simPort`. With
 * `webhooks` the worker waits for Vipps's events; without, it reads the payment every second.
 */
export function vippsSalesUnit(simPort: number, { webhooks = false }: { webhooks?: boolean } = {}): Record<string, unknown> {
  return {
    provider: 'vipps-mobilepay',
    clientId: 'e2e-client-id',
    clientSecret: 'e2e-client-secret',
    subscriptionKey: 'e2e-subscription-key',
    merchantSerialNumber: MSN,
    environment: 'test',
    apiUrl: `http://127.0.0.1:${simPort}`,
    currency: 'NOK',
    ...(webhooks ? { webhooks: true } : { pollEveryMs: 1000 }),
  };
}

/**
 * Starts the service with the Vipps MobilePay merchant "oslo" beside the demo merchant. With
 * `webhooks`, the simulated Vipps signs its events to the API's /webhooks/vipps-mobilepay and
 * the worker reads Vipps only every 5 s otherwise; without, it reads every second.
 */
export async function startVippsSystem(options: SystemOptions & { webhooks?: boolean } = {}): Promise<{ system: System; oslo: Register }> {
  const { webhooks = false, ...rest } = options;
  const simPort = await freePort();
  const unit = vippsSalesUnit(simPort, { webhooks });
  const system = await System.start({
    ...rest,
    env: {
      SIM_PORT: String(simPort),
      ACQUIRER_URL: `http://127.0.0.1:${simPort}`,
      SPI_CREDENTIALS: JSON.stringify([
        { username: 'demo', password: 'demo', merchant: 'demo' },
        { ...OSLO, merchant: 'oslo' },
      ]),
      MERCHANT_PAYMENT_METHODS: JSON.stringify({ oslo: 'wallet' }),
      WALLET_PROVIDERS: JSON.stringify({ oslo: unit }),
      VIPPS_WEBHOOK_SECRETS: JSON.stringify({ oslo: WEBHOOK_SECRET }),
      ...rest.env,
    },
  });
  if (webhooks) await vippsWebhooks(system.simUrl, { endpoint: { url: `${system.apiUrl}/webhooks/vipps-mobilepay`, secret: WEBHOOK_SECRET } });
  return { system, oslo: new Register(system.apiUrl, OSLO) };
}

/** A payment as the simulated Vipps holds it: its state, its aggregate and its event log. */
export interface VippsRecord {
  msn: string;
  reference: string;
  state: 'CREATED' | 'AUTHORIZED' | 'ABORTED' | 'EXPIRED' | 'TERMINATED';
  amount: { currency: string; value: number };
  aggregate: Record<'authorizedAmount' | 'capturedAmount' | 'cancelledAmount' | 'refundedAmount', { currency: string; value: number }>;
  userFlow: string;
  events: { name: string; value: number; idempotencyKey: string | null }[];
}

export async function vippsRecord(simUrl: string, reference: string): Promise<VippsRecord | undefined> {
  const res = await fetch(`${simUrl}/sim/vipps/payments/${encodeURIComponent(reference)}`);
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`GET /sim/vipps/payments/${reference} answered ${res.status}`);
  return (await res.json()) as VippsRecord;
}

/** The money of a payment at Vipps, in minor units: what was reserved, captured, released, refunded. */
export function moneyOf(rec: VippsRecord | undefined): { authorized: number; captured: number; cancelled: number; refunded: number } | undefined {
  if (!rec) return undefined;
  const a = rec.aggregate;
  return { authorized: a.authorizedAmount.value, captured: a.capturedAmount.value, cancelled: a.cancelledAmount.value, refunded: a.refundedAmount.value };
}

/** How many events of a name the payment's log holds: the proof of "exactly once". */
export const countEvents = (rec: VippsRecord | undefined, name: string) => rec?.events.filter((e) => e.name === name).length ?? 0;

/** Waits until the simulated Vipps holds the payment in a state `done` accepts. */
export function untilRecord(simUrl: string, reference: string, done: (r: VippsRecord) => boolean, timeoutMs = 60_000): Promise<VippsRecord> {
  return eventually(() => vippsRecord(simUrl, reference), (r) => r !== undefined && done(r), timeoutMs, 200) as Promise<VippsRecord>;
}

/** The customer in "the app": approve, decline, or let it expire now. */
export async function customer(simUrl: string, reference: string, action: 'approve' | 'decline' | 'expire'): Promise<void> {
  const res = await fetch(`${simUrl}/sim/vipps/payments/${encodeURIComponent(reference)}/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  if (res.status !== 200) throw new Error(`POST /sim/vipps/payments/${reference}/${action} answered ${res.status}: ${await res.text()}`);
}

/** The simulated Vipps's faults (POST /sim/vipps/faults): the customer, held or failing calls, rate limits. */
export async function vippsFaults(simUrl: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${simUrl}/sim/vipps/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`POST /sim/vipps/faults answered ${res.status}: ${await res.text()}`);
}

export interface VippsWebhookView {
  counts: { raised: number; dropped: number; delivered: number; failed: number; abandoned: number };
}

/** The simulated Vipps's webhook endpoint and delivery faults (POST /sim/vipps/webhooks). */
export async function vippsWebhooks(simUrl: string, body: Record<string, unknown>): Promise<VippsWebhookView> {
  const res = await fetch(`${simUrl}/sim/vipps/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`POST /sim/vipps/webhooks answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as VippsWebhookView;
}

/** How many times the worker called one ePayment endpoint (GET /sim/vipps/usage). */
export async function vippsCalls(simUrl: string, endpoint: string): Promise<number> {
  const res = await fetch(`${simUrl}/sim/vipps/usage`);
  const body = (await res.json()) as { endpoints: Record<string, { calls: number }> };
  return body.endpoints[endpoint]?.calls ?? 0;
}

/** PUT as Sitoo POS does it: a 503 (Temporal did not answer within the deadline) is sent again until the answer is definitive. */
export function putState(register: Register, id: string, state: 'completed' | 'cancelled') {
  return eventually(() => register.put(id, state), (r) => r.status !== 503, 30_000, 250);
}
