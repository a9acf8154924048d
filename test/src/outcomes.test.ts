// The simulator's scripted outcomes (.51–.55, by the amount's cents) through the real
// processes: what the register sees, and the money that moved.
import { Register, ledger, paymentRequest } from './support/register';
import { System, eventually } from './support/system';

let system: System;
let pos: Register;

beforeAll(async () => {
  system = await System.start({ env: { PAYMENT_EXPIRY_MS: '12000' } });
  pos = new Register(system.apiUrl);
});
afterAll(() => system?.stop());

test('.51 the customer declines → cancelled, nothing charged', async () => {
  const id = await pos.start(paymentRequest('100.51'));
  const p = await pos.until(id, ['cancelled', 'ready_to_complete']);
  expect(p.paymentstate.state).toBe('cancelled');
  expect(p.paymentstate.message).toMatch(/declined/i);
  expect((await ledger(system.simUrl, id))?.capturedMinor ?? 0).toBe(0);
});

test('.52 the customer never answers → expires after PAYMENT_EXPIRY_MS, the request cancelled, nothing charged', async () => {
  const id = await pos.start(paymentRequest('100.52'));
  const p = await pos.until(id, ['cancelled', 'ready_to_complete'], 40_000);
  expect(p.paymentstate.state).toBe('cancelled');
  expect(p.paymentstate.message).toMatch(/timed out/i);
  const money = await ledger(system.simUrl, id);
  expect(money?.capturedMinor ?? 0).toBe(0);
  expect(money?.status).toBe('cancelled');
});

test('.53 the acquirer answers 503 three times per operation → retried, captured exactly once', async () => {
  const id = await pos.start(paymentRequest('100.53'));
  await pos.until(id, ['ready_to_complete'], 60_000);
  expect((await pos.put(id, 'completed')).status).toBe(200);
  const money = await eventually(() => ledger(system.simUrl, id), (m) => m?.events.some((e) => e.type === 'confirmed') ?? false, 60_000);
  expect(money).toMatchObject({ capturedMinor: 10053, reversedMinor: 0 });
  expect(money!.events.filter((e) => e.type === 'captured')).toHaveLength(1);
});

test('.54 the acquirer refuses to reverse a completed payment → PUT cancelled is 409 reversal-not-possible, stays completed', async () => {
  const id = await pos.start(paymentRequest('100.54'));
  await pos.until(id, ['ready_to_complete']);
  await pos.put(id, 'completed');
  const reply = await pos.put(id, 'cancelled');
  expect(reply.status).toBe(409);
  expect(reply.body).toMatchObject({ error_code: 'reversal-not-possible' });
  expect((await pos.get(id)).body.paymentstate.state).toBe('completed');
  const money = await eventually(() => ledger(system.simUrl, id), (m) => m?.confirmed === true);
  expect(money).toMatchObject({ capturedMinor: 10054, reversedMinor: 0 });
});

test('.54 before completion the reversal still works: ready_to_complete + PUT cancelled → the authorization voided', async () => {
  const id = await pos.start(paymentRequest('200.54'));
  await pos.until(id, ['ready_to_complete']);
  expect((await pos.put(id, 'cancelled')).status).toBe(200);
  const money = await eventually(() => ledger(system.simUrl, id), (m) => m?.voidedMinor === 20054);
  expect(money?.capturedMinor).toBe(0);
});

test('.55 every acquirer call takes 5 s → the register’s polls still answer at once, and the payment completes', async () => {
  const id = await pos.start(paymentRequest('100.55'));
  let slowest = 0;
  await eventually(
    async () => {
      const t0 = performance.now();
      const reply = await pos.get(id);
      slowest = Math.max(slowest, performance.now() - t0);
      return reply;
    },
    (r) => r.body.paymentstate.state === 'ready_to_complete',
    60_000,
    250,
  );
  expect(slowest).toBeLessThan(1000); // the contract's bound on every answer
  expect((await pos.put(id, 'completed')).status).toBe(200);
  // The confirmation (the capture) takes its 5 s too.
  expect((await eventually(() => ledger(system.simUrl, id), (m) => m?.confirmed === true, 30_000))?.capturedMinor).toBe(10055);
});
