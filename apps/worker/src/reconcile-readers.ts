import { createHttpAcquirerRecords, createStripeRecords, type ProviderRecords } from '@payments/adapters';
import type { WorkerConfig } from '@payments/config';
import { ACQUIRER_CALL_TIMEOUT_MS } from './merchant-activities';

/**
 * The reader of each reconciled merchant's books: the acquirer at ACQUIRER_URL for the merchants
 * in RECONCILIATION_MERCHANTS, the Stripe account of each merchant in CARD_PROVIDERS (and of each
 * Swish-on-Stripe merchant in WALLET_PROVIDERS). A merchant of another provider is added here
 * with that provider's reader; until then a reconciliation names it unknown.
 */
export function reconcileReaders(config: WorkerConfig): Map<string, ProviderRecords> {
  const acquirer = createHttpAcquirerRecords({ baseUrl: config.acquirerUrl, timeoutMs: ACQUIRER_CALL_TIMEOUT_MS });
  const readers = new Map<string, ProviderRecords>();
  for (const merchant of config.reconciliation.merchants) readers.set(merchant, acquirer);
  const stripe = (merchant: string, secretKey: string, apiUrl: string) =>
    readers.set(merchant, createStripeRecords({ merchant, secretKey, apiUrl, timeoutMs: ACQUIRER_CALL_TIMEOUT_MS }));
  for (const [merchant, m] of Object.entries(config.cardProviders.merchants)) stripe(merchant, m.secretKey, config.cardProviders.stripeApiUrl);
  for (const [merchant, m] of Object.entries(config.walletProviders.merchants)) if (m.provider === 'stripe') stripe(merchant, m.secretKey, config.walletProviders.stripeApiUrl);
  return readers;
}
