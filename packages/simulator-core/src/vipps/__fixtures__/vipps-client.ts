import type { startSimulator } from '../../__fixtures__/start';

/** The headers Vipps's gateway wants besides the token, for a test sales unit. */
export const MSN = '123456';
export const SUBSCRIPTION_KEY = 'sim-subscription-key-0001';

type Started = Awaited<ReturnType<typeof startSimulator>>;

/** A Vipps client over a started simulator: a token from POST /accesstoken/get and the ePayment headers. */
export async function vippsClient(s: Started) {
  const tokenRes = await s.call('POST', '/accesstoken/get', undefined, { client_id: 'sim-client', client_secret: 'sim-secret', 'Ocp-Apim-Subscription-Key': SUBSCRIPTION_KEY });
  const token = tokenRes.body.access_token as string;
  const headers = (extra: Record<string, string> = {}) => ({
    Authorization: `Bearer ${token}`,
    'Ocp-Apim-Subscription-Key': SUBSCRIPTION_KEY,
    'Merchant-Serial-Number': MSN,
    'Vipps-System-Name': 'sitoo-payments',
    'Vipps-System-Version': '1.0.0',
    ...extra,
  });
  let n = 0;
  return {
    token,
    headers,
    get: (path: string, extra: Record<string, string> = {}) => s.call('GET', `/epayment/v1${path}`, undefined, headers(extra)),
    post: (path: string, key: string | null, body: unknown = {}, extra: Record<string, string> = {}) =>
      s.call('POST', `/epayment/v1${path}`, body, headers(key === null ? extra : { 'Idempotency-Key': key, ...extra })),
    /** A fresh reference that satisfies ^[a-zA-Z0-9-]{8,50}$. */
    reference: () => `sim-${process.pid}-${Date.now()}-${++n}`,
    createBody: (reference: string, value = 10000, over: Record<string, unknown> = {}) => ({
      amount: { currency: 'NOK', value },
      paymentMethod: { type: 'WALLET' },
      customerInteraction: 'CUSTOMER_PRESENT',
      userFlow: 'QR',
      qrFormat: { format: 'TEXT/TARGETURL' },
      reference,
      paymentDescription: 'Sale at register 1',
      ...over,
    }),
  };
}
