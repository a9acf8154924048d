import { CancelledFailure } from '@temporalio/common';
import type { CollectUpdate } from '@payments/workflow';
import type { ActivityMetrics, CallErrorKind, ProviderSide } from './activity-metrics';
import { inActivity, paymentInput, startWorld } from './__fixtures__/world';

type World = Awaited<ReturnType<typeof startWorld>>;
let w: World;
const counted: { side: ProviderSide; operation: string; kind: CallErrorKind }[] = [];
const recorder: ActivityMetrics = { providerError: (side, operation, kind) => void counted.push({ side, operation, kind }) };

beforeAll(async () => {
  w = await startWorld({ metrics: recorder });
});
afterAll(async () => {
  await w.close();
});
beforeEach(() => {
  counted.length = 0;
});

const run = <T>(fn: () => Promise<T>) => inActivity().run(fn);
const acquirerIdOf = (u: CollectUpdate) => {
  if (u.status !== 'pending' && u.status !== 'approved') throw new Error(`no acquirer id in ${JSON.stringify(u)}`);
  if (!u.acquirerId) throw new Error(`no acquirer id in ${JSON.stringify(u)}`);
  return u.acquirerId;
};

describe('provider errors counted by side and operation', () => {
  test('.53 → the three 503s of create counted as acquirer/create/transient; the call that works is not counted', async () => {
    const input = paymentInput({ amountMinor: 10053 });
    for (let i = 0; i < 3; i++) await expect(run(() => w.activities.startCollection(input))).rejects.toThrow();
    expect(counted).toEqual([
      { side: 'acquirer', operation: 'create', kind: 'transient' },
      { side: 'acquirer', operation: 'create', kind: 'transient' },
      { side: 'acquirer', operation: 'create', kind: 'transient' },
    ]);
    await run(() => w.activities.startCollection(input));
    expect(counted).toHaveLength(3);
  });

  test('.54 → the acquirer refusing a reversal after confirm → one acquirer/reverse/rejected', async () => {
    const input = paymentInput({ amountMinor: 10054 });
    const id = acquirerIdOf(await run(() => w.activities.startCollection(input)));
    const approved = await run(() => w.activities.awaitCollection({ input, acquirerId: id, lastMessage: '' }));
    await run(() => w.activities.confirmPayment({ input, acquirerId: acquirerIdOf(approved) }));
    await expect(run(() => w.activities.reversePayment({ input, acquirerId: id, reason: 'test' }))).rejects.toMatchObject({
      type: 'reversal-refused',
    });
    expect(counted).toEqual([{ side: 'acquirer', operation: 'reverse', kind: 'rejected' }]);
  });

  test('a card payment on a terminal busy with another → counted under terminal/start/rejected, answered as declined', async () => {
    const posid = `POS-busy-${Date.now()}`;
    await run(() => w.activities.startCollection(paymentInput({ method: 'card', posid })));
    const second = await run(() => w.activities.startCollection(paymentInput({ method: 'card', posid })));
    expect(second.status).toBe('declined');
    expect(counted).toEqual([{ side: 'terminal', operation: 'start', kind: 'rejected' }]);
  });

  test('a wait cancelled by the workflow → not counted: the abort is ours, not the acquirer’s', async () => {
    const input = paymentInput({ amountMinor: 10052 }); // the customer never answers
    const id = acquirerIdOf(await run(() => w.activities.startCollection(input)));
    const act = inActivity();
    const waiting = act.run(() => w.activities.awaitCollection({ input, acquirerId: id, lastMessage: '' }));
    await new Promise((r) => setTimeout(r, 200));
    act.env.cancel();
    await expect(waiting).rejects.toBeInstanceOf(CancelledFailure);
    expect(counted).toEqual([]);
  });
});
