// The production topology, run here: Temporal on PostgreSQL with several history shards, two
// workers on one task queue, two API instances. One cluster for the whole file (starting one
// costs PostgreSQL, the schema and the server), shared by its tests in order.
import type { Client } from '@temporalio/client';
import { DEFAULTS } from '../chaos/options';
import { CHAOS_ENV, runChaos } from '../chaos/run-chaos';
import { Register, countEvents, ledger, paymentRequest, type Reply } from '../support/register';
import { eventually, sleep } from '../support/system';
import { connectTemporal } from '../support/temporal';
import { ClusterChaos } from './cluster-chaos';
import { ClusterSystem } from './cluster-system';

jest.setTimeout(240_000);

let system: ClusterSystem;
let api1: Register;
let api2: Register;
let temporal: { client: Client; close: () => Promise<void> };

beforeAll(async () => {
  // A long ACK timeout: these tests decide when the register answers.
  system = await ClusterSystem.start({ logName: 'cluster', env: { ACK_TIMEOUT_MS: '120000' } });
  api1 = new Register(system.apiUrls[0]);
  api2 = new Register(system.apiUrls[1]);
  temporal = await connectTemporal(system.temporalAddress, system.namespace);
}, 600_000);
afterAll(async () => {
  await temporal?.close();
  await system?.stop();
});

/** Brings back whatever a test left down. */
afterEach(async () => {
  if (!system.cluster.isPostgresRunning()) await system.cluster.startPostgres();
  for (const instance of ['worker-1', 'worker-2', 'api-1', 'api-2'] as const) {
    if (!system.isRunning(instance)) await system.startApp(instance);
  }
  await system.waitReady();
});

/** A register call that must answer within the contract's 1 s, whatever is down. */
async function within1s<T>(call: () => Promise<Reply<T>>): Promise<Reply<T>> {
  const t0 = performance.now();
  const reply = await call();
  expect(performance.now() - t0).toBeLessThan(1000);
  return reply;
}

/** The register's PUT, retried as Sitoo POS would until it gets a definitive answer (not 503). */
function putUntilAnswered(pos: Register, id: string, state: string, timeoutMs = 60_000): Promise<Reply> {
  return eventually(() => pos.put(id, state), (r) => r.status !== 503, timeoutMs, 250);
}

/** Every distinct state each API instance answered for the payment, in order (into `seen`), while `stop` does not hold. */
async function watchBoth(id: string, seen: [string[], string[]], stop: () => boolean): Promise<void> {
  while (!stop()) {
    const replies = await Promise.all([api1.get(id), api2.get(id)]);
    replies.forEach((r, i) => {
      const state = r.status === 200 ? r.body.paymentstate.state : `HTTP ${r.status}`;
      if (seen[i]!.at(-1) !== state) seen[i]!.push(state);
    });
    await sleep(50);
  }
}

test('a payment started on API 1 is polled and completed on API 2: captured once; API 1 shows every state, API 2 answers every poll, only moves forward and shows the last two', async () => {
  const id = await api1.start(paymentRequest('398.00'));
  let done = false;
  const seen: [string[], string[]] = [[], []];
  const watching = watchBoth(id, seen, () => done);
  await api2.until(id, ['ready_to_complete'], 30_000);
  // The register holds ready_to_complete until the watcher has seen it on both instances: a PUT
  // sent at once could finish between two of the watcher's polls.
  await eventually(async () => seen, ([by1, by2]) => by1.includes('ready_to_complete') && by2.includes('ready_to_complete'), 10_000, 50);
  const put = await api2.put(id, 'completed');
  expect(put.status).toBe(200);
  expect(put.body.paymentstate.state).toBe('completed');
  // Both instances answer completed: API 1 learns it from the workers' push (or its query).
  await api1.until(id, ['completed'], 10_000);
  await sleep(300);
  done = true;
  await watching;
  const [seenBy1, seenBy2] = seen;
  // The instance that started it answers from its start, every state in order.
  expect(seenBy1).toEqual(['inprogress', 'ready_to_complete', 'completed']);
  // API 2's first polls may come before any view of the payment reaches it: it answers them
  // from the workflow's history (no task completed yet) or its query. Every answer is a state,
  // and they only move forward.
  expect(['inprogress', 'ready_to_complete', 'completed'].filter((s) => seenBy2.includes(s))).toEqual(seenBy2);
  expect(seenBy2.slice(-2)).toEqual(['ready_to_complete', 'completed']);
  const money = await eventually(() => ledger(system.simUrl, id), (m) => m?.confirmed === true, 30_000);
  expect(money).toMatchObject({ capturedMinor: 39800, reversedMinor: 0 });
  expect(countEvents(money, 'captured')).toBe(1);
});

test('payments spread over both workers (one task queue) and over several history shards in PostgreSQL', async () => {
  const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? api2 : api1).start(paymentRequest(`${20 + i}.00`))));
  for (const [i, id] of ids.entries()) {
    const pos = i % 2 ? api1 : api2; // completed on the instance it was not started on
    await pos.until(id, ['ready_to_complete'], 60_000);
    expect((await putUntilAnswered(pos, id, 'completed')).status).toBe(200);
  }
  for (const worker of ['worker-1', 'worker-2'] as const) {
    const metrics = await (await fetch(system.workerMetricsUrls[worker])).text();
    const tasks = Number(/^temporal_workflow_task_execution_latency_count\{[^}]*\} (\d+)/m.exec(metrics)?.[1] ?? 0);
    expect({ worker, tasks: tasks > 0 }).toEqual({ worker, tasks: true });
  }
  const shards = await system.cluster.psql(
    'temporal',
    `SELECT count(DISTINCT shard_id) FROM executions WHERE workflow_id IN (${ids.map((id) => `'payment-${id}'`).join(',')})`,
  );
  // 12 workflows on 4 shards all landing on one: 4 × (1/4)^12, about 2 in 10 million.
  expect(Number(shards)).toBeGreaterThan(1);
});

/** PUT until 200, retrying each 503 every 500 ms as a cashier would; resolves with the ms since `since`. */
async function putWithin(pos: Register, id: string, state: string, since: number): Promise<number> {
  for (;;) {
    const reply = await within1s(() => pos.put(id, state));
    if (reply.status === 200) {
      expect(reply.body).toMatchObject({ paymentstate: { state } });
      return performance.now() - since;
    }
    expect(reply.status).toBe(503);
    if (performance.now() - since > 30_000) throw new Error(`PUT ${state} on ${id}: still 503 after 30 s`);
    await sleep(500);
  }
}

test('a worker killed, then an API: every PUT at ready_to_complete answers 200 within 3 s of the kill, the other API answers everything, captured once', async () => {
  const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? api2 : api1).start(paymentRequest(`${60 + i}.00`))));
  for (const id of ids) await api2.until(id, ['ready_to_complete'], 60_000);
  const [first, second] = [ids.slice(0, 4), ids.slice(4)];

  await system.killApp('worker-1');
  const killedAt = performance.now();
  const waits = await Promise.all(first.map((id, i) => putWithin(i % 2 ? api2 : api1, id, 'completed', killedAt)));
  console.log(`cluster: after worker-1's kill, the longest wait for a PUT's 200 was ${Math.round(Math.max(...waits))} ms`);
  expect(waits.filter((ms) => ms >= 3000)).toEqual([]);

  await system.killApp('api-1');
  // Everything now goes through API 2, as a load balancer would send it.
  for (const id of second) {
    const reply = await within1s(() => api2.get(id));
    expect(reply.status).toBe(200);
    expect(reply.body.paymentstate.state).toBe('ready_to_complete');
  }
  const apiKilledAt = performance.now();
  const afterApi = await Promise.all(second.map((id) => putWithin(api2, id, 'completed', apiKilledAt)));
  expect(afterApi.filter((ms) => ms >= 3000)).toEqual([]);
  for (const [i, id] of ids.entries()) {
    const money = await eventually(() => ledger(system.simUrl, id), (m) => m?.confirmed === true, 60_000);
    expect(money).toMatchObject({ capturedMinor: (60 + i) * 100, reversedMinor: 0 });
    expect(countEvents(money, 'captured')).toBe(1);
  }
});

test('PostgreSQL restarted (fast shutdown) mid-flow: the register gets answers within 1 s meanwhile, then every payment ends right', async () => {
  const sale = await api1.start(paymentRequest('71.00'));
  const cancelled = await api2.start(paymentRequest('72.00'));
  await api1.until(sale, ['ready_to_complete'], 60_000);
  await api2.until(cancelled, ['ready_to_complete'], 60_000);

  await system.cluster.stopPostgres('fast');
  const during = [await within1s(() => api1.get(sale)), await within1s(() => api2.put(cancelled, 'cancelled'))];
  for (const reply of during) expect([200, 503]).toContain(reply.status);
  await sleep(3_000);
  await system.cluster.startPostgres();

  expect((await putUntilAnswered(api2, sale, 'completed', 90_000)).body).toMatchObject({ paymentstate: { state: 'completed' } });
  const cancel = await putUntilAnswered(api1, cancelled, 'cancelled', 90_000);
  expect(cancel.body).toMatchObject({ paymentstate: { state: 'cancelled' } });
  const saleMoney = await eventually(() => ledger(system.simUrl, sale), (m) => m?.confirmed === true, 60_000);
  expect(saleMoney).toMatchObject({ capturedMinor: 7100, reversedMinor: 0 });
  // Money is captured only once the register completes: the cancelled one's hold is voided, once.
  const cancelledMoney = await eventually(() => ledger(system.simUrl, cancelled), (m) => (m?.voidedMinor ?? 0) > 0, 60_000);
  expect(cancelledMoney).toMatchObject({ authorizedMinor: 7200, capturedMinor: 0, voidedMinor: 7200, reversedMinor: 0 });
  expect(countEvents(cancelledMoney, 'voided')).toBe(1);
});

test('a short chaos run on the cluster: registers on both APIs while workers, APIs, the Temporal server and PostgreSQL fail in turn → 0 mismatches', async () => {
  // The same cluster, its apps started again with the chaos run's timers and credentials.
  await system.restartApps({ ...CHAOS_ENV });
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const result = await runChaos(
    { ...DEFAULTS, minutes: 0.75, registers: 6, seed: 20261219, faultGapMs: [3_000, 8_000], settleTimeoutMs: 120_000, logName: 'cluster', log, cluster: true },
    new ClusterChaos(system, log),
  );
  console.log([...lines, `${result.payments} payments, ${result.mismatches.length} mismatches`].join('\n'));
  expect(result.mismatches).toEqual([]);
  expect(result.payments).toBeGreaterThan(15);
}, 420_000);
