import { SPI_POLL_INTERVAL_MS, SpiClientError, type Payment, type SpiClient, type TargetState } from '@payments/contract';
import type { PosCommand } from './args';
import { paymentRequest } from './payment-request';

/** What the register shows; the terminal implements it, tests record it. */
export interface RegisterDisplay {
  started(paymentid: string): void;
  /** The state or the message changed. */
  changed(payment: Payment, elapsedMs: number): void;
  /** A (new) QR code to scan. */
  qrcode(payload: string): Promise<void>;
  /** The register is about to PUT a state. */
  action(state: TargetState, why: string): void;
  /** One poll went by with nothing new: the progress indicator. */
  tick(payment: Payment, elapsedMs: number): void;
  /** Something went wrong that the register rides out (a 503, no answer, a refused PUT). */
  problem(text: string): void;
  /** The payment completed: print its receipt section. */
  receipt(payment: Payment): void;
}

export interface RegisterOptions {
  client: Pick<SpiClient, 'startPayment' | 'getPayment' | 'setState'>;
  command: PosCommand;
  display: RegisterDisplay;
  /** Aborted when the cashier presses cancel (Ctrl-C): the register PUTs cancelled while it still can. */
  cancel?: AbortSignal;
  intervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export type Outcome = { state: 'completed' | 'cancelled'; payment: Payment };

/** With --cancel-at inprogress, a payment without a QR code (a card terminal) is cancelled after this long. */
const CANCEL_INPROGRESS_AFTER_MS = 1_000;

const describe = (err: unknown) => (err instanceof SpiClientError ? (err.code ?? err.reason) + `: ${err.body?.error_data.message ?? err.message}` : String(err));

/**
 * One payment, the way Sitoo POS runs it: POST, then GET every 250 ms showing each message and
 * QR code as it changes, PUT completed on ready_to_complete (or cancelled, as the cashier
 * decides), until the payment is completed or cancelled. Transient failures (503, no answer) are
 * ridden out as a register would; anything else is thrown.
 */
export async function runRegister(options: RegisterOptions): Promise<Outcome> {
  const { client, command, display } = options;
  const interval = options.intervalMs ?? SPI_POLL_INTERVAL_MS;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? (() => Date.now());
  const started = now();
  const elapsed = () => now() - started;

  const paymentid = await client.startPayment(paymentRequest(command));
  display.started(paymentid);

  let last: Payment | undefined;
  let shownQr: string | null = null;
  let receiptPrinted = false;
  let lateCancelTried = false;

  const show = async (payment: Payment) => {
    const { state, message, qrcode } = payment.paymentstate;
    if (last === undefined || last.paymentstate.state !== state || last.paymentstate.message !== message) display.changed(payment, elapsed());
    else display.tick(payment, elapsed());
    if (qrcode !== null && qrcode !== shownQr) await display.qrcode(qrcode);
    shownQr = qrcode;
    last = payment;
  };

  /** PUTs a state; the answer is the payment after it. A refusal (409) is shown and the loop reads on. */
  const put = async (state: TargetState, why: string): Promise<Payment | undefined> => {
    display.action(state, why);
    try {
      return await client.setState(paymentid, state);
    } catch (err) {
      if (!(err instanceof SpiClientError) || (!err.transient && err.status !== 409)) throw err;
      display.problem(`PUT ${state} → ${err.status || 'no answer'} ${describe(err)}`);
      return undefined;
    }
  };

  /** What the register does next with the payment as it stands; the PUT's answer, if it made one. */
  const act = async (payment: Payment): Promise<Payment | undefined> => {
    const cashierCancels = options.cancel?.aborted === true;
    switch (payment.paymentstate.state) {
      case 'inprogress': {
        if (cashierCancels) return put('cancelled', 'the cashier pressed cancel');
        const scanning = payment.paymentstate.qrcode !== null || elapsed() >= CANCEL_INPROGRESS_AFTER_MS;
        if (command.cancelAt === 'inprogress' && scanning) return put('cancelled', '--cancel-at inprogress');
        return undefined;
      }
      case 'ready_to_complete':
        if (cashierCancels) return put('cancelled', 'the cashier pressed cancel');
        if (command.silent) return undefined;
        if (command.cancelAt === 'ready' || command.cancelAt === 'inprogress') return put('cancelled', `--cancel-at ${command.cancelAt}`);
        return put('completed', 'the customer approved');
      case 'completed':
        if (!receiptPrinted) {
          display.receipt(payment);
          receiptPrinted = true;
        }
        if (command.cancelAt === 'completed' && !lateCancelTried) {
          lateCancelTried = true;
          return put('cancelled', '--cancel-at completed (a late cancel)');
        }
        return undefined;
      case 'cancelled':
        return undefined;
    }
  };

  for (;;) {
    let payment: Payment;
    try {
      payment = await client.getPayment(paymentid);
    } catch (err) {
      if (!(err instanceof SpiClientError) || !err.transient) throw err;
      display.problem(`GET → ${err.status || 'no answer'} ${describe(err)}; polling on`);
      await sleep(interval);
      continue;
    }
    // A PUT answers with the payment after it, which may call for one more step (the receipt, a
    // late cancel); bounded, so a service that answers oddly can't spin the register.
    let next: Payment | undefined = payment;
    for (let steps = 0; next !== undefined && steps < 3; steps++) {
      await show(next);
      payment = next;
      next = await act(next);
    }
    if (next !== undefined) await show((payment = next));
    const { state } = payment.paymentstate;
    if (state === 'cancelled') return { state, payment };
    if (state === 'completed' && (command.cancelAt !== 'completed' || lateCancelTried)) return { state, payment };
    await sleep(interval);
  }
}
