import { Type, type Static } from 'typebox';
import { CurrencyCode, Kind, MinorUnits, Nullable, WireId } from './fields';

/** Where a card transaction stands on the terminal. */
export const TerminalStatus = Type.Enum(['prompting', 'card_read', 'cancelled', 'timeout', 'declined']);
export type TerminalStatus = Static<typeof TerminalStatus>;

/** POST /terminal/v1/:posid/transactions: what the register's terminal is asked to collect. */
export const StartTransactionBody = Type.Object({
  reference: WireId(),
  kind: Kind,
  amountMinor: MinorUnits,
  currencycode: CurrencyCode,
});
export type StartTransactionBody = Static<typeof StartTransactionBody>;

/** The terminal's answer about one transaction. */
export const TerminalTransactionBody = Type.Object({
  posid: Type.String(),
  reference: WireId(),
  kind: Kind,
  amountMinor: MinorUnits,
  currencycode: CurrencyCode,
  status: TerminalStatus,
  /** What the terminal's screen says: "Present card", "Enter PIN", … */
  prompt: Type.String(),
  startedAt: Type.String(),
  /** Set once the card is read: authorises the payment at the acquirer. */
  cardToken: Nullable(Type.String()),
});
export type TerminalTransactionBody = Static<typeof TerminalTransactionBody>;
