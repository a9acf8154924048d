// Refunds through the real processes: linked to a sale (never above it, refunds in flight
// counted), unlinked, and money out only when the register acknowledges.
import { Register, ledger, paymentRequest } from './support/register';
import { System, eventually } from './support/system';

let system: System;
let pos: Register;

beforeAll(async () => {
  system = await System.start({ env: { ACK_TIMEOUT_MS: '2000' } });
  pos = new Register(system.apiUrl);
});
afterAll(() => system?.stop());

async function completedSale(amount: string): Promise<string> {
  const id = await pos.start(paymentRequest(amount));
  await pos.until(id, ['ready_to_complete']);
  expect((await pos.put(id, 'completed')).status).toBe(200);
  return id;
}

test('a linked refund credits the sale: money back to the customer once, after PUT completed', async () => {
  const sale = await completedSale('300.00');
  const refund = await pos.start(paymentRequest('-100.00', { creditpaymentid: sale }));
  const ready = await pos.until(refund, ['ready_to_complete', 'cancelled']);
  expect(ready.paymentstate.state).toBe('ready_to_complete');
  expect(ready.creditpaymentid).toBe(sale);
  expect((await pos.put(refund, 'completed')).body.paymentstate.state).toBe('completed');
  expect(await eventually(() => ledger(system.simUrl, refund), (m) => m?.confirmed === true)).toMatchObject({ refundedMinor: 10000, reversedMinor: 0 });
  expect(await eventually(() => ledger(system.simUrl, sale), (m) => m?.confirmed === true)).toMatchObject({ capturedMinor: 30000, reversedMinor: 0 });
});

test('refunds never exceed the sale, counting those still in flight → 422 refund-exceeds-original', async () => {
  const sale = await completedSale('100.00');
  const first = await pos.start(paymentRequest('-60.00', { creditpaymentid: sale }));
  // The first refund is in flight (not yet acknowledged): only 40.00 remains.
  const over = await pos.call('POST', '/payments', paymentRequest('-40.01', { creditpaymentid: sale }));
  expect(over.status).toBe(422);
  expect(over.body).toMatchObject({ error_code: 'refund-exceeds-original' });
  const rest = await pos.start(paymentRequest('-40.00', { creditpaymentid: sale }));
  for (const id of [first, rest]) {
    await pos.until(id, ['ready_to_complete']);
    await pos.put(id, 'completed');
  }
  const more = await pos.call('POST', '/payments', paymentRequest('-0.01', { creditpaymentid: sale }));
  expect(more.status).toBe(422);
});

test('a refund crediting an unknown payment, or a cancelled one → 400 field-validation on creditpaymentid', async () => {
  const unknown = await pos.call('POST', '/payments', paymentRequest('-10.00', { creditpaymentid: '6f1d7c2e-0000-4000-8000-000000000000' }));
  expect(unknown.status).toBe(400);
  expect(unknown.body).toMatchObject({ error_code: 'field-validation', error_data: { field: 'creditpaymentid' } });

  const sale = await pos.start(paymentRequest('10.00'));
  await pos.until(sale, ['ready_to_complete']);
  await pos.put(sale, 'cancelled');
  const ofCancelled = await pos.call('POST', '/payments', paymentRequest('-10.00', { creditpaymentid: sale }));
  expect(ofCancelled.status).toBe(400);
});

test('an unlinked refund (no creditpaymentid) pays out through the wallet once completed', async () => {
  const id = await pos.start(paymentRequest('-45.00'));
  await pos.until(id, ['ready_to_complete']);
  await pos.put(id, 'completed');
  expect(await eventually(() => ledger(system.simUrl, id), (m) => m?.confirmed === true)).toMatchObject({ refundedMinor: 4500, reversedMinor: 0 });
});

test('a refund the register never acknowledges → cancelled, its approval voided (nothing paid out), the sale’s amount freed again', async () => {
  const sale = await completedSale('80.00');
  const refund = await pos.start(paymentRequest('-80.00', { creditpaymentid: sale }));
  await pos.until(refund, ['ready_to_complete']);
  const final = await pos.until(refund, ['cancelled'], 20_000); // ACK_TIMEOUT_MS = 2 s
  expect(final.paymentstate.state).toBe('cancelled');
  const money = await eventually(() => ledger(system.simUrl, refund), (m) => m?.voidedMinor === 8000);
  expect(money).toMatchObject({ refundedMinor: 0, reversedMinor: 0 }); // no money out
  // The released amount can be refunded again.
  const again = await eventually(
    () => pos.call('POST', '/payments', paymentRequest('-80.00', { creditpaymentid: sale })),
    (r) => r.status === 200,
  );
  expect(typeof again.body).toBe('string');
});

test('a refund cancelled by the register while ready_to_complete → no money out', async () => {
  const sale = await completedSale('30.00');
  const refund = await pos.start(paymentRequest('-30.00', { creditpaymentid: sale }));
  await pos.until(refund, ['ready_to_complete']);
  expect((await pos.put(refund, 'cancelled')).body.paymentstate.state).toBe('cancelled');
  const money = await eventually(() => ledger(system.simUrl, refund), (m) => m?.voidedMinor === 3000);
  expect(money).toMatchObject({ refundedMinor: 0, reversedMinor: 0 });
});
