import { startApi, saleBody, type Api } from '../__fixtures__/harness';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

async function post(body: unknown, headers: Record<string, string> = {}) {
  return api.request('POST', '/payments', { body, headers });
}

describe('POST /payments validation (nothing reaches Temporal)', () => {
  afterEach(() => expect(api.fake.calls).toEqual([]));

  test('broken JSON → 400 bad-request', async () => {
    const res = await post('{"amount": "398.00",');
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('bad-request');
  });

  test('an empty body → 400 bad-request', async () => {
    const res = await post('');
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('bad-request');
  });

  test('a JSON array instead of an object → 400 bad-request', async () => {
    const res = await post([saleBody()]);
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('bad-request');
  });

  test('Content-Type text/plain → 400 bad-request', async () => {
    const res = await post(JSON.stringify(saleBody()), { 'content-type': 'text/plain' });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('bad-request');
    expect(res.body.error_data.message).toMatch(/JSON/);
  });

  test('application/json; charset=utf-8 → accepted', async () => {
    const res = await post(JSON.stringify(saleBody()), { 'content-type': 'application/json; charset=utf-8' });
    expect(res.status).toBe(200);
    api.fake.calls.length = 0;
  });

  test('a body over BODY_LIMIT_BYTES → 413 payload-too-large', async () => {
    const res = await post(saleBody({ padding: 'x'.repeat(4096) }));
    expect(res.status).toBe(413);
    expect(res.body.error_code).toBe('payload-too-large');
  });

  test('a body over the limit sent chunked (no Content-Length) → 413 payload-too-large', async () => {
    const chunks = [JSON.stringify(saleBody()).slice(0, -1), `,"padding":"${'x'.repeat(4096)}"}`];
    const stream = new ReadableStream({
      start(controller) {
        for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
        controller.close();
      },
    });
    const res = await fetch(`${api.url}/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}` },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error_code: string }).error_code).toBe('payload-too-large');
  });

  test('amount missing → 400 field-missing with field "amount"', async () => {
    const body = saleBody();
    delete body.amount;
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error_code: 'field-missing',
      error_data: { message: 'amount is required', field: 'amount' },
      request_id: expect.any(String),
    });
  });

  test('posid missing → 400 field-missing with field "posid"', async () => {
    const body = saleBody();
    delete body.posid;
    const res = await post(body);
    expect(res.body.error_code).toBe('field-missing');
    expect(res.body.error_data.field).toBe('posid');
  });

  test('amount as a number → 400 field-type with field "amount"', async () => {
    const res = await post(saleBody({ amount: 398 }));
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('field-type');
    expect(res.body.error_data.field).toBe('amount');
  });

  test('cartitems.0.quantity as a string → 400 field-type with the JSON path', async () => {
    const res = await post(saleBody({ cartitems: [{ sku: 'A', quantity: '2' }] }));
    expect(res.body.error_code).toBe('field-type');
    expect(res.body.error_data.field).toBe('cartitems.0.quantity');
  });

  test('cartitems.1.discounts.0.total as a number → 400 field-type with the JSON path', async () => {
    const res = await post(saleBody({ cartitems: [{}, { discounts: [{ total: 5 }] }] }));
    expect(res.body.error_code).toBe('field-type');
    expect(res.body.error_data.field).toBe('cartitems.1.discounts.0.total');
  });

  test('creditpaymentid as a number → 400 field-type', async () => {
    const res = await post(saleBody({ amount: '-1.00', creditpaymentid: 5 }));
    expect(res.body.error_code).toBe('field-type');
    expect(res.body.error_data.field).toBe('creditpaymentid');
  });

  test('posid as an empty string → 400 field-validation', async () => {
    const res = await post(saleBody({ posid: '' }));
    expect(res.body.error_code).toBe('field-validation');
    expect(res.body.error_data.field).toBe('posid');
  });

  test.each([
    ['1e3', 'an exponent'],
    ['398.001', 'more decimals than SEK allows'],
    ['', 'empty'],
    [' 398.00', 'padded'],
    ['398.00 ', 'padded at the end'],
    ['-0.00', 'negative zero'],
    ['0.00', 'zero'],
    ['0', 'zero without decimals'],
    ['+398.00', 'a plus sign'],
    ['398,00', 'a decimal comma'],
    ['0398.00', 'a leading zero'],
    ['99999999999.00', 'huge'],
    ['12345678901234567890123456789012.00', 'longer than the schema allows'],
  ])('amount "%s" (%s) → 400 field-validation on amount', async (amount) => {
    const res = await post(saleBody({ amount }));
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('field-validation');
    expect(res.body.error_data.field).toBe('amount');
  });

  test('amount "398.5" in JPY (no decimals) → 400 field-validation on amount', async () => {
    const res = await post(saleBody({ amount: '398.5', currencycode: 'JPY' }));
    expect(res.body.error_code).toBe('field-validation');
    expect(res.body.error_data.field).toBe('amount');
  });

  test('an unknown currency "XYZ" → 400 field-validation on currencycode', async () => {
    const res = await post(saleBody({ currencycode: 'XYZ' }));
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('field-validation');
    expect(res.body.error_data.field).toBe('currencycode');
  });

  test('a currency code of the wrong length → 400 field-validation on currencycode', async () => {
    const res = await post(saleBody({ currencycode: 'SEKK' }));
    expect(res.body.error_code).toBe('field-validation');
    expect(res.body.error_data.field).toBe('currencycode');
  });

  test('a sale (positive amount) with a creditpaymentid → 400 field-validation on creditpaymentid', async () => {
    const res = await post(saleBody({ creditpaymentid: 'some-sale' }));
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('field-validation');
    expect(res.body.error_data.field).toBe('creditpaymentid');
  });

  test('a refund whose creditpaymentid has characters no paymentid has → 400 field-validation', async () => {
    const res = await post(saleBody({ amount: '-5.00', creditpaymentid: 'a/b c' }));
    expect(res.body.error_code).toBe('field-validation');
    expect(res.body.error_data.field).toBe('creditpaymentid');
  });
});
