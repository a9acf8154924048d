import { SA } from '@payments/workflow';
import { startApi, saleBody, type Api } from '../__fixtures__/harness';

let api: Api;
beforeEach(async () => {
  api = await startApi({ env: { MERCHANT_PAYMENT_METHODS: '{"demo":"card"}' } });
});
afterEach(() => api.close());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('POST /payments', () => {
  test('a sale → 200 with the bare JSON string paymentid, one workflow started, then told the register got the id', async () => {
    const res = await api.request('POST', '/payments', { body: saleBody() });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(typeof res.body).toBe('string');
    expect(res.body).toMatch(UUID);
    await api.confirmed(res.body);
    expect(api.fake.calls).toEqual(['start', 'signal:registerAnswered']);
    const wf = api.fake.payment(res.body);
    expect(wf.input).toMatchObject({ paymentid: res.body, merchant: 'demo', method: 'card', kind: 'sale', amountMinor: 39800 });
    expect(wf.input.timers).toEqual({ ...api.config.timers });
  });

  test('the workflow starts with the idempotent id policies, memo, every search attribute and the summary', async () => {
    const paymentid = await api.createSale();
    const options = api.fake.payment(paymentid).startOptions as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(options).toMatchObject({
      workflowId: `payment-${paymentid}`,
      taskQueue: 'payments',
      // FAIL: a start that goes through is this request's own; one that finds the workflow is a retry, checked by describe.
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      memo: { merchant: 'demo', requestHash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      staticSummary: 'Sale 398.00 SEK · store 1 · POS SIE0000160000051',
    });
    expect(options.staticDetails).toContain('SIE000016000005112345');
    expect(options.staticDetails).toContain('demo');
    const sa = Object.fromEntries((options.typedSearchAttributes as { key: { name: string }; value: unknown }[]).map((p) => [p.key.name, p.value]));
    expect(sa).toEqual({
      PaymentState: 'inprogress',
      Merchant: 'demo',
      StoreId: '1',
      PosId: 'SIE0000160000051',
      ReceiptId: 'SIE000016000005112345',
      PaymentMethod: 'card',
      PaymentKind: 'sale',
      ReversalState: 'none',
      PaymentAmount: 398,
    });
    // Every attribute but the refund's sale and the reconciliation's verdict, which comes days later.
    expect(Object.keys(sa).sort()).toEqual(Object.keys(SA).filter((k) => k !== 'CreditPaymentId' && k !== 'ReconciliationState').sort());
  });

  test('a minimal body → absent optional fields normalised to "", [] and null', async () => {
    const res = await api.request('POST', '/payments', { body: { amount: '10.00', currencycode: 'SEK', posid: 'P1' } });
    expect(res.status).toBe(200);
    expect(api.fake.payment(res.body).input.request).toEqual({
      creditpaymentid: null,
      paymentname: '',
      amount: '10.00',
      currencycode: 'SEK',
      storeid: '',
      storename: '',
      storeexternalid: null,
      posid: 'P1',
      receiptid: '',
      customer: null,
      cartitems: [],
    });
  });

  test('unknown extra fields → accepted (200) and not passed on', async () => {
    const res = await api.request('POST', '/payments', { body: saleBody({ somethingnew: { x: 1 }, loyalty: 'gold' }) });
    expect(res.status).toBe(200);
    expect(api.fake.payment(res.body).input.request).not.toHaveProperty('somethingnew');
  });

  test('a merchant without a configured method pays by wallet', async () => {
    const res = await api.request('POST', '/payments', { body: saleBody(), auth: 'other:other-secret' });
    expect(res.status).toBe(200);
    expect(api.fake.payment(res.body).input.method).toBe('wallet');
  });

  test('a negative amount without creditpaymentid → a standalone refund, started without a reservation on a sale', async () => {
    const res = await api.request('POST', '/payments', { body: saleBody({ amount: '-129.00' }) });
    expect(res.status).toBe(200);
    expect(api.fake.payment(res.body).input).toMatchObject({ kind: 'refund', amountMinor: -12900 });
    await api.confirmed(res.body);
    expect(api.fake.calls).toEqual(['start', 'signal:registerAnswered']);
    const options = api.fake.payment(res.body).startOptions as { staticSummary: string };
    expect(options.staticSummary).toBe('Refund -129.00 SEK · store 1 · POS SIE0000160000051');
  });

  test('a refund with creditpaymentid of the merchant\'s own sale → update-with-start of its reservation on the sale, 200 when admitted', async () => {
    const sale = await api.createSale();
    api.fake.calls.length = 0;
    const res = await api.request('POST', '/payments', { body: saleBody({ amount: '-129.00', creditpaymentid: sale }) });
    expect(res.status).toBe(200);
    await api.confirmed(res.body);
    expect(api.fake.calls).toEqual(['updateWithStart:admission', 'signal:registerAnswered']);
    const options = api.fake.payment(res.body).startOptions as { typedSearchAttributes: { key: { name: string }; value: unknown }[] };
    expect(options.typedSearchAttributes).toContainEqual({ key: SA.CreditPaymentId, value: sale });
  });

  test('a refund over what remains of the sale → 422 refund-exceeds-original', async () => {
    const sale = await api.createSale();
    api.fake.reservation = { admitted: false, code: 'refund-exceeds-original', message: 'refunds would exceed the original: 100.00 remains' };
    const res = await api.request('POST', '/payments', { body: saleBody({ amount: '-129.00', creditpaymentid: sale }) });
    expect(res.status).toBe(422);
    expect(res.body.error_code).toBe('refund-exceeds-original');
    expect(res.body.error_data.message).toContain('100.00 remains');
  });

  test('a refund crediting a sale its workflow refuses → 400 field-validation on creditpaymentid', async () => {
    const sale = await api.createSale();
    api.fake.reservation = { admitted: false, code: 'field-validation', message: 'creditpaymentid does not refer to a completed, refundable sale' };
    const res = await api.request('POST', '/payments', { body: saleBody({ amount: '-129.00', creditpaymentid: sale }) });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('field-validation');
    expect(res.body.error_data.field).toBe('creditpaymentid');
  });

  test('a refund crediting an unknown paymentid → 400 field-validation on creditpaymentid, no workflow started', async () => {
    const res = await api.request('POST', '/payments', { body: saleBody({ amount: '-129.00', creditpaymentid: 'nope' }) });
    expect(res.status).toBe(400);
    expect(res.body.error_data).toEqual({ message: 'creditpaymentid does not refer to a refundable sale', field: 'creditpaymentid' });
    expect(api.fake.workflows.size).toBe(0);
  });

  test('a refund crediting another merchant\'s sale → the same answer as an unknown id, no workflow started, the sale untouched', async () => {
    const sale = await api.createSale();
    const foreign = await api.request('POST', '/payments', { body: saleBody({ amount: '-1.00', creditpaymentid: sale }), auth: 'other:other-secret' });
    const unknown = await api.request('POST', '/payments', {
      body: saleBody({ amount: '-1.00', creditpaymentid: '00000000-0000-4000-8000-000000000000' }),
      auth: 'other:other-secret',
    });
    expect(foreign.status).toBe(400);
    expect({ ...foreign.body, request_id: '' }).toEqual({ ...unknown.body, request_id: '' });
    expect(api.fake.workflows.size).toBe(1);
    expect(api.fake.calls).not.toContain('updateWithStart:admission');
  });
});

describe('POST /payments with Idempotency-Key', () => {
  test('the same key and body twice → the same paymentid, one workflow', async () => {
    const a = await api.request('POST', '/payments', { body: saleBody(), headers: { 'idempotency-key': 'order-42' } });
    const b = await api.request('POST', '/payments', { body: saleBody(), headers: { 'idempotency-key': 'order-42' } });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.body).toBe(a.body);
    expect(a.body).toMatch(UUID);
    expect(api.fake.workflows.size).toBe(1);
  });

  test('the first POST of a key costs one start; only a retry, which finds the workflow, reads its memo to check the body', async () => {
    const first = await api.createSale({}, { 'idempotency-key': 'order-43' });
    expect(api.fake.calls).toEqual(['start', 'signal:registerAnswered']);
    api.fake.calls.length = 0;
    const again = await api.request('POST', '/payments', { body: saleBody(), headers: { 'idempotency-key': 'order-43' } });
    expect(again.body).toBe(first);
    // The retry's 200 confirms again: harmless, the workflow had it already.
    await new Promise((r) => setTimeout(r, 50));
    expect(api.fake.calls).toEqual(['start', 'describe', 'signal:registerAnswered']);
  });

  test('the same key with the body\'s keys in another order → the same paymentid', async () => {
    const body = saleBody();
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const a = await api.request('POST', '/payments', { body, headers: { 'idempotency-key': 'k' } });
    const b = await api.request('POST', '/payments', { body: reordered, headers: { 'idempotency-key': 'k' } });
    expect(b.body).toBe(a.body);
  });

  test('the same key after the workflow has closed → the same paymentid, no new workflow', async () => {
    const a = await api.request('POST', '/payments', { body: saleBody(), headers: { 'idempotency-key': 'k-closed' } });
    api.fake.close(a.body, 'completed');
    const b = await api.request('POST', '/payments', { body: saleBody(), headers: { 'idempotency-key': 'k-closed' } });
    expect(b.status).toBe(200);
    expect(b.body).toBe(a.body);
    expect(api.fake.workflows.size).toBe(1);
  });

  test('a refused refund retried with the same key after its workflow closed → the same 422, not a 200', async () => {
    const sale = await api.createSale();
    const refund = saleBody({ amount: '-500.00', creditpaymentid: sale });
    const refused = { admitted: false, code: 'refund-exceeds-original', message: 'refunds would exceed the original: 100.00 remains' } as const;
    api.fake.reservation = refused;
    const first = await api.request('POST', '/payments', { body: refund, headers: { 'idempotency-key': 'refund-1' } });
    expect(first.status).toBe(422);
    const [id] = [...api.fake.workflows.keys()].filter((k) => k !== `payment-${sale}`);
    api.fake.workflows.get(id!)!.memo.admission = refused; // the workflow writes it as it closes
    api.fake.close(id!.replace(/^payment-/, ''), 'cancelled');
    const retry = await api.request('POST', '/payments', { body: refund, headers: { 'idempotency-key': 'refund-1' } });
    expect(retry.status).toBe(422);
    expect(retry.body.error_code).toBe('refund-exceeds-original');
  });

  test('the same key with a different body → 422 idempotency-conflict', async () => {
    await api.request('POST', '/payments', { body: saleBody(), headers: { 'idempotency-key': 'order-43' } });
    const res = await api.request('POST', '/payments', { body: saleBody({ amount: '399.00' }), headers: { 'idempotency-key': 'order-43' } });
    expect(res.status).toBe(422);
    expect(res.body.error_code).toBe('idempotency-conflict');
  });

  test('a different body on a closed payment\'s key → 422 idempotency-conflict', async () => {
    const a = await api.request('POST', '/payments', { body: saleBody(), headers: { 'idempotency-key': 'order-44' } });
    api.fake.close(a.body, 'cancelled');
    const res = await api.request('POST', '/payments', { body: saleBody({ amount: '1.00' }), headers: { 'idempotency-key': 'order-44' } });
    expect(res.status).toBe(422);
    expect(res.body.error_code).toBe('idempotency-conflict');
  });

  test('the same key from two merchants → two different payments', async () => {
    const a = await api.request('POST', '/payments', { body: saleBody(), headers: { 'idempotency-key': 'shared' } });
    const b = await api.request('POST', '/payments', { body: saleBody(), headers: { 'idempotency-key': 'shared' }, auth: 'other:other-secret' });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.body).not.toBe(a.body);
  });

  test('different keys → different paymentids; no key → a fresh paymentid each time', async () => {
    const ids = new Set<string>();
    for (const headers of [{ 'idempotency-key': 'x1' }, { 'idempotency-key': 'x2' }, {}, {}] as Record<string, string>[]) {
      ids.add((await api.request('POST', '/payments', { body: saleBody(), headers })).body as string);
    }
    expect(ids.size).toBe(4);
  });

  test('a key longer than 128 characters → 400 bad-request', async () => {
    const res = await api.request('POST', '/payments', { body: saleBody(), headers: { 'idempotency-key': 'k'.repeat(129) } });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('bad-request');
    expect(api.fake.calls).toEqual([]);
  });

  test('a key with non-ASCII characters → 400 bad-request', async () => {
    const res = await api.request('POST', '/payments', { body: saleBody(), headers: { 'idempotency-key': 'key-\u00e5\u00e4' } });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('bad-request');
  });
});
