import { TransientError } from '../errors';
import { describe, requestJson, type HttpClientOptions } from '../http-json';
import { paced, type ProviderRecord, type ProviderRecords, type RecordPageRequest } from './provider-records';

/** At most this many calls a second to the acquirer's listing: settlement reads must not crowd payments out. */
export const ACQUIRER_RECORD_CALLS_PER_SECOND = 5;

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The simulated acquirer's books (GET /acquirer/v1/records), a page at a time. */
export function createHttpAcquirerRecords(options: HttpClientOptions & { callsPerSecond?: number }): ProviderRecords {
  const pace = paced(1000 / (options.callsPerSecond ?? ACQUIRER_RECORD_CALLS_PER_SECOND));
  return {
    provider: 'simulator',
    async listRecords(req: RecordPageRequest) {
      await pace();
      const q = new URLSearchParams({ merchant: req.merchant, from: req.from, to: req.to, limit: String(req.limit) });
      if (req.cursor !== null) q.set('after', req.cursor);
      const res = await requestJson(options, { method: 'GET', path: `/acquirer/v1/records?${q}`, signal: req.signal });
      if (res.status !== 200) {
        const { code, message } = describe(res);
        // A listing the acquirer refuses (404: an acquirer without one) is not worth a retry of the same call, but reading may work later.
        throw new TransientError(`GET /acquirer/v1/records: ${res.status} ${code}: ${message}`, res.status);
      }
      const rows = Array.isArray(res.body.records) ? (res.body.records as Record<string, unknown>[]) : [];
      const records: ProviderRecord[] = rows.map((r) => ({
        provider: 'simulator',
        id: str(r.id) ?? '',
        reference: str(r.reference),
        merchant: str(r.merchant) ?? req.merchant,
        kind: r.kind === 'refund' ? 'refund' : 'sale',
        currencycode: str(r.currencycode) ?? '',
        amountMinor: num(r.amountMinor),
        createdAt: str(r.createdAt) ?? '',
        heldMinor: num(r.heldMinor),
        capturedMinor: num(r.capturedMinor),
        refundedMinor: num(r.refundedMinor),
        reversedMinor: num(r.reversedMinor),
        voidedMinor: num(r.voidedMinor),
      }));
      return { records, next: str(res.body.next) };
    },
  };
}
