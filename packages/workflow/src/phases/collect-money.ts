import { CancellationScope, condition, isCancellation, sleep } from '@temporalio/workflow';
import { onCollect } from '../state';
import { TEXT } from '../texts';
import type { CollectUpdate, ProviderEvents } from '../types';
import { reverse } from './reverse';
import type { PaymentRun } from './run';
import { labelled, READ, shortCall, WAIT } from './steps';

/** Takes what the collection reported; the register sees it when its view changed. */
export function applyCollect(run: PaymentRun, update: CollectUpdate): void {
  const { record, viewChanged } = onCollect(run.record, update);
  if (viewChanged) run.change(record);
  else run.record = record;
}

/**
 * One step of the collection, unless the register cancels or the payment expires first
 * (null). With `nudgeable`, an acquirer callback ends the step early ('again'): the poll
 * restarts at once instead of waiting out its backoff. No timer of its own: the phase's one
 * expiry timer sets `expired`.
 */
async function untilStopped(
  run: PaymentRun,
  {
    stopped,
    call,
    nudgeable = false,
    abandoned,
  }: { stopped: () => boolean; call: () => Promise<CollectUpdate>; nudgeable?: boolean; abandoned: Promise<unknown>[] },
): Promise<CollectUpdate | null | 'again'> {
  if (stopped()) return null;
  const seen = run.acquirerNudges;
  const work = new CancellationScope();
  const step = work.run(call);
  abandoned.push(step.catch(() => undefined));
  const contenders: Promise<{ u: CollectUpdate | null | 'again' }>[] = [
    step.then((u) => ({ u })),
    condition(stopped).then(() => ({ u: null })),
  ];
  if (nudgeable) contenders.push(condition(() => run.acquirerNudges !== seen).then(() => ({ u: 'again' as const })));
  const outcome = await Promise.race(contenders);
  if (outcome.u === null || outcome.u === 'again') work.cancel();
  return outcome.u;
}

/**
 * Inprogress until the money moves, the customer declines, the payment expires or the register cancels.
 *
 * How the workflow learns of the customer depends on the provider, as each answer of the
 * collection says (`events`, set from the worker's provider config):
 * - it pushes its events (Stripe's webhooks, the acquirer's callbacks, both reaching the API,
 *   which signals acquirerChanged): the workflow waits for a signal and then reads once
 *   (readCollection, a short call: local first, so no activity task). Without a signal it
 *   reads anyway every `fallbackReadMs`, for an event that is late or lost.
 * - otherwise: one activity long-polls (heartbeating) until the collection changes; a signal
 *   makes it look again at once.
 * The choice is recorded in the history with each answer, so a payment recorded before
 * events were pushed replays down the long poll, without a patch marker in every history.
 */
export async function collectMoney(run: PaymentRun): Promise<void> {
  const { input, money, isRefund } = run;
  // One durable timer for the whole phase, however many prompts, polls and reads it takes.
  let expired = false;
  const expiry = new CancellationScope();
  const expiryTimer = expiry
    .run(() => sleep(input.timers.expiryMs, { summary: 'customer must approve within PAYMENT_EXPIRY_MS' }))
    .then(
      () => {
        expired = true;
      },
      (err: unknown) => {
        if (!isCancellation(err)) throw err;
      },
    );
  const stopped = () => expired || run.record.cancelRequested;
  /** Steps cancelled on the way: their ends are awaited before the phase ends (see WAIT). */
  const abandoned: Promise<unknown>[] = [];
  // A signal that comes after a call has begun may be news that its answer does not show.
  let seen = run.acquirerNudges;
  let update = await untilStopped(run, {
    stopped,
    abandoned,
    call: () => shortCall('startCollection', input, { summary: `Start ${input.method} collection of ${money}` }),
  });
  let events: ProviderEvents | undefined;
  while (update !== null) {
    if (update !== 'again') {
      applyCollect(run, update);
      if (update.status !== 'pending' || run.record.cancelRequested) break;
      events = update.events;
    }
    const acquirerId = run.record.acquirerId;
    if (events) {
      if (run.acquirerNudges === seen && !stopped()) {
        const { fallbackReadMs } = events;
        await condition(() => run.acquirerNudges !== seen || stopped(), fallbackReadMs, { summary: `provider event, or read again after ${fallbackReadMs} ms` });
      }
      if (stopped()) {
        update = null;
        break;
      }
      seen = run.acquirerNudges;
      update = await untilStopped(run, {
        stopped,
        abandoned,
        call: () => shortCall('readCollection', { input, acquirerId }, { summary: 'Read the collection', fallback: READ }),
      });
    } else {
      const lastMessage = run.record.message;
      update = await untilStopped(run, {
        stopped,
        abandoned,
        call: () => labelled(WAIT, `Wait for the customer (showing: ${lastMessage})`).awaitCollection({ input, acquirerId, lastMessage }),
        nudgeable: true,
      });
    }
  }
  if (!expired) {
    expiry.cancel();
    await expiryTimer;
  }
  if (update === null || update.status === 'pending') {
    // Expired, or cancelled by the register, before the customer paid: stop the request at
    // the acquirer. It may answer that the money moved meanwhile: then the payment goes on
    // to ready_to_complete (expiry) or is reversed (the register's cancel).
    const expired = !run.record.cancelRequested;
    const acquirerId = run.record.acquirerId;
    const final = await CancellationScope.nonCancellable(() =>
      shortCall('cancelCollection', { input, acquirerId }, { summary: expired ? 'Stop the expired request' : 'Stop the request: the register cancelled' }),
    );
    if (final.status === 'approved') applyCollect(run, final);
    else if (run.record.state === 'inprogress') run.setState('cancelled', expired ? TEXT.expired : TEXT.cancelledByRegister);
  }
  await CancellationScope.nonCancellable(() => Promise.all(abandoned));
  if (run.record.moneyMoved) {
    if (run.record.state === 'inprogress') run.setState('ready_to_complete', isRefund ? TEXT.refundApproved : TEXT.approved);
    else if (run.record.state === 'cancelled') await reverse(run, 'cancelled by the register while being approved');
  }
}
