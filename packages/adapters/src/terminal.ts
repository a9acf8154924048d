import type { PaymentKind } from '@payments/contract';

/** Where a card transaction stands on the terminal. */
export type TerminalStatus = 'prompting' | 'card_read' | 'cancelled' | 'timeout' | 'declined';

/** The terminal's view of one transaction. */
export interface TerminalTransaction {
  posid: string;
  reference: string;
  kind: PaymentKind;
  amountMinor: number;
  currencycode: string;
  status: TerminalStatus;
  /** What the terminal's screen says: "Present card", "Enter PIN", … */
  prompt: string;
  /** Set once the card is read: authorises the payment at the acquirer. */
  cardToken: string | null;
}

/** What the register's terminal is asked to collect. */
export interface StartTransaction {
  posid: string;
  reference: string;
  kind: PaymentKind;
  /** Positive minor units. */
  amountMinor: number;
  currencycode: string;
}

/** The card terminal of each register. One transaction at a time: TerminalBusyError otherwise. */
export interface Terminal {
  /** Starts prompting; the same reference again answers the same transaction. */
  start(tx: StartTransaction, options?: { signal?: AbortSignal }): Promise<TerminalTransaction>;
  /**
   * With waitMs and after, long-polls until the prompt differs from `after`. `started` is the
   * transaction as start was given it: a terminal that cannot find one by reference alone
   * (Stripe: its search lags) repeats the start's create with it.
   */
  get(posid: string, reference: string, options?: { waitMs?: number; after?: string; signal?: AbortSignal; started?: StartTransaction }): Promise<TerminalTransaction>;
  /** Cancels unless the card was read; null when the terminal never saw it (and now never will start it). `started` as for get. */
  cancel(posid: string, reference: string, options?: { signal?: AbortSignal; started?: StartTransaction }): Promise<TerminalTransaction | null>;
}
