import type Stripe from 'stripe';
import { storeNewest } from '../memory';

/**
 * The events a Stripe account sends that can move one of our payments on: the reader's
 * server-driven action, the PaymentIntent's status, and refunds. Others are acknowledged and
 * dropped (an endpoint enabled for more events than these costs nothing but a log line).
 */
export const STRIPE_EVENT_TYPES = [
  'terminal.reader.action_succeeded',
  'terminal.reader.action_failed',
  'terminal.reader.action_updated',
  'payment_intent.created',
  'payment_intent.amount_capturable_updated',
  'payment_intent.succeeded',
  'payment_intent.canceled',
  'payment_intent.payment_failed',
  'payment_intent.processing',
  'payment_intent.requires_action',
  'charge.refunded',
  'refund.created',
  'refund.updated',
  'refund.failed',
] as const;
const RELEVANT = new Set<string>(STRIPE_EVENT_TYPES);

/** What an event says about our payment: whose it is, or why it names none. */
export type EventMatch =
  | { paymentid: string; intentId: string | null; merchant: string | null }
  | { paymentid: null; intentId: string | null; reason: 'not-an-event-we-use' | 'no-paymentid' | 'intent-not-seen' };

/** How many PaymentIntent ids each API instance remembers for reader events: many minutes of a busy chain's sales. */
const INTENTS_KEPT = 100_000;

const idOf = (v: unknown): string | null =>
  typeof v === 'string' ? v : typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string' ? (v as { id: string }).id : null;

const paymentidOf = (metadata: unknown): { paymentid: string; merchant: string | null } | null => {
  if (typeof metadata !== 'object' || metadata === null) return null;
  const { paymentid, merchant } = metadata as Record<string, unknown>;
  return typeof paymentid === 'string' && paymentid !== '' ? { paymentid, merchant: typeof merchant === 'string' ? merchant : null } : null;
};

/**
 * Matches Stripe events to our payments, fetching nothing from Stripe. An intent, a charge and
 * a refund carry `metadata.paymentid` (set on the intent and the refund at create; a charge
 * takes its intent's). A reader event carries only the id of the intent its action processes,
 * so the intents' own events teach this index each intent's paymentid; a reader event for an
 * intent it has not seen (another API instance got that intent's events) names no payment, and
 * the worker's slow fallback read finds what happened.
 */
export class StripeEventMatcher {
  private readonly intents = new Map<string, { paymentid: string; merchant: string | null }>();

  match(event: Pick<Stripe.Event, 'type' | 'data'>): EventMatch {
    const object = event.data.object as unknown as Record<string, unknown>;
    if (!RELEVANT.has(event.type)) return { paymentid: null, intentId: null, reason: 'not-an-event-we-use' };
    if (event.type.startsWith('terminal.reader.')) {
      const action = object.action as { process_payment_intent?: { payment_intent?: unknown } } | null | undefined;
      const pi = action?.process_payment_intent?.payment_intent;
      const intentId = idOf(pi);
      // Expanded (never in a webhook, but harmless to read): the intent's own metadata.
      const own = typeof pi === 'object' && pi !== null ? paymentidOf((pi as { metadata?: unknown }).metadata) : null;
      const known = own ?? (intentId === null ? null : (this.intents.get(intentId) ?? null));
      if (!known) return { paymentid: null, intentId, reason: intentId === null ? 'no-paymentid' : 'intent-not-seen' };
      return { ...known, intentId };
    }
    const intentId = event.type.startsWith('payment_intent.') ? idOf(object.id) : idOf(object.payment_intent);
    const own = paymentidOf(object.metadata);
    if (own && event.type.startsWith('payment_intent.') && intentId !== null) storeNewest(this.intents, intentId, own, INTENTS_KEPT);
    // A refund names the payment it pays out for; one without metadata is matched by its sale's intent.
    const known = own ?? (intentId === null ? null : (this.intents.get(intentId) ?? null));
    if (!known) return { paymentid: null, intentId, reason: 'no-paymentid' };
    return { ...known, intentId };
  }
}
