import { startApi, saleBody, type Api } from '../__fixtures__/harness';

let api: Api;
afterEach(() => api.close());

describe('admission control at the SPI', () => {
  test('Temporal calls in flight at the limit → a new POST gets a fast 503 busy with Retry-After, and nothing is started', async () => {
    // A long deadline: the stuck start stays in flight while the test looks.
    api = await startApi({ env: { ADMISSION_LIMIT: '1', ADMISSION_RETRY_AFTER_S: '2', TEMPORAL_CALL_DEADLINE_MS: '3000' } });
    api.fake.hang = true;
    const stuck = api.request('POST', '/payments', { body: saleBody() });
    await new Promise((r) => setTimeout(r, 50));
    const shed = await api.request('POST', '/payments', { body: saleBody() });
    expect(shed.status).toBe(503);
    expect(shed.headers.get('retry-after')).toBe('2');
    expect(shed.body).toMatchObject({ error_code: 'unavailable', error_data: { message: 'the payment service is busy, try again' } });
    // At once, not after the 3 s deadline the stuck start waits out.
    expect(shed.ms).toBeLessThan(500);
    expect(api.fake.calls).toEqual(['start']);
    // What an operator reads while it happens.
    const metrics = (await api.request('GET', '/metrics', { auth: null })).body as string;
    expect(metrics).toMatch(/^api_admission_limit 1$/m);
    expect(metrics).toMatch(/^api_admission_starts_in_flight 1$/m);
    expect(metrics).toMatch(/^api_admission_in_flight 0$/m);
    expect(metrics).toMatch(/^api_admission_shed_total 1$/m);
    expect((await stuck).status).toBe(503);
  });

  test('a start counts until the worker first answers it: with workers pushing views, a POST whose start Temporal took still holds its place until its first view arrives', async () => {
    api = await startApi({ env: { ADMISSION_LIMIT: '1', VIEW_TRUST_MS: '2000' } });
    const viewOf = (paymentid: string) => ({ paymentid, version: 1, payment: api.fake.view(api.fake.payment(paymentid)) });
    // Before any push, a start counts while its call is in flight only: one after the other is fine.
    const first = await api.createSale();
    api.views.pushed(viewOf(first)); // the workers push views to this instance
    const second = await api.createSale();
    // Temporal took the second start, but the worker has not run it yet: its place is held.
    const shed = await api.request('POST', '/payments', { body: saleBody() });
    expect(shed.status).toBe(503);
    expect(shed.body.error_data.message).toBe('the payment service is busy, try again');
    let metrics = (await api.request('GET', '/metrics', { auth: null })).body as string;
    expect(metrics).toMatch(/^api_admission_starts_in_flight 1$/m);
    // The worker's first view of it arrives: the next payment is admitted.
    api.views.pushed(viewOf(second));
    expect((await api.request('POST', '/payments', { body: saleBody() })).status).toBe(200);
    metrics = (await api.request('GET', '/metrics', { auth: null })).body as string;
    expect(metrics).toMatch(/^api_admission_shed_total 1$/m);
  });

  test('PUTs go ahead of new POSTs: a PUT is carried out while POSTs are being refused', async () => {
    api = await startApi({ env: { ADMISSION_LIMIT: '1' } });
    const paymentid = await api.createSale();
    api.fake.startAnswerDelayMs = 1500;
    const slow = api.request('POST', '/payments', { body: saleBody() });
    await new Promise((r) => setTimeout(r, 50));
    expect((await api.request('POST', '/payments', { body: saleBody() })).status).toBe(503);
    const put = await api.request('PUT', `/payments/${paymentid}`, { body: { state: 'cancelled' } });
    expect(put.status).toBe(200);
    expect(put.body.paymentstate.state).toBe('cancelled');
    await slow;
  });

  test('bad input is still told apart from a busy service: 400 with the field, not 503', async () => {
    api = await startApi({ env: { ADMISSION_LIMIT: '1' } });
    api.fake.hang = true;
    const stuck = api.request('POST', '/payments', { body: saleBody() });
    await new Promise((r) => setTimeout(r, 50));
    const bad = await api.request('POST', '/payments', { body: saleBody({ amount: '1e3' }) });
    expect(bad.status).toBe(400);
    await stuck;
  });

  test('ADMISSION_LIMIT=off: nothing is refused', async () => {
    api = await startApi({ env: { ADMISSION_LIMIT: 'off' } });
    api.fake.hang = true;
    const all = await Promise.all(Array.from({ length: 5 }, () => api.request('POST', '/payments', { body: saleBody() })));
    expect(all.map((r) => r.body.error_data.message)).not.toContain('the payment service is busy, try again');
    expect(api.fake.calls.filter((c) => c === 'start')).toHaveLength(5);
  });
});
