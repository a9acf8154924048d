import { ConfigError } from './env';
import { definePart } from './part';
import { MERCHANT_PAYMENT_METHODS } from './payment-methods';
import { STRIPE_API_URL } from './providers';
import { jsonValue } from './variable';

/** A merchant whose wallet payments are Swish on Stripe PaymentIntents (the register shows the Swish QR). */
export interface StripeWalletMerchant {
  provider: 'stripe';
  /** The account's secret (sk_…) or restricted (rk_…) key. */
  secretKey: string;
  /** The account sends its webhooks to the API (STRIPE_WEBHOOK_SECRETS): reads become the slow fallback. */
  webhooks?: boolean;
  /** How often a waiting call reads the intent again: 500 ms, 5000 with webhooks. */
  pollEveryMs?: number;
  /** This worker's share of the account's Stripe limit, as in CARD_PROVIDERS: one budget per key, whichever entry sets it. */
  requestsPerSecond?: number;
}

/** A merchant whose wallet payments go through Vipps MobilePay's ePayment API. */
export interface VippsMobilePayMerchant {
  provider: 'vipps-mobilepay';
  clientId: string;
  clientSecret: string;
  /** The Ocp-Apim-Subscription-Key of the sales unit. */
  subscriptionKey: string;
  /** The sales unit's MSN (digits). */
  merchantSerialNumber: string;
  environment: 'test' | 'production';
  /** Overrides the environment's base URL (the simulator in tests). */
  apiUrl?: string;
  currency: 'NOK' | 'DKK' | 'EUR';
  /** The sales unit sends its webhooks to the API: reads become the slow fallback. */
  webhooks?: boolean;
  /** How often a waiting call reads the payment again. */
  pollEveryMs?: number;
}

/** A wallet merchant's provider. */
export type WalletMerchant = StripeWalletMerchant | VippsMobilePayMerchant;

/** The wallet provider of each merchant; wallet merchants not named use ACQUIRER_URL (the simulator). */
export interface WalletProvidersConfig {
  /** Where the Stripe SDK sends its calls (STRIPE_API_URL). */
  stripeApiUrl: string;
  merchants: Record<string, WalletMerchant>;
}

const KEY = /^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/;
const CURRENCIES = ['NOK', 'DKK', 'EUR'];

const isUrl = (v: unknown): boolean => {
  if (typeof v !== 'string') return false;
  try {
    return /^https?:$/.test(new URL(v).protocol);
  } catch {
    return false;
  }
};
const nonEmpty = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '';

function checkCommon(at: string, p: Record<string, unknown>): string | null {
  if (p.webhooks !== undefined && typeof p.webhooks !== 'boolean') return `${at}: webhooks must be true or false`;
  const every = p.pollEveryMs;
  if (every !== undefined && !(Number.isInteger(every) && (every as number) >= 100 && (every as number) <= 60_000)) {
    return `${at}: pollEveryMs must be a whole number of milliseconds from 100 to 60000`;
  }
  return null;
}

function checkVipps(at: string, p: Record<string, unknown>): string | null {
  for (const field of ['clientId', 'clientSecret', 'subscriptionKey'] as const) {
    if (!nonEmpty(p[field])) return `${at}: ${field} must be the sales unit's ${field} (text)`;
  }
  if (typeof p.merchantSerialNumber !== 'string' || !/^[0-9]+$/.test(p.merchantSerialNumber)) return `${at}: merchantSerialNumber must be the sales unit's MSN as text of digits, e.g. "123456"`;
  if (p.environment !== 'test' && p.environment !== 'production') return `${at}: environment must be "test" or "production"`;
  if (p.apiUrl !== undefined && !isUrl(p.apiUrl)) return `${at}: apiUrl must be an http(s) URL`;
  if (typeof p.currency !== 'string' || !CURRENCIES.includes(p.currency)) return `${at}: currency must be "NOK", "DKK" or "EUR"`;
  return null;
}

function checkWalletProviders(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'must be a JSON object {"merchant": {"provider": "stripe" | "vipps-mobilepay", …}}';
  for (const [merchant, p] of Object.entries(v)) {
    const at = `merchant ${JSON.stringify(merchant)}`;
    if (typeof p !== 'object' || p === null || Array.isArray(p)) return `${at} is not an object`;
    const fields = p as Record<string, unknown>;
    if (fields.provider === 'stripe') {
      if (typeof fields.secretKey !== 'string' || !KEY.test(fields.secretKey)) return `${at}: secretKey must be a Stripe secret or restricted key (sk_test_…, sk_live_…, rk_…)`;
      const rate = fields.requestsPerSecond;
      if (rate !== undefined && !(typeof rate === 'number' && rate >= 1 && rate <= 1_000)) return `${at}: requestsPerSecond must be a number of requests a second from 1 to 1000`;
    } else if (fields.provider === 'vipps-mobilepay') {
      const problem = checkVipps(at, fields);
      if (problem) return problem;
    } else {
      return `${at}: provider must be "stripe" or "vipps-mobilepay"`;
    }
    const problem = checkCommon(at, fields);
    if (problem) return problem;
  }
  return null;
}

export const WALLET_PROVIDERS = jsonValue<Record<string, WalletMerchant>>({
  name: 'WALLET_PROVIDERS',
  default: {},
  rule:
    'JSON {"<merchant>": {"provider": "stripe", "secretKey", "webhooks"?, "pollEveryMs"?, "requestsPerSecond"?} | {"provider": "vipps-mobilepay", "clientId", "clientSecret", "subscriptionKey", "merchantSerialNumber", "environment": "test" | "production", "apiUrl"?, "currency": "NOK" | "DKK" | "EUR", "webhooks"?, "pollEveryMs"?}}',
  check: checkWalletProviders,
  secret: true,
  meaning:
    'merchants whose wallet payments go through a real provider (Swish on Stripe, Vipps MobilePay) instead of the simulator; each must pay by wallet; a live Stripe key or a Vipps "production" environment only with NODE_ENV=production',
});

/**
 * The worker's wallet providers: WALLET_PROVIDERS with STRIPE_API_URL. A named merchant must pay
 * by wallet (MERCHANT_PAYMENT_METHODS), and live money is taken only with NODE_ENV=production.
 */
export const walletProviders = definePart('wallet providers', [MERCHANT_PAYMENT_METHODS, WALLET_PROVIDERS, STRIPE_API_URL], (env, { production }) => {
  const methods: Record<string, string> = MERCHANT_PAYMENT_METHODS.read(env);
  const merchants = WALLET_PROVIDERS.read(env);
  for (const [merchant, p] of Object.entries(merchants)) {
    const method = methods[merchant] ?? 'wallet';
    if (method !== 'wallet') {
      throw new ConfigError('WALLET_PROVIDERS', `merchant ${JSON.stringify(merchant)} is a wallet merchant: set "${merchant}": "wallet" in MERCHANT_PAYMENT_METHODS (or leave it out)`);
    }
    if (!production && p.provider === 'stripe' && /_live_/.test(p.secretKey)) {
      throw new ConfigError('WALLET_PROVIDERS', `merchant ${JSON.stringify(merchant)}: a live key is taken only with NODE_ENV=production (start with a test key)`);
    }
    if (!production && p.provider === 'vipps-mobilepay' && p.environment === 'production') {
      throw new ConfigError('WALLET_PROVIDERS', `merchant ${JSON.stringify(merchant)}: the "production" environment is taken only with NODE_ENV=production (start with "test")`);
    }
  }
  return { walletProviders: { stripeApiUrl: STRIPE_API_URL.read(env), merchants } satisfies WalletProvidersConfig };
});
