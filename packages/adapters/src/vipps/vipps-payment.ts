import type { VippsModificationResponse, VippsPayment } from '@payments/contract/wire';
import type { AcquirerPayment, AcquirerStatus } from '../acquirer';

/** The wallet's name on the receipt and in messages. */
export const VIPPS_NAME = 'Vipps MobilePay';

/** What the register is told when Vipps MobilePay ends a payment without money. */
export const VIPPS_TEXT = {
  scan: 'Scan the QR code with the Vipps or MobilePay app',
  aborted: 'The customer declined the payment in the Vipps MobilePay app',
  expired: 'The Vipps MobilePay payment expired before the customer approved it',
} as const;

type VippsView = VippsPayment | VippsModificationResponse;

/** The money a payment holds now, from its aggregate (the state stays AUTHORIZED after capture and refund). */
export function money(p: VippsView): { authorized: number; captured: number; refunded: number; cancelled: number; held: number } {
  const a = p.aggregate;
  const authorized = a.authorizedAmount.value;
  const captured = a.capturedAmount.value;
  const cancelled = a.cancelledAmount.value;
  return { authorized, captured, refunded: a.refundedAmount.value, cancelled, held: Math.max(0, authorized - captured - cancelled) };
}

/**
 * Where the payment stands for the activities. AUTHORIZED is an approval (a reservation, or a
 * capture); TERMINATED is a cancel by us, also when it released a reservation; ABORTED (the
 * customer said no in the app) is a decline.
 */
export function vippsStatus(p: VippsView): AcquirerStatus {
  switch (p.state) {
    case 'CREATED':
      return 'pending';
    case 'AUTHORIZED':
      return 'approved';
    case 'TERMINATED':
      return 'cancelled';
    case 'ABORTED':
      return 'declined';
    case 'EXPIRED':
      return 'expired';
  }
}

/** Whether everything that was approved went back: the reservation released, or what was captured refunded. */
export function givenBack(p: VippsView): boolean {
  const m = money(p);
  return m.authorized > 0 && m.held === 0 && m.refunded >= m.captured && (m.cancelled > 0 || m.refunded > 0);
}

/** A sale at Vipps MobilePay as the activities see an acquirer payment; its id is our reference. */
export function vippsPayment(p: VippsView, qrUrl: string | null = null): AcquirerPayment {
  const status = vippsStatus(p);
  const m = money(p);
  return {
    id: p.reference,
    reference: p.reference,
    kind: 'sale',
    method: 'wallet',
    amountMinor: p.amount.value,
    currencycode: p.amount.currency,
    status,
    approvedAt: null,
    reversal: givenBack(p) ? 'done' : 'none',
    confirmed: m.authorized > 0 && m.captured >= m.authorized,
    // Captured money goes back by refund, for as long as Vipps keeps the payment.
    lateReversalAllowed: true,
    declineReason: status === 'declined' ? VIPPS_TEXT.aborted : status === 'expired' ? VIPPS_TEXT.expired : null,
    qrUrl: status === 'pending' ? qrUrl : null,
    ...(status === 'pending' ? { prompt: VIPPS_TEXT.scan } : {}),
    receipt: { scheme: VIPPS_NAME, reference: p.pspReference.slice(-12), last4: null },
  };
}
