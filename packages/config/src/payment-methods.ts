import { definePart } from './part';
import { jsonValue } from './variable';

export type PaymentMethod = 'wallet' | 'card';

function checkMethods(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'must be a JSON object {"merchant": "wallet" | "card"}';
  for (const [m, method] of Object.entries(v)) {
    if (method !== 'wallet' && method !== 'card') return `merchant ${JSON.stringify(m)}: method must be "wallet" or "card"`;
  }
  return null;
}

export const MERCHANT_PAYMENT_METHODS = jsonValue<Record<string, PaymentMethod>>({
  name: 'MERCHANT_PAYMENT_METHODS',
  default: {},
  rule: 'JSON {"<merchant>": "wallet" | "card"}',
  check: checkMethods,
  meaning: 'how each merchant’s customers pay; merchants not named pay by wallet',
});

/** Each merchant's payment method: the API starts payments with it, the worker checks card providers against it. */
export const paymentMethods = definePart('payment methods', [MERCHANT_PAYMENT_METHODS], (env) => MERCHANT_PAYMENT_METHODS.read(env));
