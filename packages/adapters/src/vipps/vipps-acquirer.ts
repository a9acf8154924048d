import type { VippsModificationResponse, VippsPayment } from '@payments/contract/wire';
import type { Acquirer, AcquirerPayment, ChangeCall, CreatePayment } from '../acquirer';
import { pendingPayment } from '../pending-payment';
import { AlreadyApprovedError, NotFoundError, RejectedError, ReversalRefusedError, TransientError } from '../errors';
import { VippsProblemError, type VippsClient } from './vipps-client';
import { vippsIdempotencyKey } from './vipps-keys';
import { givenBack, money, VIPPS_NAME, VIPPS_TEXT, vippsPayment } from './vipps-payment';

/** What Vipps takes as a reference: our paymentids (UUIDs) fit. */
const REFERENCE = /^[a-zA-Z0-9-]{8,50}$/;
/** How many payments this process remembers (their QR, their early cancel): the oldest go first. */
const REMEMBERED = 10_000;

function bounded<T extends { delete(k: string): boolean; keys(): IterableIterator<string>; size: number }>(c: T): T {
  if (c.size > REMEMBERED) c.delete(c.keys().next().value as string);
  return c;
}

/** A refund payment's parts: the sale it credits, its amount, its own paymentid. */
interface RefundRef {
  sale: string;
  amountMinor: number;
  paymentid: string;
}

/** A refund payment's id: Vipps keeps no payment of its own for it, only a refund on the sale at confirm. */
export function vippsRefundId(r: RefundRef): string {
  return `refund:${r.sale}:${r.amountMinor}:${r.paymentid}`;
}

export function parseVippsRefundId(id: string): RefundRef | null {
  const m = /^refund:([a-zA-Z0-9-]{8,50}):(\d+):(.+)$/.exec(id);
  return m ? { sale: m[1] as string, amountMinor: Number(m[2]), paymentid: m[3] as string } : null;
}

/**
 * Vipps MobilePay's ePayment API as the acquirer of wallet payments. The customer scans a
 * one-time QR code (userFlow QR, customer present) and approves in the app, which reserves the
 * amount (AUTHORIZED); confirm captures it once the register has completed; a reversal before
 * that cancels the reservation, after it refunds. Nothing moves until capture, so a register
 * that cancels or goes silent leaves no money taken. Every write carries an Idempotency-Key
 * made from the payment and the step, and an answer lost on the way is recovered by reading the
 * payment by its reference (our paymentid). A refund payment credits its sale: approved when the
 * sale can take it back, paid as a refund of the sale at confirm.
 */
export class VippsAcquirer implements Acquirer {
  /** The QR of each payment this process created, and when: for the register and the first read. */
  private readonly created = new Map<string, { qrUrl: string | null; at: number }>();
  /** References cancelled before their create answered: a create that lands later is cancelled at once. */
  private readonly cancelledEarly = new Set<string>();

  constructor(private readonly client: VippsClient) {}

  private get currency(): string {
    return this.client.options.currency;
  }

  async create(payment: CreatePayment, call: ChangeCall): Promise<AcquirerPayment> {
    const wrongCurrency = this.currencyRefusal(payment.currencycode);
    if (wrongCurrency) return this.declined(payment, wrongCurrency);
    if (payment.kind === 'refund') return this.approveRefund(payment, call.signal);
    if (!REFERENCE.test(payment.reference)) return this.declined(payment, `Vipps MobilePay cannot take the reference ${payment.reference}`);
    if (this.cancelledEarly.has(payment.reference)) return { ...this.shape(payment), status: 'cancelled' };
    const amount = { currency: this.client.options.currency, value: payment.amountMinor };
    let qrUrl: string | null;
    try {
      const created = await this.client.createPayment(
        {
          amount,
          reference: payment.reference,
          paymentMethod: { type: 'WALLET' },
          userFlow: 'QR',
          customerInteraction: 'CUSTOMER_PRESENT',
          // The register draws the QR itself from its payload: the target URL, not an image.
          qrFormat: { format: 'TEXT/TARGETURL' },
          paymentDescription: `Purchase ${payment.posid}`.slice(0, 100),
        },
        vippsIdempotencyKey(payment.reference, 'create'),
        call.signal,
      );
      qrUrl = created.redirectUrl ?? null;
    } catch (err) {
      // The reference was taken with another key (an older attempt): the payment is ours if it matches.
      if (!(err instanceof VippsProblemError && err.status === 409)) throw err;
      const existing = await this.client.getPayment(payment.reference, call.signal);
      if (existing.amount.value !== payment.amountMinor || existing.amount.currency !== amount.currency) throw err;
      qrUrl = existing.redirectUrl ?? null;
    }
    bounded(this.created.set(payment.reference, { qrUrl, at: Date.now() }));
    if (this.cancelledEarly.has(payment.reference)) return this.cancelSale(payment.reference, vippsIdempotencyKey(payment.reference, 'cancel'), call.signal);
    return { ...this.shape(payment), qrUrl, prompt: VIPPS_TEXT.scan };
  }

  async get(id: string, options: { waitMs?: number; signal?: AbortSignal } = {}): Promise<AcquirerPayment> {
    const refund = parseVippsRefundId(id);
    if (refund) return this.refundPayment(refund, await this.client.getPayment(refund.sale, options.signal), await this.refundPaid(refund, options.signal));
    const until = Date.now() + (options.waitMs ?? 0);
    const made = this.created.get(id);
    // Vipps asks for no read in the first seconds after a create: the customer has not scanned yet.
    if (made && until > Date.now()) {
      const first = Math.min(made.at + this.client.firstPollAfterMs, until);
      if (first > Date.now()) await this.client.pause(first - Date.now(), options.signal);
    }
    for (;;) {
      const payment = vippsPayment(await this.client.getPayment(id, options.signal), made?.qrUrl ?? null);
      if (payment.status !== 'pending' || Date.now() >= until) return payment;
      await this.client.pause(Math.min(this.client.pollEveryMs, until - Date.now()), options.signal);
    }
  }

  async cancel(id: string, call: ChangeCall): Promise<AcquirerPayment> {
    // Approved, nothing paid out yet: the register's cancel becomes the (empty) reversal.
    if (parseVippsRefundId(id)) throw new AlreadyApprovedError(await this.get(id, { signal: call.signal }));
    const payment = await this.client.getPayment(id, call.signal);
    if (payment.state === 'AUTHORIZED') {
      if (givenBack(payment)) return { ...vippsPayment(payment), status: 'cancelled' };
      throw new AlreadyApprovedError(vippsPayment(payment));
    }
    if (payment.state !== 'CREATED') return vippsPayment(payment);
    return this.cancelSale(id, vippsIdempotencyKey(id, 'cancel'), call.signal);
  }

  /**
   * Vipps keys payments by our reference, so this is cancel; null when Vipps has no such
   * payment. A create still on its way from this process is then cancelled as it lands; one
   * from a process that died can still land, but only as CREATED with a QR code nobody shows,
   * which expires unpaid.
   */
  async cancelByReference(reference: string, call: ChangeCall): Promise<AcquirerPayment | null> {
    if (!this.created.has(reference)) bounded(this.cancelledEarly.add(reference));
    try {
      return await this.cancel(reference, call);
    } catch (err) {
      if (err instanceof NotFoundError) return null;
      throw err;
    }
  }

  async reverse(id: string, call: ChangeCall): Promise<AcquirerPayment> {
    const refund = parseVippsRefundId(id);
    if (refund) return this.reverseRefund(refund, call.signal);
    let payment: VippsPayment | VippsModificationResponse = await this.client.getPayment(id, call.signal);
    if (payment.state === 'CREATED') throw new RejectedError(`${id} is not approved yet: cancel it instead`, 409, 'not-approved');
    if (payment.state !== 'AUTHORIZED') return vippsPayment(payment); // never approved, or already cancelled
    const m = money(payment);
    if (m.captured > m.refunded) {
      const amount = { currency: payment.amount.currency, value: m.captured - m.refunded };
      payment = await this.recovering(
        () => this.client.refundPayment(id, amount, vippsIdempotencyKey(id, 'reverse-refund'), call.signal),
        id,
        (p) => money(p).refunded >= m.captured,
        call.signal,
      );
    }
    if (money(payment).held > 0) {
      payment = await this.recovering(
        () => this.client.cancelPayment(id, vippsIdempotencyKey(id, 'reverse-cancel'), call.signal),
        id,
        (p) => money(p).held === 0,
        call.signal,
      );
    }
    return { ...vippsPayment(payment), status: 'approved', reversal: 'done' };
  }

  async confirm(id: string, call: ChangeCall): Promise<AcquirerPayment> {
    const refund = parseVippsRefundId(id);
    if (refund) return this.payRefund(refund, call.signal);
    const payment = await this.client.getPayment(id, call.signal);
    if (payment.state !== 'AUTHORIZED' || givenBack(payment)) {
      throw new RejectedError(`${id} is ${payment.state}${givenBack(payment) ? ' and given back' : ''}: nothing to capture`, 409, 'not-approved');
    }
    const m = money(payment);
    if (m.held === 0) return vippsPayment(payment);
    const amount = { currency: payment.amount.currency, value: m.held };
    const captured = await this.recovering(
      () => this.client.capturePayment(id, amount, vippsIdempotencyKey(id, 'capture'), call.signal),
      id,
      (p) => money(p).held === 0 && money(p).captured > 0,
      call.signal,
    );
    return vippsPayment(captured);
  }

  // --- steps --------------------------------------------------------------------------------

  /** Cancels a payment the customer has not approved (or, in a race, releases what they just did). */
  private async cancelSale(id: string, idempotencyKey: string, signal?: AbortSignal): Promise<AcquirerPayment> {
    try {
      return vippsPayment(await this.client.cancelPayment(id, idempotencyKey, signal));
    } catch (err) {
      if (!(err instanceof VippsProblemError || err instanceof TransientError)) throw err;
      // Refused (it ended meanwhile) or the answer was lost: what the payment is now decides.
      const now = await this.client.getPayment(id, signal);
      if (now.state === 'AUTHORIZED' && !givenBack(now)) throw new AlreadyApprovedError(vippsPayment(now));
      if (now.state === 'CREATED') throw err instanceof TransientError ? err : new TransientError(`${id}: ${err.message}`, err.status);
      return now.state === 'AUTHORIZED' ? { ...vippsPayment(now), status: 'cancelled' } : vippsPayment(now);
    }
  }

  /**
   * A write whose answer may be lost (or refused as a repeat): on a transient fault or a problem
   * the payment is read by its reference, and `done` says whether the write took effect.
   */
  private async recovering(
    write: () => Promise<VippsModificationResponse>,
    reference: string,
    done: (p: VippsPayment) => boolean,
    signal?: AbortSignal,
  ): Promise<VippsPayment | VippsModificationResponse> {
    try {
      return await write();
    } catch (err) {
      if (!(err instanceof TransientError || err instanceof VippsProblemError)) throw err;
      let now: VippsPayment;
      try {
        now = await this.client.getPayment(reference, signal);
      } catch {
        throw err;
      }
      if (done(now)) return now;
      throw err;
    }
  }

  // --- refund payments ----------------------------------------------------------------------

  /** A refund that credits a captured sale of this sales unit is approved while the sale can take it back. */
  private async approveRefund(payment: CreatePayment, signal?: AbortSignal): Promise<AcquirerPayment> {
    if (payment.originalReference === null) return this.declined(payment, `${VIPPS_NAME} pays a refund back only to the sale it credits (creditpaymentid)`);
    let sale: VippsPayment;
    try {
      sale = await this.client.getPayment(payment.originalReference, signal);
    } catch (err) {
      if (err instanceof NotFoundError) return this.declined(payment, `The original sale is not a ${VIPPS_NAME} payment of this merchant`);
      throw err;
    }
    const m = money(sale);
    if (sale.state !== 'AUTHORIZED' || m.captured === 0) return this.declined(payment, `The original sale was not captured at ${VIPPS_NAME}`);
    if (sale.amount.currency !== payment.currencycode) return this.declined(payment, 'The original sale does not match');
    if (m.captured - m.refunded < payment.amountMinor) return this.declined(payment, 'The refund is more than is left to refund on the original sale');
    return this.refundPayment({ sale: sale.reference, amountMinor: payment.amountMinor, paymentid: payment.reference }, sale, false);
  }

  /** The refund of the sale, made once: its key is the refund payment's own. */
  private async payRefund(refund: RefundRef, signal?: AbortSignal): Promise<AcquirerPayment> {
    if (!(await this.refundPaid(refund, signal))) {
      const sale = await this.client.getPayment(refund.sale, signal);
      const amount = { currency: sale.amount.currency, value: refund.amountMinor };
      try {
        await this.client.refundPayment(refund.sale, amount, vippsIdempotencyKey(refund.paymentid, 'refund'), signal);
      } catch (err) {
        if (!(err instanceof TransientError || err instanceof VippsProblemError)) throw err;
        if (!(await this.refundPaid(refund, signal).catch(() => false))) throw err;
      }
    }
    return this.refundPayment(refund, await this.client.getPayment(refund.sale, signal), true);
  }

  /** Before confirm nothing was paid, so nothing goes back; Vipps cannot take a paid refund back. */
  private async reverseRefund(refund: RefundRef, signal?: AbortSignal): Promise<AcquirerPayment> {
    if (await this.refundPaid(refund, signal)) throw new ReversalRefusedError(`${VIPPS_NAME} does not take back a refund once paid`);
    return { ...this.refundPayment(refund, await this.client.getPayment(refund.sale, signal), false), reversal: 'done' };
  }

  /** Whether the sale's event log holds this refund payment's refund (by its Idempotency-Key). */
  private async refundPaid(refund: RefundRef, signal?: AbortSignal): Promise<boolean> {
    const key = vippsIdempotencyKey(refund.paymentid, 'refund');
    const events = await this.client.getEvents(refund.sale, signal);
    return events.some((e) => e.name === 'REFUNDED' && e.success && e.idempotencyKey === key);
  }

  private refundPayment(refund: RefundRef, sale: VippsPayment, confirmed: boolean): AcquirerPayment {
    return {
      ...vippsPayment(sale),
      id: vippsRefundId(refund),
      reference: refund.paymentid,
      kind: 'refund',
      amountMinor: refund.amountMinor,
      status: 'approved',
      reversal: 'none',
      confirmed,
      lateReversalAllowed: false,
    };
  }

  // --- shapes -------------------------------------------------------------------------------

  private currencyRefusal(currencycode: string): string | null {
    if (currencycode === this.currency) return null;
    return `${VIPPS_NAME} takes ${this.currency} at this merchant, not ${currencycode}`;
  }

  private declined(payment: CreatePayment, reason: string): AcquirerPayment {
    return { ...this.shape(payment), status: 'declined', declineReason: reason };
  }

  /** A payment as we asked for it, before Vipps says more: pending. */
  private shape(payment: CreatePayment): AcquirerPayment {
    return pendingPayment({
      id: payment.kind === 'refund' ? `refund:${payment.reference}` : payment.reference,
      reference: payment.reference,
      kind: payment.kind,
      method: 'wallet',
      amountMinor: payment.amountMinor,
      currencycode: payment.currencycode,
      lateReversalAllowed: true,
      receipt: { scheme: VIPPS_NAME, reference: payment.reference.slice(-12), last4: null },
    });
  }
}
