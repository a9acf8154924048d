// Tenant isolation through the real processes: two merchants on one service. Merchant B can
// neither read, complete, cancel nor refund merchant A's payment, gets exactly the answer an
// unknown id gets, and A's payment and money stay as they were.
import { Register, ledger, paymentRequest, type Reply } from './support/register';
import { System, eventually } from './support/system';

const A = { username: 'shop-a', password: 'a-password-0123456789' };
const B = { username: 'shop-b', password: 'b-password-0123456789' };
const UNKNOWN = '6f1d7c2e-0000-4000-8000-00000000dead';

let system: System;
let a: Register;
let b: Register;

beforeAll(async () => {
  system = await System.start({
    env: {
      SPI_CREDENTIALS: JSON.stringify([
        { ...A, merchant: 'merchant-a' },
        { ...B, merchant: 'merchant-b' },
      ]),
    },
  });
  a = new Register(system.apiUrl, A);
  b = new Register(system.apiUrl, B);
});
afterAll(() => system?.stop());

/** An answer without its request id, to compare two answers' content. */
const content = (r: Reply) => ({ status: r.status, body: { ...(r.body as Record<string, unknown>), request_id: '' } });

/** What B gets for one call on A's payment must equal what B gets for the same call on an unknown id. */
async function expectAsUnknown(call: (id: string) => Promise<Reply>, paymentid: string, status: number) {
  const foreign = await call(paymentid);
  const unknown = await call(UNKNOWN);
  expect(foreign.status).toBe(status);
  expect(content(foreign)).toEqual(content(unknown));
}

async function allLedgerIds(): Promise<string[]> {
  const res = await fetch(`${system.simUrl}/sim/ledger`);
  return Object.keys(((await res.json()) as { payments: Record<string, unknown> }).payments);
}

test('B gets 404 on GET and on PUT completed / cancelled (also via /payment/) of A\'s ready_to_complete payment; A\'s payment is untouched', async () => {
  const id = await a.start(paymentRequest('120.00'));
  await a.until(id, ['ready_to_complete']);
  const moneyBefore = await ledger(system.simUrl, id);

  await expectAsUnknown((x) => b.get(x), id, 404);
  for (const path of ['payments', 'payment']) {
    await expectAsUnknown((x) => b.put(x, 'completed', path), id, 404);
    await expectAsUnknown((x) => b.put(x, 'cancelled', path), id, 404);
  }
  expect((await b.get(id)).body).toMatchObject({ error_code: 'not-found' });

  const seenByA = await a.get(id);
  expect(seenByA.status).toBe(200);
  expect(seenByA.body.paymentstate.state).toBe('ready_to_complete');
  expect(await ledger(system.simUrl, id)).toEqual(moneyBefore);

  // A still completes it, and the money is captured once, never reversed.
  expect((await a.put(id, 'completed')).body.paymentstate.state).toBe('completed');
  const captured = await eventually(() => ledger(system.simUrl, id), (m) => m?.capturedMinor === 12000);
  expect(captured).toMatchObject({ capturedMinor: 12000, reversedMinor: 0, refundedMinor: 0 });
});

test('B gets 404 on PUT cancelled of A\'s completed payment (a late cancel would reverse it); A\'s money stays captured', async () => {
  const id = await a.start(paymentRequest('80.00'));
  await a.until(id, ['ready_to_complete']);
  await a.put(id, 'completed');
  await eventually(() => ledger(system.simUrl, id), (m) => m?.capturedMinor === 8000);

  await expectAsUnknown((x) => b.put(x, 'cancelled'), id, 404);
  await expectAsUnknown((x) => b.put(x, 'cancelled', 'payment'), id, 404);

  expect((await a.get(id)).body.paymentstate.state).toBe('completed');
  expect(await ledger(system.simUrl, id)).toMatchObject({ capturedMinor: 8000, reversedMinor: 0 });
});

test('B cannot refund A\'s sale: the same answer as for an unknown creditpaymentid, and no money moves', async () => {
  const sale = await a.start(paymentRequest('50.00'));
  await a.until(sale, ['ready_to_complete']);
  await a.put(sale, 'completed');
  await eventually(() => ledger(system.simUrl, sale), (m) => m?.capturedMinor === 5000);
  const idsBefore = await allLedgerIds();

  const refund = (creditpaymentid: string) => b.call('POST', '/payments', paymentRequest('-10.00', { creditpaymentid }));
  await expectAsUnknown(refund, sale, 400);
  expect((await refund(sale)).body).toMatchObject({ error_code: 'field-validation', error_data: { field: 'creditpaymentid' } });

  expect(await allLedgerIds()).toEqual(idsBefore);
  expect(await ledger(system.simUrl, sale)).toMatchObject({ capturedMinor: 5000, reversedMinor: 0, refundedMinor: 0 });

  // The sale was refundable all along: A's own refund of it is admitted.
  const own = await a.call('POST', '/payments', paymentRequest('-10.00', { creditpaymentid: sale }));
  expect(own.status).toBe(200);
});

test('B\'s own payments are B\'s: A gets 404 on them in turn', async () => {
  const id = await b.start(paymentRequest('15.00'));
  expect((await b.get(id)).status).toBe(200);
  expect((await a.get(id)).status).toBe(404);
});
