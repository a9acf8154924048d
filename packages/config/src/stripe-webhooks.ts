import { definePart } from './part';
import { jsonValue } from './variable';

const ENDPOINT_SECRET = /^whsec_[A-Za-z0-9_]+$/;

function checkSecrets(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'must be a JSON object {"<merchant>": "whsec_…"} (or a list of secrets while one is rolled)';
  for (const [merchant, s] of Object.entries(v)) {
    const list: unknown[] = Array.isArray(s) ? s : [s];
    if (list.length === 0 || list.some((x) => typeof x !== 'string' || !ENDPOINT_SECRET.test(x))) {
      return `merchant ${JSON.stringify(merchant)}: must be a webhook endpoint's signing secret (whsec_…) or a non-empty list of them`;
    }
  }
  return null;
}

export const STRIPE_WEBHOOK_SECRETS = jsonValue<Record<string, string | string[]>>({
  name: 'STRIPE_WEBHOOK_SECRETS',
  default: {},
  rule: 'JSON {"<merchant>": "whsec_…" | ["whsec_…", …]}',
  check: checkSecrets,
  secret: true,
  meaning: 'each Stripe merchant’s webhook endpoint signing secret(s); empty, POST /webhooks/stripe is off (404)',
});

/**
 * The API's Stripe webhook endpoint: each account's signing secrets. Its own variable rather
 * than CARD_PROVIDERS, so the API holds secrets that can only check a signature, never the
 * accounts' API keys that move money.
 */
export const stripeWebhooks = definePart('stripe webhooks', [STRIPE_WEBHOOK_SECRETS], (env) => ({
  /** merchant → its endpoint secrets (two while one is rolled); empty when the endpoint is off. */
  secrets: Object.fromEntries(Object.entries(STRIPE_WEBHOOK_SECRETS.read(env)).map(([m, s]) => [m, Array.isArray(s) ? s : [s]])) as Record<string, string[]>,
}));
