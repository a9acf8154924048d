import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { loadWorkerConfig } from '@payments/config';
import type { PaymentInput } from '@payments/workflow';
import { merchantActivities, stripeRates } from './merchant-activities';

/** A stand-in that records each call's path and answers 503, so every call fails fast and transiently. */
let server: http.Server;
let url: string;
const seen: { method: string; path: string; auth: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0] ?? '', auth: req.headers.authorization ?? '' });
    res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"type":"api_error","message":"down"}}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

const input = (merchant: string): PaymentInput => ({
  paymentid: `p-${merchant}`,
  merchant,
  method: 'card',
  kind: 'sale',
  amountMinor: 1000,
  request: {
    creditpaymentid: null,
    paymentname: 'Custom Payment',
    amount: '10.00',
    currencycode: 'SEK',
    storeid: '1',
    storename: 'Store',
    storeexternalid: null,
    posid: 'POS1',
    receiptid: 'R1',
    customer: null,
    cartitems: [],
  },
  requestHash: 'h',
  timers: { expiryMs: 1, ackTimeoutMs: 1, lateCancelWindowMs: 1, refundWindowMs: 1 },
});

test("each payment goes to its merchant's card provider: Stripe for a CARD_PROVIDERS merchant, ACQUIRER_URL for the others", async () => {
  const config = loadWorkerConfig({
    ACQUIRER_URL: url,
    STRIPE_API_URL: url,
    MERCHANT_PAYMENT_METHODS: '{"shop":"card","demo":"card"}',
    CARD_PROVIDERS: JSON.stringify({ shop: { provider: 'stripe', secretKey: 'sk_test_worker', readers: { POS1: 'tmr_worker1' } } }),
  });
  const activities = merchantActivities(config, { temporal: { client: {} as Client } });
  // As the worker runs them: inside an activity's context (its cancellation reaches the provider's calls).
  const startCollection = (merchant: string) => new MockActivityEnvironment().run(activities.startCollection, input(merchant));

  await expect(startCollection('shop')).rejects.toMatchObject({ name: 'TransientError', status: 503 });
  expect(seen.at(-1)).toEqual({ method: 'POST', path: '/v1/payment_intents', auth: 'Bearer sk_test_worker' });

  await expect(startCollection('demo')).rejects.toMatchObject({ name: 'TransientError', status: 503 });
  expect(seen.at(-1)).toMatchObject({ method: 'POST', path: '/terminal/v1/POS1/transactions' });
});

test('a Stripe account serving card and Swish merchants keeps one rate in the worker, whichever entry sets it', () => {
  const config = loadWorkerConfig({
    MERCHANT_PAYMENT_METHODS: '{"shop":"card"}',
    CARD_PROVIDERS: JSON.stringify({ shop: { provider: 'stripe', secretKey: 'sk_test_shared', readers: { POS1: 'tmr_worker1' } } }),
    WALLET_PROVIDERS: JSON.stringify({
      kiosk: { provider: 'stripe', secretKey: 'sk_test_shared', requestsPerSecond: 12 },
      cafe: { provider: 'stripe', secretKey: 'sk_test_other' },
    }),
  });
  const rate = stripeRates(config);
  expect(rate('sk_test_shared')).toBe(12);
  expect(rate('sk_test_other')).toBeUndefined(); // 80% of the mode's limit
});
