import type Router from '@koa/router';
import { fromLoopback, readJson } from './http';
import { SimError } from './sim-error';
import type { DeliveryCounts, DeliveryEndpoint, DeliveryFaults } from './event-delivery';

const wholeMs = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** What the routes read and set: a provider's sender (EventDelivery). */
export interface DeliveryControls {
  endpoint: DeliveryEndpoint | null;
  faults: DeliveryFaults;
  readonly counts: DeliveryCounts;
}

export interface DeliveryRoutesOptions {
  /** The route's path below the router's prefix, e.g. `/webhooks`. */
  path: string;
  /** Whether the sender offers the reorder fault (`reorder`, `reorderWindowMs`). */
  reorder: boolean;
  /** The 403's message off loopback. */
  loopbackOnly: string;
  /** Whether the provider takes this signing secret, and the rule said when it does not. */
  secret: { valid: (secret: string) => boolean; rule: string };
}

/**
 * GET/POST `<path>` (POST on loopback only) on the router: where a provider sends its events
 * (`endpoint: { url, secret } | null`) and how their delivery misbehaves (`delayMs`, `drop`,
 * `duplicate`, and where offered `reorder`, `reorderWindowMs`); GET also shows what was sent.
 * The secret is never shown.
 */
export function addDeliveryRoutes(router: Router, sender: DeliveryControls, options: DeliveryRoutesOptions): Router {
  const durations = options.reorder ? (['delayMs', 'reorderWindowMs'] as const) : (['delayMs'] as const);
  const flags = options.reorder ? (['drop', 'duplicate', 'reorder'] as const) : (['drop', 'duplicate'] as const);
  const view = () => ({ endpoint: sender.endpoint ? { url: sender.endpoint.url } : null, faults: sender.faults, counts: sender.counts });

  router.get(options.path, (ctx) => {
    ctx.body = view();
  });

  router.post(options.path, async (ctx) => {
    if (!fromLoopback(ctx)) throw new SimError(403, 'forbidden', options.loopbackOnly);
    const body = await readJson(ctx);
    const faults: Partial<DeliveryFaults> = {};
    for (const key of durations) {
      if (body[key] === undefined) continue;
      if (!wholeMs(body[key])) throw new SimError(400, 'bad-request', `${key} must be a whole number of milliseconds`);
      faults[key] = body[key];
    }
    for (const key of flags) {
      if (body[key] === undefined) continue;
      if (typeof body[key] !== 'boolean') throw new SimError(400, 'bad-request', `${key} must be true or false`);
      faults[key] = body[key];
    }
    const { endpoint } = body;
    if (endpoint !== undefined && endpoint !== null) {
      const e = endpoint as Record<string, unknown>;
      if (typeof endpoint !== 'object' || typeof e.url !== 'string' || !/^https?:\/\//.test(e.url) || typeof e.secret !== 'string' || !options.secret.valid(e.secret)) {
        throw new SimError(400, 'bad-request', `endpoint must be null or { url: an http(s) URL, secret: ${options.secret.rule} }`);
      }
      sender.endpoint = { url: e.url, secret: e.secret };
    } else if (endpoint === null) {
      sender.endpoint = null;
    }
    sender.faults = { ...sender.faults, ...faults };
    ctx.body = view();
  });

  return router;
}
