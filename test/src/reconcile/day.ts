// A day of payments at one register, one of every flow a till goes through, driven over HTTP as
// Sitoo POS drives them. Each flow answers the paymentid(s) it made, so a test can point at one.
import { type Register, paymentRequest } from '../support/register';

/** What each flow of the day made; money as the register was told it moved. */
export interface Day {
  completed: string;
  cancelledInProgress: string;
  cancelledReady: string;
  declined: string;
  /** null where the provider has no customer who never answers (Stripe's simulated reader always taps). */
  expired: string | null;
  cancelledLate: string;
  silentReady: string;
  /** A sale that linked refunds credit. */
  refundedSale: string;
  refundLinked: string;
  refundLinkedCancelled: string;
  /** null where the provider pays back only to the sale's card (Stripe). */
  refundUnlinked: string | null;
}

/** What differs between providers: the amount that declines, and the flows they have. */
export interface DayOptions {
  declineAmount: string;
  expire: boolean;
  unlinkedRefund: boolean;
}

/** The simulated acquirer: .51 declines, .52 never answers. */
export const ACQUIRER_DAY: DayOptions = { declineAmount: '103.51', expire: true, unlinkedRefund: true };
/** Stripe's test amounts: .05 is a generic decline. */
export const STRIPE_DAY: DayOptions = { declineAmount: '103.05', expire: false, unlinkedRefund: false };

async function completed(pos: Register, amount: string, extra: Record<string, unknown> = {}): Promise<string> {
  const id = await pos.start(paymentRequest(amount, extra));
  await pos.until(id, ['ready_to_complete']);
  const put = await pos.put(id, 'completed');
  if (put.status !== 200) throw new Error(`PUT completed ${id} → ${put.status}`);
  return id;
}

async function cancelledAt(pos: Register, amount: string, at: 'inprogress' | 'ready_to_complete', extra: Record<string, unknown> = {}): Promise<string> {
  const id = await pos.start(paymentRequest(amount, extra));
  if (at === 'ready_to_complete') await pos.until(id, ['ready_to_complete']);
  await pos.put(id, 'cancelled');
  await pos.until(id, ['cancelled']);
  return id;
}

async function endsCancelled(pos: Register, amount: string, extra: Record<string, unknown>): Promise<string> {
  const id = await pos.start(paymentRequest(amount, extra));
  await pos.until(id, ['cancelled'], 60_000);
  return id;
}

/** A register of the store: a card terminal takes one payment at a time, so flows at once use tills of their own. */
const till = (n: number) => ({ posid: `SIE00001600000${10 + n}` });

/** Every flow once, the independent ones at the same time. Needs ACK_TIMEOUT_MS and PAYMENT_EXPIRY_MS of a few seconds. */
export async function makeDay(pos: Register, options: DayOptions = ACQUIRER_DAY): Promise<Day> {
  const [completedId, cancelledInProgress, cancelledReady, declined, expired, cancelledLate, silentReady, refundedSale, refundUnlinked] = await Promise.all([
    completed(pos, '100.00', till(1)),
    cancelledAt(pos, '101.00', 'inprogress', till(2)),
    cancelledAt(pos, '102.00', 'ready_to_complete', till(3)),
    endsCancelled(pos, options.declineAmount, till(4)),
    options.expire ? endsCancelled(pos, '104.52', till(5)) : null,
    completed(pos, '105.00', till(6)).then(async (id) => {
      await pos.put(id, 'cancelled');
      await pos.until(id, ['cancelled']);
      return id;
    }),
    (async () => {
      const id = await pos.start(paymentRequest('106.00', till(7)));
      await pos.until(id, ['ready_to_complete']);
      await pos.until(id, ['cancelled'], 60_000); // the register never acknowledges
      return id;
    })(),
    completed(pos, '200.00', till(8)),
    options.unlinkedRefund ? completed(pos, '-20.00', till(9)) : null,
  ]);
  const refundLinked = await completed(pos, '-30.00', { ...till(8), creditpaymentid: refundedSale });
  const refundLinkedCancelled = await cancelledAt(pos, '-40.00', 'ready_to_complete', { ...till(8), creditpaymentid: refundedSale });
  return {
    completed: completedId,
    cancelledInProgress,
    cancelledReady,
    declined,
    expired,
    cancelledLate,
    silentReady,
    refundedSale,
    refundLinked,
    refundLinkedCancelled,
    refundUnlinked,
  };
}
