// The simulated acquirer pushes its events (the launcher points it at the API's
// /callbacks/acquirer and sets ACQUIRER_CALLBACKS for the worker): a standard sale waits for
// them and reads the acquirer once per event, with no long-poll activity task. A lost event is
// made good by the fallback read; a repeated one changes nothing.
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { acquirerChangedSignal, paymentWorkflowId } from '@payments/workflow';
import { Register, countEvents, ledger, paymentRequest } from './support/register';
import { System, eventually, sleep } from './support/system';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const { EventType } = temporal.api.enums.v1;

const CARDS = { username: 'cards', password: 'cards' };

let system: System;
let connection: Connection;
let client: Client;
let wallet: Register;
let card: Register;

beforeAll(async () => {
  system = await System.start({
    env: {
      SPI_CREDENTIALS: JSON.stringify([
        { username: 'demo', password: 'demo', merchant: 'demo' },
        { ...CARDS, merchant: 'cardshop' },
      ]),
      MERCHANT_PAYMENT_METHODS: JSON.stringify({ cardshop: 'card' }),
    },
  });
  connection = await Connection.connect({ address: system.temporalAddress });
  client = new Client({ connection, namespace: system.env.TEMPORAL_NAMESPACE });
  wallet = new Register(system.apiUrl);
  card = new Register(system.apiUrl, CARDS);
});
afterAll(async () => {
  await connection?.close();
  await system?.stop();
});
afterEach(() => callbackFaults({ drop: false, duplicate: false, delayMs: 0 }));

interface CallbackView {
  endpoint: { url: string } | null;
  counts: { raised: number; dropped: number; delivered: number; failed: number; abandoned: number };
}

async function callbackFaults(faults: Record<string, unknown>): Promise<CallbackView> {
  const res = await fetch(`${system.simUrl}/sim/acquirer/callbacks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
  if (!res.ok) throw new Error(`POST /sim/acquirer/callbacks → ${res.status}`);
  return (await res.json()) as CallbackView;
}

const callbacks = async () => (await (await fetch(`${system.simUrl}/sim/acquirer/callbacks`)).json()) as CallbackView;

function summary(event: HistoryEvent): string {
  const data = event.userMetadata?.summary?.data;
  return data ? String(JSON.parse(Buffer.from(data).toString('utf8'))) : '';
}

/** What the sale cost Temporal up to its late-cancel timer (the register's business done), as the workflow's budget test counts it. */
async function work(paymentid: string) {
  const lateCancel = (e: HistoryEvent) => !!e.timerStartedEventAttributes && summary(e).startsWith('late-cancel');
  const history = await eventually(
    () => client.workflow.getHandle(paymentWorkflowId(paymentid)).fetchHistory(),
    (h) => (h.events ?? []).some(lateCancel),
  );
  const events = history.events ?? [];
  const stretch = events.slice(0, events.findIndex(lateCancel) + 1);
  const count = (type: number) => stretch.filter((e) => e.eventType === type).length;
  return {
    events: stretch.length,
    workflowTasks: count(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED),
    activityTasks: count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
    /** The API's nudges on the acquirer's events (the register-answered signal not counted). */
    signals: stretch.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === acquirerChangedSignal.name).length,
    timersFired: count(EventType.EVENT_TYPE_TIMER_FIRED),
    /** Every activity task in the whole history, the confirm and any later one included. */
    allActivityTasks: events.filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).length,
  };
}

/** A sale taken to completed as the register does it; the money captured once. */
async function completeSale(pos: Register, amount: string): Promise<string> {
  const id = await pos.start(paymentRequest(amount));
  await pos.until(id, ['ready_to_complete']);
  const done = await pos.put(id, 'completed');
  expect(done.body.paymentstate.state).toBe('completed');
  const money = await eventually(() => ledger(system.simUrl, id), (m) => m?.confirmed === true);
  expect(money).toMatchObject({ capturedMinor: Math.round(Number(amount) * 100), reversedMinor: 0 });
  expect(countEvents(money, 'captured')).toBe(1);
  return id;
}

test('the simulator is told where to send its events: the API’s /callbacks/acquirer', async () => {
  expect((await callbacks()).endpoint).toEqual({ url: `${system.apiUrl}/callbacks/acquirer` });
});

test('a standard wallet sale: approved on the acquirer’s event, completed → no activity task in its history, the event delivered', async () => {
  const before = await callbacks();
  const id = await completeSale(wallet, '398.00');
  const used = await work(id);
  expect(used.activityTasks).toBe(0);
  expect(used.allActivityTasks).toBe(0);
  expect(used.signals).toBeGreaterThanOrEqual(1);
  // Measured: 3 workflow tasks, 26 events; the long poll took 3, 1 activity task, 25.
  expect(used.workflowTasks).toBeLessThanOrEqual(3);
  expect(used.events).toBeLessThanOrEqual(26);
  const after = await callbacks();
  expect(after.counts.delivered - before.counts.delivered).toBeGreaterThanOrEqual(1);
  expect(after.counts.failed).toBe(before.counts.failed);
});

test('a standard card sale: each prompt and the card read on the terminal’s events, authorised, completed → no activity task in its history', async () => {
  const id = await completeSale(card, '250.00');
  const used = await work(id);
  expect(used.activityTasks).toBe(0);
  expect(used.allActivityTasks).toBe(0);
  // Enter PIN, Authorising, card read: one event each.
  expect(used.signals).toBeGreaterThanOrEqual(3);
  // Measured: 5 workflow tasks, 40 events; the long poll took 5, 3 activity tasks, 37.
  expect(used.workflowTasks).toBeLessThanOrEqual(5);
  expect(used.events).toBeLessThanOrEqual(40);
});

test('every event dropped at the simulator → the fallback read still finds the customer’s answer; the sale completes without an activity task', async () => {
  await callbackFaults({ drop: true });
  for (const [pos, amount] of [
    [wallet, '120.00'],
    [card, '130.00'],
  ] as const) {
    const started = Date.now();
    const id = await completeSale(pos, amount);
    const used = await work(id);
    expect(used.activityTasks).toBe(0);
    expect(used.signals).toBe(0);
    expect(used.timersFired).toBeGreaterThanOrEqual(1); // the fallback read's timer
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
  }
  expect((await callbacks()).counts.dropped).toBeGreaterThanOrEqual(4);
});

test('every event delivered twice → the second is acknowledged as a duplicate and changes nothing: captured once, signalled once', async () => {
  await callbackFaults({ duplicate: true });
  const before = await callbacks();
  const id = await wallet.start(paymentRequest('77.00'));
  await wallet.until(id, ['ready_to_complete']);
  // The repeat comes a second later, signed afresh: let it arrive before the register completes.
  await eventually(callbacks, (v) => v.counts.delivered - before.counts.delivered >= 2, 10_000);
  await sleep(300);
  expect((await wallet.put(id, 'completed')).body.paymentstate.state).toBe('completed');
  const money = await eventually(() => ledger(system.simUrl, id), (m) => m?.confirmed === true);
  expect(money).toMatchObject({ authorizedMinor: 7700, capturedMinor: 7700, reversedMinor: 0, voidedMinor: 0 });
  expect(countEvents(money, 'captured')).toBe(1);
  const used = await work(id);
  expect(used.signals).toBe(1);
  expect(used.activityTasks).toBe(0);
});
