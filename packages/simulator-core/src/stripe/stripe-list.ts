import type { Form } from './form';
import { StripeWireError } from './stripe-wire-error';

/**
 * One page of a Stripe list (`GET /v1/payment_intents`, `/v1/refunds`): newest first, filtered by
 * `created[gte|gt|lte|lt]` (Unix seconds), `limit` (1–100, default 10) and `starting_after`.
 */
export function listPage<T extends { id: string; created: number }>(items: readonly T[], form: Form): { data: T[]; has_more: boolean } {
  const created = form.created;
  const bounds = typeof created === 'object' && created !== null && !Array.isArray(created) ? created : {};
  const bound = (name: string): number | null => {
    const v = bounds[name];
    if (v === undefined) return null;
    if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new StripeWireError(400, 'invalid_request_error', `Invalid integer: created[${name}]`, { param: `created[${name}]` });
    return Number(v);
  };
  const [gte, gt, lte, lt] = [bound('gte'), bound('gt'), bound('lte'), bound('lt')];
  const limitText = form.limit ?? '10';
  const limit = typeof limitText === 'string' ? Number(limitText) : NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new StripeWireError(400, 'invalid_request_error', 'Invalid integer: limit (1 to 100)', { param: 'limit' });
  const sorted = items
    .filter((i) => (gte === null || i.created >= gte) && (gt === null || i.created > gt) && (lte === null || i.created <= lte) && (lt === null || i.created < lt))
    .sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
  const after = typeof form.starting_after === 'string' ? form.starting_after : null;
  let from = 0;
  if (after !== null) {
    const at = sorted.findIndex((i) => i.id === after);
    if (at < 0) throw new StripeWireError(400, 'invalid_request_error', `No such object: '${after}'`, { param: 'starting_after' });
    from = at + 1;
  }
  return { data: sorted.slice(from, from + limit), has_more: from + limit < sorted.length };
}
