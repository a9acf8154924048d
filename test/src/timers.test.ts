// The durable timers through the real processes, shortened by configuration: the 3-minute
// rule, the late-cancel window, and GET on payments whose workflow has closed.
import { loadApiConfig } from '@payments/config';
import { Register, ledger, paymentRequest } from './support/register';
import { System, eventually, sleep } from './support/system';

let system: System;
let pos: Register;

beforeAll(async () => {
  system = await System.start({ env: { ACK_TIMEOUT_MS: '1500', LATE_CANCEL_WINDOW_MS: '1500', REFUND_WINDOW_MS: '1500' } });
  pos = new Register(system.apiUrl);
});
afterAll(() => system?.stop());

test('the 3-minute rule is the default: ACK_TIMEOUT_MS defaults to 180000', () => {
  expect(loadApiConfig({}).timers.ackTimeoutMs).toBe(180_000);
});

test('ready_to_complete and the register goes silent → after ACK_TIMEOUT_MS voided and cancelled, never captured', async () => {
  const id = await pos.start(paymentRequest('77.00'));
  await pos.until(id, ['ready_to_complete']);
  const p = await pos.until(id, ['cancelled', 'completed'], 20_000);
  expect(p.paymentstate.state).toBe('cancelled');
  const money = await eventually(() => ledger(system.simUrl, id), (m) => m?.voidedMinor === 7700);
  expect(money).toMatchObject({ authorizedMinor: 7700, capturedMinor: 0, reversedMinor: 0 });
  // A late acknowledgement is refused: the money is already back with the customer.
  const late = await pos.put(id, 'completed');
  expect(late.status).toBe(409);
  expect(late.body).toMatchObject({ error_code: 'invalid-state' });
});

test('completed + PUT cancelled after the late-cancel window → 409 reversal-not-possible, stays completed, no reversal', async () => {
  const id = await pos.start(paymentRequest('33.00'));
  await pos.until(id, ['ready_to_complete']);
  await pos.put(id, 'completed');
  await sleep(2500);
  const reply = await pos.put(id, 'cancelled');
  expect(reply.status).toBe(409);
  expect(reply.body).toMatchObject({ error_code: 'reversal-not-possible' });
  expect((await pos.get(id)).body.paymentstate.state).toBe('completed');
  expect(await eventually(() => ledger(system.simUrl, id), (m) => m?.confirmed === true)).toMatchObject({ capturedMinor: 3300, reversedMinor: 0 });
});

test('GET after the workflow has closed still answers the final payment', async () => {
  const id = await pos.start(paymentRequest('15.00'));
  await pos.until(id, ['ready_to_complete']);
  await pos.put(id, 'completed');
  await sleep(3500); // late-cancel and refund windows (1.5 s each) over: the workflow closes
  const reply = await pos.get(id);
  expect(reply.status).toBe(200);
  expect(reply.body.paymentstate.state).toBe('completed');
  expect(reply.body.paymentstate.receiptsection.length).toBeGreaterThan(0);
  const again = await pos.put(id, 'completed');
  expect(again.status).toBe(200);
});
