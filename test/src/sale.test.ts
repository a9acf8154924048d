// A sale through the real processes, every cell of the register's PUT table, and what the
// operator finds in Temporal. The ledger (money that really moved) is asserted with the state.
import { Client, Connection } from '@temporalio/client';
import { paymentWorkflowId } from '@payments/workflow';
import { Register, ledger, paymentRequest } from './support/register';
import { System, eventually } from './support/system';

let system: System;
let pos: Register;

beforeAll(async () => {
  system = await System.start();
  pos = new Register(system.apiUrl);
});
afterAll(() => system?.stop());

/** A sale taken to ready_to_complete by the simulated customer. */
async function readySale(amount = '398.00'): Promise<string> {
  const id = await pos.start(paymentRequest(amount));
  await pos.until(id, ['ready_to_complete']);
  return id;
}

test('POST a sale, the customer approves in the wallet, PUT completed → completed, captured once', async () => {
  const id = await pos.start(paymentRequest('398.00'));
  expect(id).toMatch(/^[0-9a-f-]{36}$/);

  const first = await pos.get(id);
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({ paymentid: id, amount: '398.00', currencycode: 'SEK', posid: 'SIE0000160000051' });
  expect(first.body.paymentstate.state).toBe('inprogress');

  const scanning = await pos.until(id, ['inprogress', 'ready_to_complete']);
  const ready = await pos.until(id, ['ready_to_complete']);
  expect(ready.paymentstate.qrcode).toBeNull();
  for (const line of ready.paymentstate.receiptsection) {
    if (line.includes('\t')) expect(line.split('\t')[0]!.length).toBeLessThanOrEqual(12);
  }
  expect(ready.paymentstate.receiptrow).not.toBe('');
  expect(scanning.paymentstate.message).not.toBe('');

  const done = await pos.put(id, 'completed');
  expect(done.status).toBe(200);
  expect(done.body.paymentstate.state).toBe('completed');
  expect((await pos.get(id)).body.paymentstate.state).toBe('completed');

  // Captured once the acquirer hears of the completion (confirm), not before.
  const money = await eventually(() => ledger(system.simUrl, id), (m) => m?.confirmed === true);
  expect(money).toMatchObject({ authorizedMinor: 39800, capturedMinor: 39800, reversedMinor: 0, refundedMinor: 0 });
});

test('while the customer scans, GET shows the QR code: a URL of the simulator’s wallet page', async () => {
  const slow = await System.start({ env: { SIM_APPROVE_DELAY_MS: '60000' } });
  try {
    const register = new Register(slow.apiUrl);
    const id = await register.start(paymentRequest('25.00'));
    const p = await eventually(() => register.get(id), (r) => r.body.paymentstate.qrcode !== null);
    const qr = p.body.paymentstate.qrcode!;
    expect(qr.startsWith(slow.simUrl)).toBe(true);
    const page = await fetch(qr);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/action="\/wallet\/[^"]+\/approve"/);
    await register.put(id, 'cancelled');
  } finally {
    await slow.stop();
  }
});

test('the payment is a workflow an operator finds in Temporal by its search attributes', async () => {
  const id = await readySale('12.00');
  const connection = await Connection.connect({ address: process.env.TEMPORAL_TEST_ADDRESS! });
  try {
    const client = new Client({ connection, namespace: process.env.TEMPORAL_TEST_NAMESPACE ?? 'default' });
    const description = await client.workflow.getHandle(paymentWorkflowId(id)).describe();
    expect(description.status.name).toBe('RUNNING');
    const found: string[] = [];
    await eventually(
      async () => {
        found.length = 0;
        for await (const wf of client.workflow.list({ query: `PaymentState = 'ready_to_complete' AND PosId = 'SIE0000160000051'` })) {
          found.push(wf.workflowId);
        }
        return found;
      },
      (ids) => ids.includes(paymentWorkflowId(id)),
    );
  } finally {
    await connection.close();
  }
  await pos.put(id, 'completed');
});

describe('PUT, cell by cell of the contract’s table', () => {
  test('inprogress + PUT completed → 409 invalid-state', async () => {
    const slow = await System.start({ env: { SIM_APPROVE_DELAY_MS: '60000' } });
    try {
      const register = new Register(slow.apiUrl);
      const id = await register.start(paymentRequest('10.00'));
      const reply = await register.put(id, 'completed');
      expect(reply.status).toBe(409);
      expect(reply.body).toMatchObject({ error_code: 'invalid-state' });
      // inprogress + PUT cancelled → cancelled, the wallet request stopped, nothing charged
      const cancelled = await register.put(id, 'cancelled');
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.paymentstate.state).toBe('cancelled');
      const money = await ledger(slow.simUrl, id);
      expect(money?.capturedMinor ?? 0).toBe(0);
    } finally {
      await slow.stop();
    }
  });

  test('ready_to_complete + PUT completed → completed (through the singular alias /payment/{id})', async () => {
    const id = await readySale();
    const reply = await pos.put(id, 'completed', 'payment');
    expect(reply.status).toBe(200);
    expect(reply.body.paymentstate.state).toBe('completed');
  });

  test('ready_to_complete + PUT cancelled → cancelled and the authorization voided, nothing captured', async () => {
    const id = await readySale('200.00');
    const reply = await pos.put(id, 'cancelled');
    expect(reply.status).toBe(200);
    expect(reply.body.paymentstate.state).toBe('cancelled');
    const money = await eventually(() => ledger(system.simUrl, id), (m) => m?.voidedMinor === 20000);
    expect(money).toMatchObject({ authorizedMinor: 20000, capturedMinor: 0, voidedMinor: 20000, reversedMinor: 0 });
  });

  test('completed + PUT completed → 200, no change', async () => {
    const id = await readySale();
    await pos.put(id, 'completed');
    const again = await pos.put(id, 'completed');
    expect(again.status).toBe(200);
    expect(again.body.paymentstate.state).toBe('completed');
    const money = await eventually(() => ledger(system.simUrl, id), (m) => m?.confirmed === true);
    expect(money?.capturedMinor).toBe(39800);
    expect(money!.events.filter((e) => e.type === 'captured')).toHaveLength(1);
  });

  test('completed + PUT cancelled inside the late-cancel window → reversed, cancelled', async () => {
    const id = await readySale('50.00');
    await pos.put(id, 'completed');
    const reply = await pos.put(id, 'cancelled');
    expect(reply.status).toBe(200);
    expect(reply.body.paymentstate.state).toBe('cancelled');
    await eventually(() => ledger(system.simUrl, id), (m) => m?.reversedMinor === 5000);
  });

  test('cancelled + PUT cancelled → 200 no change; cancelled + PUT completed → 409 invalid-state', async () => {
    const id = await readySale('60.00');
    await pos.put(id, 'cancelled');
    const again = await pos.put(id, 'cancelled');
    expect(again.status).toBe(200);
    expect(again.body.paymentstate.state).toBe('cancelled');
    const complete = await pos.put(id, 'completed');
    expect(complete.status).toBe(409);
    expect(complete.body).toMatchObject({ error_code: 'invalid-state' });
    const money = await eventually(() => ledger(system.simUrl, id), (m) => m?.voidedMinor === 6000);
    expect(money?.capturedMinor).toBe(0);
  });

  test('an unknown payment → 404 not-found with the error body and X-Request-Id', async () => {
    const reply = await pos.put('00000000-0000-4000-8000-000000000000', 'completed');
    expect(reply.status).toBe(404);
    expect(reply.body).toMatchObject({ error_code: 'not-found' });
    expect(reply.headers.get('x-request-id')).toBe((reply.body as unknown as { request_id: string }).request_id);
  });
});
