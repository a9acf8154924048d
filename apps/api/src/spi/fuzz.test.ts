import { Compile } from 'typebox/compile';
import fc from 'fast-check';
import { CURRENCY_DECIMALS, ERROR_STATUS, ErrorBody, MAX_AMOUNT_MAJOR } from '@payments/contract';
import { basic, saleBody, startApi, type Api } from '../__fixtures__/harness';

/**
 * Property-based fuzzing of the whole app over a real socket and the fake Temporal client:
 * mutated Sitoo bodies, junk bodies, and random methods, paths and headers. For every request:
 * no 5xx; every 4xx carries the contract's error body with the X-Request-Id as request_id; and a
 * payment starts only from a valid POST /payments. Afterwards the process still serves.
 */
const RUNS = { mutated: 1500, junk: 1000, random: 1500 };
const BODY_LIMIT = 16 * 1024;
const checkErrorBody = Compile(ErrorBody);

let api: Api;
let sale: string;
const sent = { total: 0, byStatus: new Map<number, number>() };

beforeAll(async () => {
  api = await startApi({
    env: {
      BODY_LIMIT_BYTES: String(BODY_LIMIT),
      // The limits have their own tests; here they would only turn most requests into 429s.
      RATE_LIMIT_PER_SECOND: '0',
      REGISTER_RATE_LIMIT_PER_SECOND: '0',
      LOGIN_FAILURE_LIMIT: '0',
      LOGIN_FAILURE_ADDRESS_LIMIT: '0',
      ACQUIRER_CALLBACK_SECRET: 'fuzz-callback-secret-0123456789abcdef',
    },
  });
  sale = await api.createSale();
});
afterAll(() => api.close());

// --- what a valid POST /payments is, written independently of the app's own validation ----------

type Validity = 'valid' | 'invalid' | 'unknown';
const BASE_CART = saleBody().cartitems;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

function amountValid(amount: unknown, currency: string): boolean {
  if (typeof amount !== 'string' || amount.length > 32) return false;
  const m = /^-?(0|[1-9][0-9]*)(?:\.([0-9]+))?$/.exec(amount);
  if (!m) return false;
  const [, whole = '', frac = ''] = m;
  if (frac.length > (CURRENCY_DECIMALS[currency] ?? -1)) return false;
  if (whole.length > 10 || Number(whole) > MAX_AMOUNT_MAJOR) return false;
  return Number(whole) !== 0 || /[1-9]/.test(frac);
}

/** The rules of the contract for a sale or standalone refund body; cart items other than the base's are 'unknown'. */
function validity(body: unknown): Validity {
  if (!isObject(body)) return 'invalid';
  const str = (k: string, max: number, { min = 0, nullable = false, required = false } = {}) => {
    const v = body[k];
    if (v === undefined) return !required;
    if (v === null) return nullable;
    return typeof v === 'string' && v.length >= min && v.length <= max;
  };
  const currency = body.currencycode;
  if (typeof currency !== 'string' || currency.length !== 3 || !own(CURRENCY_DECIMALS, currency)) return 'invalid';
  if (!amountValid(body.amount, currency)) return 'invalid';
  if (!str('posid', 128, { min: 1, required: true })) return 'invalid';
  // Any creditpaymentid here credits no sale of this merchant: refused before anything starts.
  if (body.creditpaymentid !== undefined && body.creditpaymentid !== null) return 'invalid';
  if (!str('paymentname', 128) || !str('storeid', 128) || !str('storename', 256) || !str('receiptid', 128)) return 'invalid';
  if (!str('storeexternalid', 128, { nullable: true })) return 'invalid';
  const customer = body.customer;
  if (customer !== undefined && customer !== null) {
    if (!isObject(customer)) return 'invalid';
    const mobile = customer.mobile;
    if (!(mobile === undefined || mobile === null || (typeof mobile === 'string' && mobile.length <= 32))) return 'invalid';
  }
  const cart = body.cartitems;
  if (cart === undefined) return 'valid';
  if (!Array.isArray(cart) || cart.length > 1000) return 'invalid';
  return JSON.stringify(cart) === JSON.stringify(BASE_CART) || cart.length === 0 ? 'valid' : 'unknown';
}

// --- sending and checking ----------------------------------------------------------------------

const starts = () => api.fake.calls.filter((c) => c === 'start' || c.startsWith('updateWithStart')).length;

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** Sends one request and checks what every answer must satisfy; returns the status and whether a payment started. */
async function send(req: Sent): Promise<{ status: number; started: boolean }> {
  const before = starts();
  const res = await fetch(`${api.url}${req.path}`, { method: req.method, headers: req.headers, body: req.body as RequestInit['body'] });
  const text = await res.text();
  sent.total++;
  sent.byStatus.set(res.status, (sent.byStatus.get(res.status) ?? 0) + 1);
  const context = `${req.method} ${req.path} → ${res.status} ${text.slice(0, 300)}`;

  if (res.status >= 500) throw new Error(`5xx: ${context}`);
  if (res.status >= 400 && req.method !== 'HEAD') {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`a 4xx without a JSON body: ${context}`);
    }
    if (!checkErrorBody.Check(body)) throw new Error(`a 4xx without the error body: ${context}`);
    if (body.request_id === '' || body.request_id !== res.headers.get('x-request-id')) throw new Error(`request_id ≠ X-Request-Id: ${context}`);
    if (ERROR_STATUS[body.error_code] !== res.status) throw new Error(`${body.error_code} with status ${res.status}: ${context}`);
  }
  const started = starts() > before;
  if (started) {
    const ok = req.method === 'POST' && req.path === '/payments' && res.status === 200 && req.headers.authorization === basic('demo:demo');
    let parsed: unknown;
    try {
      parsed = JSON.parse(typeof req.body === 'string' ? req.body : '');
    } catch {
      parsed = undefined;
    }
    if (!ok || validity(parsed) === 'invalid') throw new Error(`an invalid request started a payment: ${context} ${String(req.body).slice(0, 300)}`);
  }
  return { status: res.status, started };
}

const JSON_HEADERS = { authorization: basic('demo:demo'), 'content-type': 'application/json' };

// --- arbitraries -------------------------------------------------------------------------------

const BAD_AMOUNTS = ['1e3', '398.001', '', ' 398.00', '398.00 ', '-0.00', '0.00', '0', '+1.00', '1,00', '01.00', '99999999999.00', '1.', '.5', '--1', 'NaN', 'Infinity', '١٠٠'];
const amount = fc.oneof(
  fc.constantFrom(...BAD_AMOUNTS),
  fc
    .tuple(fc.boolean(), fc.integer({ min: 0, max: MAX_AMOUNT_MAJOR }), fc.integer({ min: 0, max: 99 }))
    .map(([negative, whole, cents]) => `${negative ? '-' : ''}${whole}.${String(cents).padStart(2, '0')}`),
  fc.stringMatching(/^-?[0-9]{1,12}(\.[0-9]{0,4})?$/),
  fc.string({ maxLength: 12 }),
  fc.jsonValue({ maxDepth: 1 }),
);
const currency = fc.oneof(fc.constantFrom('SEK', 'JPY', 'BHD', 'EUR', 'XYZ', 'sek', 'SE', 'SEKK', ''), fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 1 }));
const KNOWN = ['creditpaymentid', 'paymentname', 'amount', 'currencycode', 'storeid', 'storename', 'storeexternalid', 'posid', 'receiptid', 'customer', 'cartitems'];
const CART_KEYS = ['itemid', 'sku', 'productname', 'vatvalue', 'total', 'vat', 'quantity', 'discounts', 'manual_discountname', 'unitsize'];
const anyJson = fc.jsonValue({ maxDepth: 3 });

type Mutation = (body: Record<string, unknown>) => void;
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom(...KNOWN).map((k): Mutation => (b) => void delete b[k]),
  amount.map((v): Mutation => (b) => void (b.amount = v)),
  currency.map((v): Mutation => (b) => void (b.currencycode = v)),
  fc.tuple(fc.constantFrom(...KNOWN), anyJson).map(([k, v]): Mutation => (b) => void (b[k] = v)),
  fc.tuple(fc.string({ maxLength: 20 }), anyJson).map(([k, v]): Mutation => (b) => void (k === '__proto__' || (b[`x-${k}`] = v))),
  fc.tuple(fc.constantFrom(...CART_KEYS), anyJson).map(([k, v]): Mutation => (b) => {
    const items = b.cartitems;
    if (Array.isArray(items) && isObject(items[0])) items[0] = { ...items[0], [k]: v };
  }),
  fc.oneof(fc.constant(null), fc.string({ maxLength: 40 }), anyJson).map((v): Mutation => (b) => void (b.customer = { mobile: v })),
  fc.integer({ min: 0, max: 1100 }).map((n): Mutation => (b) => void (b.cartitems = Array.from({ length: n }, () => ({ sku: 'A' })))),
);

/** Strings that fetch accepts in a header: visible Latin-1, no CR, LF or NUL. */
const headerValue = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 80 });
const segment = fc.oneof(
  fc.constantFrom('payments', 'payment', 'callbacks', 'acquirer', 'healthz', 'metrics', 'openapi.json', '%', '%00', '%E0%A4%A', '..', 'x'.repeat(200)),
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
  fc.stringMatching(/^[A-Za-z0-9._~-]{0,40}$/),
);

const junkBody = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.uint8Array({ maxLength: 300 }),
  anyJson.map((v) => JSON.stringify(v)),
  fc.integer({ min: 0, max: 400 }).map((i) => JSON.stringify(saleBody()).slice(0, i)),
  fc.integer({ min: 1, max: 3000 }).map((depth) => `{"amount":"1.00","currencycode":"SEK","posid":"P","x":${'['.repeat(depth)}${']'.repeat(depth)}}`),
  fc.integer({ min: BODY_LIMIT - 64, max: BODY_LIMIT + 64 }).map((n) => JSON.stringify({ ...saleBody(), pad: 'x'.repeat(Math.max(0, n - 420)) })),
);
const contentType = fc.oneof(
  fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/vnd.sitoo+json', 'text/plain', 'application/x-www-form-urlencoded', 'APPLICATION/JSON', ''),
  headerValue,
);

// --- the properties ----------------------------------------------------------------------------

describe(`fuzz: ${RUNS.mutated + RUNS.junk + RUNS.random} random requests`, () => {
  jest.setTimeout(120_000);

  test(`${RUNS.mutated} mutated Sitoo bodies: valid ones start exactly one payment, invalid ones get a 4xx and start none`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        const body = saleBody();
        for (const m of mutations) m(body);
        const expected = validity(body);
        const text = JSON.stringify(body);
        const { status, started } = await send({ method: 'POST', path: '/payments', headers: JSON_HEADERS, body: text });
        const tooBig = Buffer.byteLength(text) > BODY_LIMIT;
        if (expected === 'valid' && !tooBig && (status !== 200 || !started)) throw new Error(`a valid body was refused (${status}): ${text.slice(0, 300)}`);
        if (expected === 'invalid' && (status < 400 || started)) throw new Error(`an invalid body was accepted (${status}): ${text.slice(0, 300)}`);
      }),
      { numRuns: RUNS.mutated },
    );
  });

  test(`${RUNS.junk} junk bodies on POST and PUT: a 4xx with the error body, never a payment`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('POST /payments', 'PUT /payments/', 'PUT /payment/', 'POST /callbacks/acquirer'), junkBody, contentType, async (route, body, type) => {
        const [method = 'POST', path = '/'] = route.split(' ');
        await send({ method, path: path.endsWith('/') ? `${path}${sale}` : path, headers: { ...JSON_HEADERS, 'content-type': type }, body });
      }),
      { numRuns: RUNS.junk },
    );
  });

  test(`${RUNS.random} random methods, paths and headers: never a 5xx, every 4xx with the error body`, async () => {
    const auth = fc.oneof(
      fc.constant(basic('demo:demo')),
      fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 })).map(([u, p]) => basic(`${u}:${p}`)),
      headerValue,
      fc.constant(undefined),
    );
    const headers = fc.record(
      {
        authorization: auth,
        'content-type': contentType,
        'idempotency-key': headerValue,
        'x-request-id': headerValue,
        'store-id': headerValue,
        'register-id': headerValue,
        'x-signature': headerValue,
        'x-forwarded-for': headerValue,
        accept: headerValue,
      },
      { requiredKeys: [] },
    );
    const path = fc.oneof(
      fc.constantFrom('/payments', `/payments/${sale}`, `/payment/${sale}`, '/healthz', '/metrics', '/openapi.json', '/callbacks/acquirer', '/'),
      fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => `/${s.join('/')}`),
    );
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'PROPFIND');
    const body = fc.oneof(fc.constant(undefined), fc.constant(JSON.stringify(saleBody())), fc.constant(JSON.stringify({ state: 'cancelled' })), junkBody);
    await fc.assert(
      fc.asyncProperty(method, path, headers, body, async (m, p, h, b) => {
        const clean = Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>;
        await send({ method: m, path: p, headers: clean, body: m === 'GET' || m === 'HEAD' ? undefined : b });
      }),
      { numRuns: RUNS.random },
    );
  });

  test('afterwards the process is still up: /healthz 200 and a valid sale still starts; no error was logged', async () => {
    expect(sent.total).toBeGreaterThanOrEqual(RUNS.mutated + RUNS.junk + RUNS.random);
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    const res = await api.request('POST', '/payments', { body: saleBody() });
    expect(res.status).toBe(200);
    expect(api.logs.map((l) => JSON.parse(l) as { level: number }).filter((l) => l.level >= 50)).toEqual([]);
    // Each class of answer was reached, so the requests were not all refused at the door.
    for (const status of [200, 400, 401, 404, 413]) expect(sent.byStatus.get(status) ?? 0).toBeGreaterThan(0);
    process.stdout.write(`fuzz: ${sent.total} requests, by status ${JSON.stringify(Object.fromEntries([...sent.byStatus].sort(([a], [b]) => a - b)))}\n`);
  });
});
