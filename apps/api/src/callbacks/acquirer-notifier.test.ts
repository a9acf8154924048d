import { WorkflowNotFoundError } from '@temporalio/client';
import { signalAcquirerChanged } from './acquirer-notifier';
import type { Payment } from '@payments/contract';
import type { PaymentsClient } from '../temporal';

function clientWith(signal: () => Promise<void>, seen: string[]): PaymentsClient {
  return {
    withDeadline: (_deadline: number | Date, fn: () => Promise<unknown>) => fn(),
    workflow: {
      getHandle: (workflowId: string) => ({
        signal: async (def: { name: string }) => {
          seen.push(`${workflowId}:${def.name}`);
          return signal();
        },
      }),
    },
  } as unknown as PaymentsClient;
}

test('an acquirer callback signals acquirerChanged to the payment’s workflow', async () => {
  const seen: string[] = [];
  await signalAcquirerChanged(clientWith(async () => undefined, seen), 800)('p-1');
  expect(seen).toEqual(['payment-p-1:acquirerChanged']);
});

test('a callback for a payment we do not know (or that has closed) needs nothing', async () => {
  const notify = signalAcquirerChanged(clientWith(() => Promise.reject(new WorkflowNotFoundError('gone', 'payment-x', undefined)), []), 800);
  await expect(notify('x')).resolves.toBeUndefined();
});

test('Temporal unreachable → the notifier throws, so the callback answers 503 and is delivered again', async () => {
  const notify = signalAcquirerChanged(clientWith(() => Promise.reject(new Error('unavailable')), []), 800);
  await expect(notify('x')).rejects.toThrow('unavailable');
});

test('a payment whose view has left inprogress → no signal: the workflow reads its provider no more', async () => {
  const seen: string[] = [];
  const view = (state: string) => ({ paymentstate: { state } }) as Payment;
  const held: Record<string, Payment> = { ready: view('ready_to_complete'), done: view('completed'), waiting: view('inprogress') };
  const notify = signalAcquirerChanged(clientWith(async () => undefined, seen), 800, { last: (id) => held[id] ?? null });
  for (const id of ['ready', 'done', 'waiting', 'unknown']) await notify(id);
  expect(seen).toEqual(['payment-waiting:acquirerChanged', 'payment-unknown:acquirerChanged']);
});
