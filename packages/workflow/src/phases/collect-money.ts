import { CancellationScope, condition } from '@temporalio/workflow';
import { onCollect } from '../state';
import { TEXT } from '../texts';
import type { CollectUpdate } from '../types';
import { reverse } from './reverse';
import type { PaymentRun } from './run';
import { CALL, labelled, WAIT } from './steps';

/** Takes what the collection reported; the register sees it when its view changed. */
export function applyCollect(run: PaymentRun, update: CollectUpdate): void {
  const { record, viewChanged } = onCollect(run.record, update);
  if (viewChanged) run.change(record);
  else run.record = record;
}

/**
 * One step of the collection, unless the register cancels or the payment expires first
 * (null). With `nudgeable`, an acquirer callback ends the step early ('again'): the poll
 * restarts at once instead of waiting out its backoff.
 */
async function untilCancelledOrExpired(
  run: PaymentRun,
  { expiresAt, call, nudgeable = false }: { expiresAt: number; call: () => Promise<CollectUpdate>; nudgeable?: boolean },
): Promise<CollectUpdate | null | 'again'> {
  const remaining = expiresAt - Date.now();
  if (remaining <= 0 || run.record.registerCancelled) return null;
  const seen = run.acquirerNudges;
  const work = new CancellationScope();
  const timer = new CancellationScope();
  const contenders: Promise<{ u: CollectUpdate | null | 'again' }>[] = [
    work.run(call).then((u) => ({ u })),
    timer.run(() => condition(() => run.record.registerCancelled, remaining)).then(() => ({ u: null })),
  ];
  if (nudgeable) contenders.push(condition(() => run.acquirerNudges !== seen).then(() => ({ u: 'again' as const })));
  const outcome = await Promise.race(contenders);
  if (outcome.u === null || outcome.u === 'again') work.cancel();
  if (outcome.u !== null) timer.cancel();
  return outcome.u;
}

/** Inprogress until the money moves, the customer declines, the payment expires or the register cancels. */
export async function collectMoney(run: PaymentRun): Promise<void> {
  const { input, money, isRefund } = run;
  const expiresAt = Date.now() + input.timers.expiryMs;
  let update = await untilCancelledOrExpired(run, {
    expiresAt,
    call: () => labelled(CALL, `Start ${input.method} collection of ${money}`).startCollection(input),
  });
  while (update !== null) {
    if (update !== 'again') {
      applyCollect(run, update);
      if (update.status !== 'pending' || run.record.registerCancelled) break;
    }
    const lastMessage = run.record.message;
    const acquirerId = run.record.acquirerId;
    update = await untilCancelledOrExpired(run, {
      expiresAt,
      call: () => labelled(WAIT, `Wait for the customer (showing: ${lastMessage})`).awaitCollection({ input, acquirerId, lastMessage }),
      nudgeable: true,
    });
  }
  if (update === null || update.status === 'pending') {
    // Expired, or cancelled by the register, before the customer paid: stop the request at
    // the acquirer. It may answer that the money moved meanwhile: then the payment goes on
    // to ready_to_complete (expiry) or is reversed (the register's cancel).
    const expired = !run.record.registerCancelled;
    const acquirerId = run.record.acquirerId;
    const final = await CancellationScope.nonCancellable(() =>
      labelled(CALL, expired ? 'Stop the expired request' : 'Stop the request: the register cancelled').cancelCollection({ input, acquirerId }),
    );
    if (final.status === 'approved') applyCollect(run, final);
    else if (run.record.state === 'inprogress') run.setState('cancelled', expired ? TEXT.expired : TEXT.cancelledByRegister);
  }
  if (run.record.moneyMoved) {
    if (run.record.state === 'inprogress') run.setState('ready_to_complete', isRefund ? TEXT.refundApproved : TEXT.approved);
    else if (run.record.state === 'cancelled') await reverse(run, 'cancelled by the register while being approved');
  }
}
