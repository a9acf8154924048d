/** Keys whose values never reach a log, at any depth. */
const SECRET_KEY = /^(authorization|proxy-authorization|cookie|set-cookie|password|passwd|secret|x-signature|spi_credentials|credentials)$/i;
/** Keys that hold a customer's phone number. */
const PHONE_KEY = /^(mobile|phone|phonenumber|msisdn)$/i;
/** Deeper than this, a logged object is cut: log objects are small, and a cycle must not hang the logger. */
const MAX_DEPTH = 8;

/**
 * A phone number as support may see it: the country code and operator prefix and the last two
 * digits, the rest starred: `+46701234567` → `+4670*****67`. Short values are starred whole.
 */
export function maskPhone(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const keepStart = 5;
  const keepEnd = 2;
  if (value.length < keepStart + keepEnd + 3) return '*'.repeat(value.length);
  return `${value.slice(0, keepStart)}${'*'.repeat(value.length - keepStart - keepEnd)}${value.slice(-keepEnd)}`;
}

const isPlain = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

function scrub(value: unknown, depth: number): unknown {
  if (Array.isArray(value)) return depth >= MAX_DEPTH ? '[cut]' : value.map((v) => scrub(v, depth + 1));
  // Errors and other class instances keep their shape for pino's serializers.
  if (!isPlain(value)) return value;
  if (depth >= MAX_DEPTH) return '[cut]';
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (SECRET_KEY.test(k)) out[k] = '[redacted]';
    else if (PHONE_KEY.test(k) && typeof v === 'string') out[k] = maskPhone(v);
    else out[k] = scrub(v, depth + 1);
  }
  return out;
}

/**
 * pino's `formatters.log`: whatever a log call is handed, credentials and signatures are
 * replaced and phone numbers masked at any depth, so a careless `logger.info({ headers })`
 * still leaks nothing.
 */
export function scrubLogObject(obj: Record<string, unknown>): Record<string, unknown> {
  return scrub(obj, 0) as Record<string, unknown>;
}
