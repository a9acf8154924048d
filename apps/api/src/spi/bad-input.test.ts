import { startApi, saleBody, type Api, type Reply } from '../__fixtures__/harness';

/**
 * Bad input of every kind the issue lists, on every SPI route: each answered with the
 * contract's error body and its status, never a 5xx, and nothing reaches Temporal.
 * (payment-request.test.ts and set-payment-state.test.ts hold the finer validation cases.)
 */
let api: Api;
let sale: string;
beforeAll(async () => {
  api = await startApi();
  sale = await api.createSale();
  api.fake.payment(sale).state = 'ready_to_complete';
});
afterAll(() => api.close());
beforeEach(() => {
  api.fake.calls.length = 0;
});

function expectError(res: Reply, status: number, code: string, field?: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.body).toEqual({
    error_code: code,
    error_data: field === undefined ? { message: expect.any(String) } : { message: expect.any(String), field },
    request_id: res.headers.get('x-request-id'),
  });
}

const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
const withExtra = (raw: string) => `${JSON.stringify(saleBody()).slice(0, -1)},"extra":${raw}}`;

describe.each([
  ['POST', () => '/payments', () => saleBody()],
  ['PUT', () => `/payments/${sale}`, () => ({ paymentstate: { state: 'completed' } })],
  ['PUT (alias)', () => `/payment/${sale}`, () => ({ paymentstate: { state: 'completed' } })],
])('%s: the body itself', (label, path, valid) => {
  const method = label.startsWith('PUT') ? 'PUT' : 'POST';
  afterEach(() => expect(api.fake.calls.filter((c) => c !== 'query:payment')).toEqual([]));

  test('over BODY_LIMIT_BYTES → 413 payload-too-large', async () => {
    expectError(await api.request(method, path(), { body: { ...valid(), padding: 'x'.repeat(4096) } }), 413, 'payload-too-large');
  });

  test('broken JSON → 400 bad-request', async () => {
    expectError(await api.request(method, path(), { body: '{"amount": "398.00", ' }), 400, 'bad-request');
  });

  test.each([['text/plain'], ['application/x-www-form-urlencoded'], ['multipart/form-data; boundary=x'], ['application/jsonp']])(
    'Content-Type %s → 400 bad-request',
    async (type) => {
      expectError(await api.request(method, path(), { body: JSON.stringify(valid()), headers: { 'content-type': type } }), 400, 'bad-request');
    },
  );

  test('a JSON body nested 10 000 levels deep → 400 bad-request (nothing recursive ever sees it)', async () => {
    expectError(await api.request(method, path(), { body: withExtra(deep(10_000)).slice(0, 2000) + deep(1) }), 400, 'bad-request');
    expectError(await api.request(method, path(), { body: deep(600) }), 400, 'bad-request');
  });

  test.each([['null'], ['42'], ['"a string"'], ['[]'], ['true']])('the JSON value %s instead of an object → 400 bad-request', async (raw) => {
    expectError(await api.request(method, path(), { body: raw }), 400, 'bad-request');
  });
});

test('an unknown field nested 30 levels deep → still accepted (200): only absurd depth is refused', async () => {
  const res = await api.request('POST', '/payments', { body: withExtra(deep(29)) });
  expect(res.status).toBe(200);
});

describe('POST /payments: fields', () => {
  afterEach(() => expect(api.fake.calls).toEqual([]));

  test.each([
    ['amount', 'field-missing'],
    ['currencycode', 'field-missing'],
    ['posid', 'field-missing'],
  ])('%s missing → 400 %s with the field', async (field, code) => {
    const body = saleBody();
    delete body[field];
    expectError(await api.request('POST', '/payments', { body }), 400, code, field);
  });

  test.each([
    [{ amount: 398 }, 'amount'],
    [{ amount: null }, 'amount'],
    [{ currencycode: 752 }, 'currencycode'],
    [{ posid: ['P1'] }, 'posid'],
    [{ customer: '+46701234567' }, 'customer'],
    [{ customer: { mobile: 46701234567 } }, 'customer.mobile'],
    [{ cartitems: { 0: {} } }, 'cartitems'],
    [{ cartitems: [{ vatvalue: '25' }] }, 'cartitems.0.vatvalue'],
    [{ cartitems: [{}, {}, { discounts: [{ vat: 1 }] }] }, 'cartitems.2.discounts.0.vat'],
    [{ creditpaymentid: true, amount: '-1.00' }, 'creditpaymentid'],
  ])('%j → 400 field-type on %s', async (override, field) => {
    expectError(await api.request('POST', '/payments', { body: saleBody(override) }), 400, 'field-type', field);
  });

  test.each([['1e3'], ['398.001'], [''], [' 398.00'], ['-0.00'], ['0.00'], ['99999999999.00'], ['9'.repeat(31)], ['Infinity'], ['NaN'], ['0x10'], ['٣٩٨.٠٠']])(
    'amount %j → 400 field-validation on amount',
    async (amount) => {
      expectError(await api.request('POST', '/payments', { body: saleBody({ amount }) }), 400, 'field-validation', 'amount');
    },
  );

  test('absurdly large numbers elsewhere (1e400 is Infinity in JSON) → 400 field-type, not a 500', async () => {
    const res = await api.request('POST', '/payments', { body: withExtra('0').replace('"quantity":1', '"quantity":1e400') });
    expectError(res, 400, 'field-type', 'cartitems.0.quantity');
  });

  test.each([['XYZ'], ['sek'], ['SE'], ['€€€'], ['']])('currencycode %j → 400 field-validation on currencycode', async (currencycode) => {
    expectError(await api.request('POST', '/payments', { body: saleBody({ currencycode }) }), 400, 'field-validation', 'currencycode');
  });

  test.each([
    [{ posid: 'P'.repeat(129) }, 'posid'],
    [{ receiptid: 'R'.repeat(129) }, 'receiptid'],
    [{ cartitems: Array.from({ length: 1001 }, () => ({})) }, 'cartitems'],
  ])('an over-long value → 400 field-validation on its field (%#)', async (override, field) => {
    const res = await startApi({ env: { BODY_LIMIT_BYTES: String(64 * 1024) } }).then(async (big) => {
      try {
        return await big.request('POST', '/payments', { body: saleBody(override) });
      } finally {
        await big.close();
      }
    });
    expectError(res, 400, 'field-validation', field);
  });
});

describe('ids in the path', () => {
  test.each([['x'.repeat(129)], ['a%20b'], ['a%2Fb'], ['%00'], ['%E0%A4%A'], ['%'], ['caf%C3%A9'], ['%F0%9F%92%B3'], ['a;b'], ['a$b']])(
    'GET, PUT and PUT alias with the id %j → 404 not-found, as an unknown id, without asking Temporal',
    async (id) => {
      expectError(await api.request('GET', `/payments/${id}`), 404, 'not-found');
      expectError(await api.request('PUT', `/payments/${id}`, { body: { state: 'completed' } }), 404, 'not-found');
      expectError(await api.request('PUT', `/payment/${id}`, { body: { state: 'completed' } }), 404, 'not-found');
      expect(api.fake.calls).toEqual([]);
    },
  );

  test('an extra path segment → 404 not-found', async () => {
    expectError(await api.request('GET', `/payments/${sale}/extra`), 404, 'not-found');
  });
});

describe('PUT state', () => {
  test.each([['done'], ['COMPLETED'], ['ready_to_complete'], ['inprogress'], ['']])('unknown or forbidden state %j → 400 field-validation', async (state) => {
    expectError(await api.request('PUT', `/payments/${sale}`, { body: { paymentstate: { state } } }), 400, 'field-validation', 'paymentstate.state');
    expect(api.fake.payment(sale).state).toBe('ready_to_complete');
  });
});

test('unknown extra fields stay accepted, at the top, in the customer and in cart items', async () => {
  const res = await api.request('POST', '/payments', {
    body: saleBody({ newfield: 1, customer: { mobile: '+46701234567', loyaltyid: 'L1' }, cartitems: [{ sku: 'A', colour: 'red' }] }),
  });
  expect(res.status).toBe(200);
});
