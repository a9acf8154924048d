import type { PaymentStateName } from '@payments/contract';
import { startApi, type Api } from '../__fixtures__/harness';
import { registerUpdateId } from './set-payment-state';

let api: Api;
beforeEach(async () => {
  api = await startApi();
});
afterEach(() => api.close());

async function saleIn(state: PaymentStateName): Promise<string> {
  const paymentid = await api.createSale();
  api.fake.payment(paymentid).state = state;
  return paymentid;
}

const put = (paymentid: string, body: unknown, path = '/payments/') => api.request('PUT', `${path}${paymentid}`, { body });

describe('PUT /payments/{paymentid} bodies', () => {
  test('{ paymentstate: { state: "completed" } } on ready_to_complete → 200 with the completed payment', async () => {
    const paymentid = await saleIn('ready_to_complete');
    const res = await put(paymentid, { paymentstate: { state: 'completed' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ paymentid, paymentstate: { state: 'completed' } });
    expect(api.fake.calls).toContain('update:setState');
  });

  test('the bare { state: "cancelled" } on ready_to_complete → 200 cancelled', async () => {
    const paymentid = await saleIn('ready_to_complete');
    const res = await put(paymentid, { state: 'cancelled' });
    expect(res.status).toBe(200);
    expect(res.body.paymentstate.state).toBe('cancelled');
  });

  test('an update whose workflow task failed (the provider’s webhook overtook the task that closed the payment) is sent again with the same id → 200', async () => {
    const paymentid = await saleIn('ready_to_complete');
    api.fake.failingUpdateTasks = 1;
    const res = await put(paymentid, { paymentstate: { state: 'cancelled' } });
    expect(res.status).toBe(200);
    expect(res.body.paymentstate.state).toBe('cancelled');
    const ids = api.fake.updateIds.slice(-2);
    expect(ids[0]).toBeDefined();
    expect(ids).toEqual([ids[0], ids[0]]);
  });

  test('an update whose workflow task keeps failing → 503 unavailable: the register sends its PUT again', async () => {
    const paymentid = await saleIn('ready_to_complete');
    api.fake.failingUpdateTasks = 10;
    const res = await put(paymentid, { paymentstate: { state: 'cancelled' } });
    expect(res.status).toBe(503);
    expect(res.body.error_code).toBe('unavailable');
    expect(api.fake.calls.filter((c) => c === 'update:setState')).toHaveLength(3);
  });

  test('the alias PUT /payment/{paymentid} → the same as /payments/', async () => {
    const paymentid = await saleIn('ready_to_complete');
    const res = await put(paymentid, { paymentstate: { state: 'completed' } }, '/payment/');
    expect(res.status).toBe(200);
    expect(res.body.paymentstate.state).toBe('completed');
  });

  test('an unknown state "done" → 400 field-validation on paymentstate.state', async () => {
    const paymentid = await saleIn('ready_to_complete');
    const res = await put(paymentid, { paymentstate: { state: 'done' } });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('field-validation');
    expect(res.body.error_data.field).toBe('paymentstate.state');
  });

  test('a state the register may not set ("ready_to_complete") in the bare shape → 400 field-validation on state', async () => {
    const paymentid = await saleIn('inprogress');
    const res = await put(paymentid, { state: 'ready_to_complete' });
    expect(res.body.error_code).toBe('field-validation');
    expect(res.body.error_data.field).toBe('state');
  });

  test('{} → 400 field-missing on paymentstate.state', async () => {
    const paymentid = await saleIn('inprogress');
    const res = await put(paymentid, {});
    expect(res.body.error_code).toBe('field-missing');
    expect(res.body.error_data.field).toBe('paymentstate.state');
  });

  test('{ paymentstate: "completed" } → 400 field-type on paymentstate', async () => {
    const paymentid = await saleIn('inprogress');
    const res = await put(paymentid, { paymentstate: 'completed' });
    expect(res.body.error_code).toBe('field-type');
    expect(res.body.error_data.field).toBe('paymentstate');
  });

  test('{ state: 1 } → 400 field-type on state', async () => {
    const paymentid = await saleIn('inprogress');
    const res = await put(paymentid, { state: 1 });
    expect(res.body.error_code).toBe('field-type');
    expect(res.body.error_data.field).toBe('state');
  });

  test('broken JSON → 400 bad-request', async () => {
    const paymentid = await saleIn('inprogress');
    const res = await put(paymentid, '{"state":');
    expect(res.body.error_code).toBe('bad-request');
  });

  test('another merchant\'s payment → 404 not-found and no update sent', async () => {
    const paymentid = await saleIn('ready_to_complete');
    const res = await api.request('PUT', `/payments/${paymentid}`, { body: { state: 'completed' }, auth: 'other:other-secret' });
    expect(res.status).toBe(404);
    expect(api.fake.calls).not.toContain('update:setState');
    expect(api.fake.payment(paymentid).state).toBe('ready_to_complete');
  });

  test('an unknown paymentid → 404 not-found', async () => {
    const res = await put('00000000-0000-4000-8000-000000000000', { state: 'completed' });
    expect(res.status).toBe(404);
  });
});

describe('PUT on a running payment: the workflow\'s validator decides', () => {
  test('PUT completed on an inprogress payment → 409 invalid-state', async () => {
    const paymentid = await saleIn('inprogress');
    const res = await put(paymentid, { state: 'completed' });
    expect(res.status).toBe(409);
    expect(res.body.error_code).toBe('invalid-state');
    expect(res.body.error_data.message).toBe('the payment is still in progress');
  });

  test('PUT cancelled on an inprogress payment → 200 cancelled', async () => {
    const paymentid = await saleIn('inprogress');
    const res = await put(paymentid, { state: 'cancelled' });
    expect(res.status).toBe(200);
    expect(res.body.paymentstate.state).toBe('cancelled');
  });

  test('PUT completed on a completed payment → 200, unchanged', async () => {
    const paymentid = await saleIn('completed');
    const res = await put(paymentid, { state: 'completed' });
    expect(res.status).toBe(200);
    expect(res.body.paymentstate.state).toBe('completed');
  });

  test('PUT cancelled on a completed payment after the window → 409 reversal-not-possible', async () => {
    const paymentid = await saleIn('completed');
    api.fake.payment(paymentid).lateCancelAllowed = false;
    const res = await put(paymentid, { state: 'cancelled' });
    expect(res.status).toBe(409);
    expect(res.body.error_code).toBe('reversal-not-possible');
    expect(api.fake.payment(paymentid).state).toBe('completed');
  });

  test('PUT completed on a cancelled payment → 409 invalid-state', async () => {
    const paymentid = await saleIn('cancelled');
    const res = await put(paymentid, { state: 'completed' });
    expect(res.status).toBe(409);
    expect(res.body.error_code).toBe('invalid-state');
  });

  test('PUT while the worker is busy: the update answers 600 ms in (of the 800 ms deadline) → 200 completed, within 1 s', async () => {
    const paymentid = await saleIn('ready_to_complete');
    api.fake.workerAnswerDelayMs = 600;
    const res = await put(paymentid, { state: 'completed' });
    expect(res.status).toBe(200);
    expect(res.body.paymentstate.state).toBe('completed');
    expect(res.ms).toBeLessThan(1000);
  });

  test('PUT while the worker is slower still: the update answers 720 ms in → 200 completed, within 1 s (no time kept back for a describe)', async () => {
    const paymentid = await saleIn('ready_to_complete');
    await api.request('GET', `/payments/${paymentid}`); // remembered as open, as a polled payment is
    api.fake.workerAnswerDelayMs = 720;
    const res = await put(paymentid, { state: 'completed' });
    expect(res.status).toBe(200);
    expect(res.body.paymentstate.state).toBe('completed');
    expect(res.ms).toBeLessThan(1000);
  });

  test('PUT while no worker runs → 503 unavailable within 1 s', async () => {
    const paymentid = await saleIn('ready_to_complete');
    api.fake.workerDown = true;
    const res = await put(paymentid, { state: 'completed' });
    expect(res.status).toBe(503);
    expect(res.body.error_code).toBe('unavailable');
    expect(res.ms).toBeLessThan(1000);
  });
});

describe('a register retrying its PUT while a worker is replaced', () => {
  test('PUT answered 503, retried → the retry carries the same update id: it joins the update Temporal admitted', async () => {
    const paymentid = await saleIn('ready_to_complete');
    await api.request('GET', `/payments/${paymentid}`); // the API holds the payment's view, as a polled payment's
    api.fake.workerDown = true;
    expect((await put(paymentid, { state: 'completed' })).status).toBe(503);
    api.fake.workerDown = false;
    expect((await put(paymentid, { state: 'completed' })).status).toBe(200);
    const [first, retry] = api.fake.updateIds;
    expect(first).toEqual(expect.any(String));
    expect(retry).toBe(first);
  });

  test('the update id: one per payment, target and view version; none (the client picks) with no view held', () => {
    expect(registerUpdateId('p1', 'completed', 3)).toBe(registerUpdateId('p1', 'completed', 3));
    expect(registerUpdateId('p1', 'completed', 4)).not.toBe(registerUpdateId('p1', 'completed', 3));
    expect(registerUpdateId('p1', 'cancelled', 3)).not.toBe(registerUpdateId('p1', 'completed', 3));
    expect(registerUpdateId('p2', 'completed', 3)).not.toBe(registerUpdateId('p1', 'completed', 3));
    expect(registerUpdateId('p1', 'completed', undefined)).toBeUndefined();
  });
});

describe('PUT on a payment whose workflow has closed: the contract\'s table, applied by the API', () => {
  test.each([
    ['completed', 'completed', 200, null],
    ['completed', 'cancelled', 409, 'reversal-not-possible'],
    ['cancelled', 'cancelled', 200, null],
    ['cancelled', 'completed', 409, 'invalid-state'],
  ] as const)('PUT %s→%s after close → %i %s', async (finalState, target, status, code) => {
    const paymentid = await saleIn('inprogress');
    api.fake.close(paymentid, finalState);
    const res = await put(paymentid, { state: target });
    expect(res.status).toBe(status);
    if (code) expect(res.body.error_code).toBe(code);
    else expect(res.body.paymentstate.state).toBe(finalState);
  });

  test('PUT cancelled on a completed payment that closed after the window → 409 reversal-not-possible, even with no worker', async () => {
    const paymentid = await saleIn('completed');
    api.fake.close(paymentid, 'completed');
    api.fake.workerDown = true;
    const res = await put(paymentid, { state: 'cancelled' });
    expect(res.status).toBe(409);
    expect(res.body.error_code).toBe('reversal-not-possible');
    expect(res.ms).toBeLessThan(1000);
  });

  test('PUT on a payment that closed while the API thought it open → the update finds it closed, the memo answers', async () => {
    const paymentid = await saleIn('completed');
    await api.request('GET', `/payments/${paymentid}`);
    api.fake.close(paymentid, 'completed');
    api.fake.calls.length = 0;
    const res = await put(paymentid, { state: 'completed' });
    expect(res.status).toBe(200);
    expect(res.body.paymentstate.state).toBe('completed');
    expect(api.fake.calls).toEqual(['update:setState', 'describe']);
  });

  test('PUT on a closed payment without a memo (terminated) → the final state from a query', async () => {
    const paymentid = await saleIn('cancelled');
    api.fake.close(paymentid, 'cancelled', { memo: false });
    const res = await put(paymentid, { state: 'completed' });
    expect(res.status).toBe(409);
    expect(res.body.error_code).toBe('invalid-state');
    expect(api.fake.calls).toContain('query:payment');
  });
});
