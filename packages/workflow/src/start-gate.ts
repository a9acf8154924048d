import { condition, defineSignal, setHandler } from '@temporalio/workflow';

/**
 * How long a payment waits, before it touches the acquirer or the terminal, for the API's word
 * that the register was answered with its paymentid. Set by the API at the POST; absent on
 * payments started before this existed, which go ahead at once.
 */
export interface StartConfirmation {
  /** When the API received the POST (epoch ms, the API's clock). */
  postedAt: number;
  /** How long after postedAt the confirmation may come; later, the payment is cancelled untouched. */
  withinMs: number;
}

/**
 * Sent by the API once it has written the POST's 200 (the paymentid) to the register. A start
 * whose POST was answered with an error, or whose API died first, never receives it.
 */
export const registerAnsweredSignal = defineSignal('registerAnswered');

/** What the register reads on a payment whose start was never confirmed. */
export const START_NOT_CONFIRMED = 'The payment could not be started. Please start a new payment.';

/**
 * How long the workflow must still wait for the confirmation, by its own clock: null when the
 * payment has no start confirmation (it goes ahead), 0 when the time is already up.
 */
export function confirmationWaitMs(confirmation: StartConfirmation | undefined, now: number): number | null {
  if (confirmation === undefined) return null;
  return Math.max(0, confirmation.postedAt + confirmation.withinMs - now);
}

/**
 * Installs the handler of `registerAnsweredSignal` (call it before the workflow's first await)
 * and returns the gate the workflow passes before its first acquirer or terminal call: true
 * once the API confirmed the answer (or `stopWaiting` holds: the register, which knows the id,
 * already cancelled), false when the time ran out — nothing was asked of acquirer or terminal.
 */
export function startGate(confirmation: StartConfirmation | undefined, stopWaiting: () => boolean): () => Promise<boolean> {
  let answered = false;
  setHandler(registerAnsweredSignal, () => {
    answered = true;
  });
  return async () => {
    if (answered || stopWaiting()) return true;
    // Why the clock matters only for liveness: the money rule holds by the signal alone (it is
    // sent only after the register got the id), so a late start is cancelled, never charged.
    const waitMs = confirmationWaitMs(confirmation, Date.now());
    if (waitMs === null) return true;
    if (waitMs === 0) return false;
    return condition(() => answered || stopWaiting(), waitMs);
  };
}
