import { ConfigError } from './env';
import { definePart } from './part';
import { MERCHANT_PAYMENT_METHODS } from './payment-methods';
import { jsonValue, urlText } from './variable';

/** A merchant whose card payments go through Stripe Terminal (server-driven readers). */
export interface StripeMerchant {
  provider: 'stripe';
  /** The account's secret (sk_…) or restricted (rk_…) key. */
  secretKey: string;
  /** Each register's reader: Sitoo posid → Stripe reader id (tmr_…). */
  readers: Record<string, string>;
  /** The account sends its webhooks to the API (STRIPE_WEBHOOK_SECRETS): reads become the slow fallback. */
  webhooks?: boolean;
  /** How often a waiting call reads the reader and intent again: 500 ms, 5000 with webhooks. */
  pollEveryMs?: number;
  /**
   * Stripe requests a second this worker may send for the account: 80% of Stripe's limit by
   * default (live 100, sandbox 25). Lower it when several workers share the account; raise it
   * when Stripe has raised the account's limit.
   */
  requestsPerSecond?: number;
}

/** The card provider of each merchant; merchants not named use ACQUIRER_URL (the simulator). */
export interface ProvidersConfig {
  /** Where the Stripe SDK sends its calls: api.stripe.com, or the simulator's /v1 in tests. */
  stripeApiUrl: string;
  merchants: Record<string, StripeMerchant>;
}

const KEY = /^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/;
const READER = /^tmr_[A-Za-z0-9_]+$/;

function checkProviders(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'must be a JSON object {"merchant": {"provider": "stripe", "secretKey", "readers": {"posid": "tmr_…"}}}';
  for (const [merchant, p] of Object.entries(v)) {
    const at = `merchant ${JSON.stringify(merchant)}`;
    if (typeof p !== 'object' || p === null) return `${at} is not an object`;
    const { provider, secretKey, readers, webhooks, pollEveryMs, requestsPerSecond } = p as Record<string, unknown>;
    if (provider !== 'stripe') return `${at}: provider must be "stripe"`;
    if (typeof secretKey !== 'string' || !KEY.test(secretKey)) return `${at}: secretKey must be a Stripe secret or restricted key (sk_test_…, sk_live_…, rk_…)`;
    if (typeof readers !== 'object' || readers === null || Array.isArray(readers) || Object.keys(readers).length === 0) {
      return `${at}: readers must map each register's posid to its reader id, e.g. {"SIE0000160000051": "tmr_…"}`;
    }
    for (const [posid, reader] of Object.entries(readers)) {
      if (typeof reader !== 'string' || !READER.test(reader)) return `${at}: reader of ${JSON.stringify(posid)} must be a Stripe reader id (tmr_…)`;
    }
    if (webhooks !== undefined && typeof webhooks !== 'boolean') return `${at}: webhooks must be true or false`;
    if (pollEveryMs !== undefined && !(Number.isInteger(pollEveryMs) && (pollEveryMs as number) >= 100 && (pollEveryMs as number) <= 60_000)) {
      return `${at}: pollEveryMs must be a whole number of milliseconds from 100 to 60000`;
    }
    if (requestsPerSecond !== undefined && !(typeof requestsPerSecond === 'number' && requestsPerSecond >= 1 && requestsPerSecond <= 1_000)) {
      return `${at}: requestsPerSecond must be a number of requests a second from 1 to 1000`;
    }
  }
  return null;
}

export const ACQUIRER_URL = urlText({ name: 'ACQUIRER_URL', default: 'http://127.0.0.1:3100', meaning: 'the acquirer the worker calls for every merchant not in CARD_PROVIDERS (the simulator by default)' });
export const CARD_PROVIDERS = jsonValue<Record<string, StripeMerchant>>({
  name: 'CARD_PROVIDERS',
  default: {},
  rule: 'JSON {"<merchant>": {"provider": "stripe", "secretKey", "readers": {"<posid>": "tmr_…"}, "webhooks"?, "pollEveryMs"?, "requestsPerSecond"?}}',
  check: checkProviders,
  secret: true,
  meaning:
    'merchants whose card payments go through Stripe Terminal; each must pay by card; a live key only with NODE_ENV=production; `"webhooks": true` when its webhooks reach the API (reads every 5 s instead of 500 ms, or `pollEveryMs`); `requestsPerSecond` is this worker’s share of the account’s Stripe limit (80% of it by default)',
});
export const STRIPE_API_URL = urlText({ name: 'STRIPE_API_URL', default: 'https://api.stripe.com', meaning: 'where the Stripe SDK sends its calls (the simulator’s address in tests)' });

/**
 * The worker's payment providers: ACQUIRER_URL, and CARD_PROVIDERS with STRIPE_API_URL. A Stripe
 * merchant must pay by card (MERCHANT_PAYMENT_METHODS), and a live key is taken only with
 * NODE_ENV=production: test mode first.
 */
export const providers = definePart('providers', [ACQUIRER_URL, MERCHANT_PAYMENT_METHODS, CARD_PROVIDERS, STRIPE_API_URL], (env, { production }) => {
  const acquirerUrl = ACQUIRER_URL.read(env);
  const methods: Record<string, string> = MERCHANT_PAYMENT_METHODS.read(env);
  const merchants = CARD_PROVIDERS.read(env);
  for (const [merchant, p] of Object.entries(merchants)) {
    if (methods[merchant] !== 'card') {
      throw new ConfigError('CARD_PROVIDERS', `merchant ${JSON.stringify(merchant)} uses Stripe Terminal: set "${merchant}": "card" in MERCHANT_PAYMENT_METHODS`);
    }
    if (!production && /_live_/.test(p.secretKey)) {
      throw new ConfigError('CARD_PROVIDERS', `merchant ${JSON.stringify(merchant)}: a live key is taken only with NODE_ENV=production (start with a test key)`);
    }
  }
  return { acquirerUrl, cardProviders: { stripeApiUrl: STRIPE_API_URL.read(env), merchants } satisfies ProvidersConfig };
});
