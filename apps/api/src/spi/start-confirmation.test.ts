import { startApi, saleBody, type Api } from '../__fixtures__/harness';

let api: Api;
afterEach(() => api.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('POST /payments: only a register answered with the id lets its payment touch acquirer or terminal', () => {
  test('the start lands but its answer comes after the deadline → 503 with Retry-After, and the workflow is never confirmed', async () => {
    api = await startApi();
    api.fake.startAnswerDelayMs = 1200;
    const res = await api.request('POST', '/payments', { body: saleBody() });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.ms).toBeLessThan(1000);
    await sleep(1500);
    // The start did land: a workflow exists that no register was told of…
    const [wf] = [...api.fake.workflows.values()];
    expect(wf).toBeDefined();
    // …and it never hears that a register got its id, so it ends cancelled at its start window.
    expect(wf?.signals).toEqual([]);
    expect(api.fake.calls).toEqual(['start']);
  });

  test('every start carries its window: the time of the POST and START_CONFIRM_MS', async () => {
    api = await startApi({ env: { START_CONFIRM_MS: '4000' } });
    const before = Date.now();
    const paymentid = await api.createSale();
    const { startConfirmation } = api.fake.payment(paymentid).input;
    expect(startConfirmation?.withinMs).toBe(4000);
    expect(startConfirmation?.postedAt).toBeGreaterThanOrEqual(before);
    expect(startConfirmation?.postedAt).toBeLessThanOrEqual(Date.now());
    // The first workflow task waits a moment, so the confirmation is usually in by then.
    expect(api.fake.payment(paymentid).startOptions).toMatchObject({ startDelay: '100ms' });
  });

  test('a refund its sale refused (422) is never confirmed', async () => {
    api = await startApi();
    const sale = await api.createSale();
    api.fake.reservation = { admitted: false, code: 'refund-exceeds-original', message: 'too much' };
    const res = await api.request('POST', '/payments', { body: saleBody({ amount: '-1.00', creditpaymentid: sale }) });
    expect(res.status).toBe(422);
    await sleep(100);
    expect(api.fake.calls.filter((c) => c === 'signal:registerAnswered')).toHaveLength(1); // the sale's own
  });
});
