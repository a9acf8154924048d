import { createHttpAcquirerRecords, type ProviderRecords } from '@payments/adapters';
import type { WorkerConfig } from '@payments/config';
import { ACQUIRER_CALL_TIMEOUT_MS } from './merchant-activities';

/**
 * The reader of each reconciled merchant's books: the acquirer at ACQUIRER_URL for the merchants
 * in RECONCILIATION_MERCHANTS. A merchant of another provider is added here with that provider's reader.
 */
export function reconcileReaders(config: WorkerConfig): Map<string, ProviderRecords> {
  const acquirer = createHttpAcquirerRecords({ baseUrl: config.acquirerUrl, timeoutMs: ACQUIRER_CALL_TIMEOUT_MS });
  const readers = new Map<string, ProviderRecords>();
  for (const merchant of config.reconciliation.merchants) readers.set(merchant, acquirer);
  return readers;
}
