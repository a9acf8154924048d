import { startApi, saleBody, type Api } from '../__fixtures__/harness';

let api: Api;
beforeEach(async () => {
  api = await startApi();
});
afterEach(() => api.close());

describe('GET /payments/{paymentid}', () => {
  test('a payment this API started → 200 with the payment, one query and no describe', async () => {
    const paymentid = await api.createSale();
    api.fake.calls.length = 0;
    const res = await api.request('GET', `/payments/${paymentid}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ paymentid, amount: '398.00', currencycode: 'SEK', paymentstate: { state: 'inprogress' } });
    expect(api.fake.calls).toEqual(['query:view']);
  });

  test('a payment this API started → the query names its run, so the server skips its current-run lookup', async () => {
    const paymentid = await api.createSale();
    api.fake.handleRuns.length = 0;
    await api.request('GET', `/payments/${paymentid}`);
    expect(api.fake.handleRuns).toEqual([`run-payment-${paymentid}`]);
  });

  test('a payment this API instance has not seen → its run comes from the describe, and later queries name it', async () => {
    const paymentid = await api.createSale();
    const other = await startApi();
    try {
      other.fake.workflows.set(`payment-${paymentid}`, api.fake.payment(paymentid));
      await other.request('GET', `/payments/${paymentid}`);
      await other.request('GET', `/payments/${paymentid}`);
      expect(other.fake.handleRuns).toEqual([undefined, `run-payment-${paymentid}`, `run-payment-${paymentid}`]);
    } finally {
      await other.close();
    }
  });

  test('a payment another API instance started a moment ago (no task completed yet) → 200 inprogress from its history, no query (it would wait for that task)', async () => {
    const paymentid = await api.createSale();
    const other = await startApi();
    try {
      const wf = api.fake.payment(paymentid);
      wf.firstTaskPending = true;
      other.fake.workerDown = true; // a query could not be answered in time anyway
      other.fake.workflows.set(`payment-${paymentid}`, wf);
      const res = await other.request('GET', `/payments/${paymentid}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ paymentid, amount: '398.00', paymentstate: { state: 'inprogress' } });
      expect(other.fake.calls).toEqual(['describe', 'history']);
    } finally {
      await other.close();
    }
  });

  test('a young payment whose first task has completed → the history says so, and the query answers (the view may have changed)', async () => {
    const paymentid = await api.createSale();
    const other = await startApi();
    try {
      const wf = api.fake.payment(paymentid);
      wf.historyLength = 4;
      other.fake.workflows.set(`payment-${paymentid}`, wf);
      const res = await other.request('GET', `/payments/${paymentid}`);
      expect(res.status).toBe(200);
      expect(other.fake.calls).toEqual(['describe', 'history', 'query:view']);
    } finally {
      await other.close();
    }
  });

  test('a payment this API instance has not seen → ownership from the memo, then the query', async () => {
    const paymentid = await api.createSale();
    const other = await startApi();
    try {
      other.fake.workflows.set(`payment-${paymentid}`, api.fake.payment(paymentid));
      const res = await other.request('GET', `/payments/${paymentid}`);
      expect(res.status).toBe(200);
      expect(other.fake.calls).toEqual(['describe', 'query:view']);
      const again = await other.request('GET', `/payments/${paymentid}`);
      expect(again.status).toBe(200);
      expect(other.fake.calls).toEqual(['describe', 'query:view', 'query:view']);
    } finally {
      await other.close();
    }
  });

  test('an unknown paymentid → 404 not-found', async () => {
    const res = await api.request('GET', '/payments/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
    expect(res.body.error_code).toBe('not-found');
  });

  test('a paymentid that cannot be one (too long, odd characters) → 404 not-found without asking Temporal', async () => {
    for (const id of ['x'.repeat(129), 'a%20b', 'a$b']) {
      const res = await api.request('GET', `/payments/${id}`);
      expect(res.status).toBe(404);
      expect(res.body.error_code).toBe('not-found');
    }
    expect(api.fake.calls).toEqual([]);
  });

  test('another merchant\'s payment → 404 not-found, the same body as an unknown id', async () => {
    const paymentid = await api.createSale();
    const res = await api.request('GET', `/payments/${paymentid}`, { auth: 'other:other-secret' });
    const unknown = await api.request('GET', '/payments/00000000-0000-4000-8000-000000000000', { auth: 'other:other-secret' });
    expect(res.status).toBe(404);
    expect({ ...res.body, request_id: '' }).toEqual({ ...unknown.body, request_id: '' });
  });

  test('another merchant\'s payment this instance has not seen → 404 not-found (memo checked)', async () => {
    const paymentid = await api.createSale();
    const other = await startApi();
    try {
      other.fake.workflows.set(`payment-${paymentid}`, api.fake.payment(paymentid));
      const res = await other.request('GET', `/payments/${paymentid}`, { auth: 'other:other-secret' });
      expect(res.status).toBe(404);
      expect(other.fake.calls).toEqual(['describe']);
    } finally {
      await other.close();
    }
  });

  test('a closed payment while no worker runs → 200 from the memo the workflow wrote on closing', async () => {
    const paymentid = await api.createSale();
    api.fake.close(paymentid, 'completed');
    api.fake.workerDown = true;
    const res = await api.request('GET', `/payments/${paymentid}`);
    expect(res.status).toBe(200);
    expect(res.body.paymentstate.state).toBe('completed');
    expect(res.ms).toBeLessThan(1000);
  });

  test('a closed payment read twice → the second answer costs no Temporal call', async () => {
    const paymentid = await api.createSale();
    api.fake.close(paymentid, 'cancelled');
    api.fake.workerDown = true;
    await api.request('GET', `/payments/${paymentid}`);
    api.fake.calls.length = 0;
    const res = await api.request('GET', `/payments/${paymentid}`);
    expect(res.body.paymentstate.state).toBe('cancelled');
    expect(api.fake.calls).toEqual([]);
  });

  test('an open payment while no worker runs → 503 unavailable within 1 s', async () => {
    const paymentid = await api.createSale();
    api.fake.workerDown = true;
    const res = await api.request('GET', `/payments/${paymentid}`);
    expect(res.status).toBe(503);
    expect(res.body.error_code).toBe('unavailable');
    expect(res.ms).toBeLessThan(1000);
  });
});

describe('GET /payments/{paymentid} from the views the worker pushes (VIEW_TRUST_MS=2000)', () => {
  const clock = { ms: Date.UTC(2026, 11, 5, 12), now() { return this.ms; } };
  let pushed: Api;
  beforeEach(async () => {
    pushed = await startApi({ env: { VIEW_TRUST_MS: '2000' }, clock });
  });
  afterEach(() => pushed.close());

  const viewOf = (paymentid: string, version: number, state: 'inprogress' | 'ready_to_complete', message: string) => {
    const payment = pushed.fake.view(pushed.fake.payment(paymentid));
    return { paymentid, version, payment: { ...payment, paymentstate: { ...payment.paymentstate, state, message } } };
  };

  test('right after POST → the payment as it starts, with no Temporal call', async () => {
    const paymentid = await pushed.createSale();
    pushed.fake.calls.length = 0;
    const res = await pushed.request('GET', `/payments/${paymentid}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ paymentid, amount: '398.00', paymentstate: { state: 'inprogress', message: 'Starting payment', qrcode: null } });
    expect(pushed.fake.calls).toEqual([]);
  });

  test('a view the worker pushed → the next poll shows it, with no Temporal call', async () => {
    const paymentid = await pushed.createSale();
    pushed.views.pushed(viewOf(paymentid, 3, 'ready_to_complete', 'Approved'));
    pushed.fake.calls.length = 0;
    const res = await pushed.request('GET', `/payments/${paymentid}`);
    expect(res.body.paymentstate).toMatchObject({ state: 'ready_to_complete', message: 'Approved' });
    expect(pushed.fake.calls).toEqual([]);
  });

  test('no push for longer than VIEW_TRUST_MS → that poll gets the view held, a query checks it meanwhile, the next poll shows what the workflow says', async () => {
    const paymentid = await pushed.createSale();
    pushed.fake.payment(paymentid).state = 'ready_to_complete'; // a push the API never got
    clock.ms += 2001;
    pushed.fake.calls.length = 0;
    const first = await pushed.request('GET', `/payments/${paymentid}`);
    expect(first.body.paymentstate.state).toBe('inprogress');
    const second = await pushed.request('GET', `/payments/${paymentid}`);
    expect(second.body.paymentstate.state).toBe('ready_to_complete');
    expect(pushed.fake.calls).toEqual(['query:view']);
  });

  test('a view held while no worker answers queries → every poll is answered at once with it, and one check at a time waits', async () => {
    const paymentid = await pushed.createSale();
    clock.ms += 2001;
    pushed.fake.workerDown = true;
    pushed.fake.calls.length = 0;
    for (let i = 0; i < 3; i++) {
      const res = await pushed.request('GET', `/payments/${paymentid}`);
      expect(res.status).toBe(200);
      expect(res.ms).toBeLessThan(100);
    }
    expect(pushed.fake.calls).toEqual(['query:view']);
  });

  test('a PUT whose outcome is unknown (Temporal hung) → the next poll asks the workflow instead of trusting what was pushed', async () => {
    const paymentid = await pushed.createSale();
    pushed.views.pushed(viewOf(paymentid, 2, 'ready_to_complete', 'Approved'));
    pushed.fake.payment(paymentid).state = 'ready_to_complete';
    pushed.fake.hang = true;
    expect((await pushed.request('PUT', `/payments/${paymentid}`, { body: { state: 'completed' } })).status).toBe(503);
    pushed.fake.hang = false;
    pushed.fake.calls.length = 0;
    const res = await pushed.request('GET', `/payments/${paymentid}`);
    expect(res.body.paymentstate.state).toBe('ready_to_complete');
    expect(pushed.fake.calls).toEqual(['query:view']);
  });

  test('a PUT answered 503 while no worker answers (one died, the next not yet there) → the next poll answers 200 within 1 s with the view from before that PUT', async () => {
    const paymentid = await pushed.createSale();
    pushed.views.pushed(viewOf(paymentid, 2, 'ready_to_complete', 'Approved'));
    pushed.fake.payment(paymentid).state = 'ready_to_complete';
    pushed.fake.workerDown = true;
    expect((await pushed.request('PUT', `/payments/${paymentid}`, { body: { state: 'completed' } })).status).toBe(503);
    pushed.views.pushed(viewOf(paymentid, 3, 'ready_to_complete', 'pushed while the PUT was out')); // maybe never kept
    const res = await pushed.request('GET', `/payments/${paymentid}`);
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(1000);
    expect(res.body.paymentstate).toMatchObject({ state: 'ready_to_complete', message: 'Approved' });
  });

  test('an accepted PUT → its answer is what the next poll shows, with no Temporal call', async () => {
    const paymentid = await pushed.createSale();
    pushed.fake.calls.length = 0;
    await pushed.request('PUT', `/payments/${paymentid}`, { body: { state: 'cancelled' } });
    const res = await pushed.request('GET', `/payments/${paymentid}`);
    expect(res.body.paymentstate.state).toBe('cancelled');
    expect(pushed.fake.calls).toEqual(['update:setState']);
  });
});

describe('GET after a POST retried with its Idempotency-Key (VIEW_TRUST_MS=2000)', () => {
  test('the retry finds a payment that moved on → the poll asks the workflow instead of showing the payment as it started', async () => {
    const api = await startApi({ env: { VIEW_TRUST_MS: '2000' } });
    const other = await startApi({ env: { VIEW_TRUST_MS: '2000' } });
    try {
      const headers = { 'idempotency-key': 'retry-1' };
      const paymentid = await api.createSale({}, headers);
      // The retry reaches another API instance, after the payment was approved.
      other.fake.workflows.set(`payment-${paymentid}`, api.fake.payment(paymentid));
      api.fake.payment(paymentid).state = 'ready_to_complete';
      expect(await other.createSale({}, headers)).toBe(paymentid);
      other.fake.calls.length = 0;
      const res = await other.request('GET', `/payments/${paymentid}`);
      expect(res.body.paymentstate.state).toBe('ready_to_complete');
      expect(other.fake.calls).toEqual(['query:view']);
    } finally {
      await Promise.all([api.close(), other.close()]);
    }
  });
});

describe('GET under overload: the background checks are shed first', () => {
  test('Temporal calls in flight at half the limit → an old view is answered at once and no check is made; room again → checked', async () => {
    const clock = { ms: Date.UTC(2026, 11, 5, 12), now() { return this.ms; } };
    const api = await startApi({ env: { VIEW_TRUST_MS: '2000', ADMISSION_LIMIT: '2' }, clock });
    try {
      const paymentid = await api.createSale();
      clock.ms += 2001;
      api.fake.startAnswerDelayMs = 600;
      const busy = api.request('POST', '/payments', { body: saleBody() });
      await new Promise((r) => setTimeout(r, 50));
      api.fake.calls.length = 0;
      const res = await api.request('GET', `/payments/${paymentid}`);
      expect(res.status).toBe(200);
      expect(res.body.paymentstate.state).toBe('inprogress');
      expect(api.fake.calls).toEqual([]);
      await busy;
      await new Promise((r) => setTimeout(r, 50));
      api.fake.calls.length = 0;
      await api.request('GET', `/payments/${paymentid}`);
      expect(api.fake.calls).toEqual(['query:view']);
    } finally {
      await api.close();
    }
  });
});
