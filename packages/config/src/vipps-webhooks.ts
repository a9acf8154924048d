import { definePart } from './part';
import { jsonValue } from './variable';

/** Vipps hands out a webhook's secret at registration; we ask only that it is not trivially short. */
const MIN_SECRET = 16;

function checkSecrets(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'must be a JSON object {"<merchant>": "<webhook secret>"} (or a list of secrets while one is rolled)';
  for (const [merchant, s] of Object.entries(v)) {
    const list: unknown[] = Array.isArray(s) ? s : [s];
    if (list.length === 0 || list.some((x) => typeof x !== 'string' || x.trim().length < MIN_SECRET)) {
      return `merchant ${JSON.stringify(merchant)}: must be the secret Vipps MobilePay returned when the webhook was registered (at least ${MIN_SECRET} characters) or a non-empty list of them`;
    }
  }
  return null;
}

export const VIPPS_WEBHOOK_SECRETS = jsonValue<Record<string, string | string[]>>({
  name: 'VIPPS_WEBHOOK_SECRETS',
  default: {},
  rule: 'JSON {"<merchant>": "<secret>" | ["<secret>", …]}',
  check: checkSecrets,
  secret: true,
  meaning: 'each Vipps MobilePay merchant’s webhook secret(s), from its webhook registration; empty, POST /webhooks/vipps-mobilepay is off (404)',
});

/**
 * The API's Vipps MobilePay webhook endpoint: each sales unit's webhook secrets. Its own
 * variable rather than WALLET_PROVIDERS, so the API holds secrets that can only check a
 * signature, never the client secret and subscription key that move money.
 */
export const vippsWebhooks = definePart('vipps webhooks', [VIPPS_WEBHOOK_SECRETS], (env) => ({
  /** merchant → its webhook secrets (two while one is rolled); empty when the endpoint is off. */
  secrets: Object.fromEntries(Object.entries(VIPPS_WEBHOOK_SECRETS.read(env)).map(([m, s]) => [m, Array.isArray(s) ? s : [s]])) as Record<string, string[]>,
}));
