import type { Client } from '@temporalio/client';
import { listPage, paymentsQuery } from '@payments/activities';
import { createHttpAcquirerRecords, createStripeRecords, createVippsRecords, VippsClient, type KnownPaymentPage, type ProviderRecords } from '@payments/adapters';
import type { WorkerConfig } from '@payments/config';
import { ACQUIRER_CALL_TIMEOUT_MS } from './merchant-activities';

/**
 * The reader of each reconciled merchant's books: the acquirer at ACQUIRER_URL for the merchants
 * in RECONCILIATION_MERCHANTS, the Stripe account of each merchant in CARD_PROVIDERS (and of each
 * Swish-on-Stripe merchant in WALLET_PROVIDERS), the Vipps MobilePay sales unit of each Vipps
 * merchant in WALLET_PROVIDERS (its Report API funds; its holds read by reference for the sales
 * `client` knows in Temporal). A merchant of another provider is added here with that provider's
 * reader; until then a reconciliation names it unknown.
 */
export function reconcileReaders(config: WorkerConfig, client: Client): Map<string, ProviderRecords> {
  const acquirer = createHttpAcquirerRecords({ baseUrl: config.acquirerUrl, timeoutMs: ACQUIRER_CALL_TIMEOUT_MS });
  const readers = new Map<string, ProviderRecords>();
  for (const merchant of config.reconciliation.merchants) readers.set(merchant, acquirer);
  const stripe = (merchant: string, secretKey: string, apiUrl: string) =>
    readers.set(merchant, createStripeRecords({ merchant, secretKey, apiUrl, timeoutMs: ACQUIRER_CALL_TIMEOUT_MS }));
  for (const [merchant, m] of Object.entries(config.cardProviders.merchants)) stripe(merchant, m.secretKey, config.cardProviders.stripeApiUrl);
  const knownPayments = knownSales(client);
  for (const [merchant, m] of Object.entries(config.walletProviders.merchants)) {
    if (m.provider === 'stripe') stripe(merchant, m.secretKey, config.walletProviders.stripeApiUrl);
    if (m.provider === 'vipps-mobilepay') {
      const { provider: _provider, webhooks: _webhooks, pollEveryMs: _poll, ...unit } = m;
      readers.set(merchant, createVippsRecords({ merchant, client: new VippsClient({ ...unit, merchant, timeoutMs: ACQUIRER_CALL_TIMEOUT_MS }), knownPayments }));
    }
  }
  return readers;
}

/** A merchant's sales started in [from, to), a visibility page at a time: whose reservations a Vipps reader looks up. */
function knownSales(client: Client) {
  return async (req: { merchant: string; from: string; to: string; cursor: string | null; limit: number; signal?: AbortSignal }): Promise<KnownPaymentPage> => {
    const query = `${paymentsQuery(req.merchant, { from: req.from, to: req.to })} AND PaymentKind = 'sale'`;
    const run = () => listPage(client, query, req.limit, req.cursor);
    const page = req.signal ? await client.withAbortSignal(req.signal, run) : await run();
    return { payments: page.items.map((i) => ({ paymentid: i.workflowId.replace(/^payment-/, ''), startedAt: i.startTime.toISOString() })), next: page.next };
  };
}
