import type { VippsLedger, VippsLedgerEntry } from '@payments/contract/wire';
import type { VippsPaymentRecord, VippsState } from './vipps-state';

/** The Report API's page size: up to 1000 items a request. */
export const REPORT_PAGE_SIZE = 1000;

/** A sales unit's ledger: the one ledger that settles for its MSN, with the MSN as its id (the usual one-to-one case). */
export function ledgerOf(msn: string, state: VippsState): VippsLedger & { payoutBankAccount: { scheme: string; id: string }; owner: { scheme: string; id: string } } {
  const currency = Object.values(state.payments).find((p) => p.msn === msn)?.currency ?? 'NOK';
  return {
    ledgerId: msn,
    currency,
    payoutBankAccount: { scheme: 'BBAN:NO', id: '86011117947' },
    owner: { scheme: 'business:NO:ORG', id: '987654321' },
    settlesForRecipientHandles: [`api:${msn}`],
  };
}

/**
 * The funds entries of a ledger, oldest first: a `capture` for each successful CAPTURED event,
 * a negative `refund` for each REFUNDED one, at the event's time, with the running balance.
 * Each entry has a pspReference of its own, as Vipps's do. Fees, payouts and top-ups are not
 * simulated: the funds carry only what payments moved.
 */
export function fundsOf(ledgerId: string, state: VippsState): VippsLedgerEntry[] {
  const moves: { rec: VippsPaymentRecord; index: number; type: 'capture' | 'refund'; amount: number; time: string }[] = [];
  for (const rec of Object.values(state.payments)) {
    if (rec.msn !== ledgerId) continue;
    rec.events.forEach((e, index) => {
      if (!e.success) return;
      if (e.name === 'CAPTURED') moves.push({ rec, index, type: 'capture', amount: e.value, time: e.timestamp });
      if (e.name === 'REFUNDED') moves.push({ rec, index, type: 'refund', amount: -e.value, time: e.timestamp });
    });
  }
  moves.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.rec.createdAt - b.rec.createdAt || a.index - b.index));
  let balance = 0;
  return moves.map((m) => {
    const before = balance;
    balance += m.amount;
    return {
      pspReference: `${m.rec.pspReference}-${m.index}`,
      time: m.time,
      ledgerDate: m.time.slice(0, 10),
      entryType: m.type,
      reference: m.rec.reference,
      currency: m.rec.currency,
      amount: m.amount,
      recipientHandle: `api:${ledgerId}`,
      balanceBefore: before,
      balanceAfter: balance,
    };
  });
}

/** A cursor is where the next page starts, opaque to the caller. */
export const encodeCursor = (at: number) => Buffer.from(JSON.stringify({ at })).toString('base64');

export function decodeCursor(cursor: string): number | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8'));
    const at = (v as { at?: unknown }).at;
    return typeof at === 'number' && Number.isInteger(at) && at >= 0 ? at : null;
  } catch {
    return null;
  }
}
