import { createActivities, type ActivityDeps } from '@payments/activities';
import {
  createHttpAcquirer,
  createHttpTerminal,
  createStripeProvider,
  createStripeSwishProvider,
  createVippsMobilePayProvider,
  type StripeRequestMetrics,
} from '@payments/adapters';
import type { WorkerConfig } from '@payments/config';
import type { PaymentActivities } from '@payments/workflow';

/** Per-call timeout towards the acquirer and terminal: above the slowest scripted answer (5 s). */
export const ACQUIRER_CALL_TIMEOUT_MS = 15_000;
/** A Stripe account whose webhooks reach the API is read this seldom while a payment waits: the fallback for a late webhook. */
export const STRIPE_FALLBACK_POLL_MS = 5_000;
/** The same for a Vipps MobilePay sales unit with webhooks; without them it reads every 2 s, as Vipps's polling guidance asks. */
export const VIPPS_FALLBACK_POLL_MS = 5_000;
/**
 * Our acquirer's payments, when its callbacks reach the API (ACQUIRER_CALLBACKS), are read this
 * often without one. Shorter than Stripe's: reading our own acquirer spends no provider's rate
 * budget, and an answer whose event was lost reaches the register at most 2 s late. Not shorter:
 * each read without an event costs the payment a workflow task while its customer takes their time.
 */
export const ACQUIRER_FALLBACK_READ_MS = 2_000;

/**
 * Each Stripe account's rate in this worker: Stripe counts requests per account, so a key used
 * by a card merchant and a Swish merchant has one budget, at the rate either entry sets.
 */
export function stripeRates(config: WorkerConfig): (secretKey: string) => number | undefined {
  const rates = new Map<string, number>();
  const stripeEntries = [...Object.values(config.cardProviders.merchants), ...Object.values(config.walletProviders.merchants)];
  for (const m of stripeEntries) {
    if (m.provider === 'stripe' && m.requestsPerSecond !== undefined && !rates.has(m.secretKey)) rates.set(m.secretKey, m.requestsPerSecond);
  }
  return (secretKey) => rates.get(secretKey);
}

/**
 * The activities, each payment's calls going to its merchant's provider: Stripe Terminal for the
 * merchants in CARD_PROVIDERS, Swish on Stripe and Vipps MobilePay for the merchants in
 * WALLET_PROVIDERS, the acquirer at ACQUIRER_URL for everyone else.
 */
export function merchantActivities(config: WorkerConfig, deps: Pick<ActivityDeps, 'temporal' | 'metrics'> & { stripe?: StripeRequestMetrics }): PaymentActivities {
  const { stripe, ...activityDeps } = deps;
  const standard = createActivities({
    acquirer: createHttpAcquirer({ baseUrl: config.acquirerUrl, timeoutMs: ACQUIRER_CALL_TIMEOUT_MS }),
    terminal: createHttpTerminal({ baseUrl: config.acquirerUrl, timeoutMs: ACQUIRER_CALL_TIMEOUT_MS }),
    events: config.acquirerCallbacks.pushed ? { fallbackReadMs: ACQUIRER_FALLBACK_READ_MS } : undefined,
    ...activityDeps,
  });
  const { stripeApiUrl, merchants } = config.cardProviders;
  const stripeRate = stripeRates(config);
  const byMerchant = new Map(
    Object.entries(merchants).map(([merchant, m]) => [
      merchant,
      createActivities({
        ...createStripeProvider({
          merchant,
          secretKey: m.secretKey,
          apiUrl: stripeApiUrl,
          readers: m.readers,
          timeoutMs: ACQUIRER_CALL_TIMEOUT_MS,
          pollEveryMs: m.pollEveryMs ?? (m.webhooks ? STRIPE_FALLBACK_POLL_MS : undefined),
          requestsPerSecond: stripeRate(m.secretKey),
          metrics: stripe,
        }),
        // Its webhooks reach the API: the workflow waits for them, reading itself only this seldom.
        events: m.webhooks ? { fallbackReadMs: m.pollEveryMs ?? STRIPE_FALLBACK_POLL_MS } : undefined,
        ...activityDeps,
      }),
    ]),
  );
  // Wallet merchants whose Swish goes through Stripe: their account as the acquirer (no terminal used).
  const { stripeApiUrl: walletStripeUrl, merchants: wallets } = config.walletProviders;
  for (const [merchant, m] of Object.entries(wallets)) {
    if (m.provider === 'vipps-mobilepay') {
      const { provider: _provider, webhooks, pollEveryMs, ...unit } = m;
      byMerchant.set(
        merchant,
        createActivities({
          ...createVippsMobilePayProvider({ ...unit, merchant, timeoutMs: ACQUIRER_CALL_TIMEOUT_MS, pollEveryMs: pollEveryMs ?? (webhooks ? VIPPS_FALLBACK_POLL_MS : undefined) }),
          terminal: createHttpTerminal({ baseUrl: config.acquirerUrl, timeoutMs: ACQUIRER_CALL_TIMEOUT_MS }),
          events: webhooks ? { fallbackReadMs: pollEveryMs ?? VIPPS_FALLBACK_POLL_MS } : undefined,
          ...activityDeps,
        }),
      );
      continue;
    }
    const pollEveryMs = m.pollEveryMs ?? (m.webhooks ? STRIPE_FALLBACK_POLL_MS : undefined);
    byMerchant.set(
      merchant,
      createActivities({
        ...createStripeSwishProvider({
          merchant,
          secretKey: m.secretKey,
          apiUrl: walletStripeUrl,
          timeoutMs: ACQUIRER_CALL_TIMEOUT_MS,
          pollEveryMs,
          requestsPerSecond: stripeRate(m.secretKey),
          metrics: stripe,
        }),
        terminal: createHttpTerminal({ baseUrl: config.acquirerUrl, timeoutMs: ACQUIRER_CALL_TIMEOUT_MS }),
        events: m.webhooks ? { fallbackReadMs: m.pollEveryMs ?? STRIPE_FALLBACK_POLL_MS } : undefined,
        ...activityDeps,
      }),
    );
  }
  if (byMerchant.size === 0) return standard;
  const of = (merchant: string) => byMerchant.get(merchant) ?? standard;
  return {
    startCollection: (input) => of(input.merchant).startCollection(input),
    readCollection: (args) => of(args.input.merchant).readCollection(args),
    awaitCollection: (args) => of(args.input.merchant).awaitCollection(args),
    cancelCollection: (args) => of(args.input.merchant).cancelCollection(args),
    reversePayment: (args) => of(args.input.merchant).reversePayment(args),
    confirmPayment: (args) => of(args.input.merchant).confirmPayment(args),
    // Between two workflows of ours: no card provider involved.
    reserveRefund: (args) => standard.reserveRefund(args),
    finishRefund: (args) => standard.finishRefund(args),
  };
}
