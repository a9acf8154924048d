// The register's polls are answered from the views the worker pushes to the API. Every state
// reaches the register that way; with the worker gone, a poll still answers at once with the
// last state; and when the pushes cannot get through, the API's background queries still bring
// every state, about VIEW_TRUST_MS late.
import { Register, ledger, paymentRequest } from './support/register';
import { System, eventually, sleep } from './support/system';

jest.setTimeout(120_000);

/** The value of one series in Prometheus text; 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) && wanted.every((l) => line.includes(l))) return Number(line.split(' ').pop());
  }
  return 0;
}

const pushes = async (system: System, outcome: 'sent' | 'dropped') =>
  sample(await (await fetch(system.workerMetricsUrl)).text(), 'payment_view_pushes_total', { outcome });

describe('polls answered from pushed views', () => {
  let system: System;
  let pos: Register;
  beforeAll(async () => {
    // A short trust window, so that the polls below outlast it.
    system = await System.start({ env: { VIEW_TRUST_MS: '1000' } });
    pos = new Register(system.apiUrl);
  });
  afterAll(() => system?.stop());

  test('a sale: every state reaches the register, the worker counts its pushes, and with the worker killed a poll still answers at once', async () => {
    const id = await pos.start(paymentRequest('81.00'));
    const seen = new Set<string>();
    await eventually(
      async () => {
        const reply = await pos.get(id);
        seen.add(reply.body.paymentstate.state);
        return reply;
      },
      (r) => r.body.paymentstate.state === 'ready_to_complete',
      30_000,
      50,
    );
    expect([...seen]).toEqual(['inprogress', 'ready_to_complete']);
    expect(await pushes(system, 'sent')).toBeGreaterThan(0);

    await system.killApp('worker');
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const reply = await pos.get(id);
      expect(performance.now() - t0).toBeLessThan(1000);
      expect(reply.status).toBe(200);
      expect(reply.body.paymentstate.state).toBe('ready_to_complete');
      await sleep(600); // past VIEW_TRUST_MS too: the background check fails, the view stays
    }
    // A PUT needs the workflow: without a worker it is refused for now, within 1 s.
    expect((await pos.put(id, 'completed')).status).toBe(503);

    await system.startApp('worker');
    const done = await eventually(() => pos.put(id, 'completed'), (r) => r.status !== 503, 60_000, 250);
    expect(done.body.paymentstate.state).toBe('completed');
    expect((await pos.get(id)).body.paymentstate.state).toBe('completed');
    await eventually(() => ledger(system.simUrl, id), (m) => m?.confirmed === true, 30_000, 250);
  });
});

describe('pushes that cannot get through', () => {
  let system: System;
  let pos: Register;
  beforeAll(async () => {
    // The worker pushes to a port nothing listens on: every push is lost.
    system = await System.start({ env: { VIEW_PUSH_URLS: 'http://127.0.0.1:9', VIEW_TRUST_MS: '1000' } });
    pos = new Register(system.apiUrl);
  });
  afterAll(() => system?.stop());

  test('the register still sees every state, through the API’s queries, and the worker counts the dropped views', async () => {
    const id = await pos.start(paymentRequest('82.00'));
    await pos.until(id, ['ready_to_complete'], 30_000);
    expect((await pos.put(id, 'completed')).body).toMatchObject({ paymentstate: { state: 'completed' } });
    expect((await eventually(() => ledger(system.simUrl, id), (m) => m?.confirmed === true))?.capturedMinor).toBe(8200);
    await eventually(() => pushes(system, 'dropped'), (n) => n > 0, 15_000, 250);
    expect(await pushes(system, 'sent')).toBe(0);
  });
});
