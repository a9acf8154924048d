import type { StartTransactionBody, TerminalTransactionBody } from '@payments/contract/wire';

export type { TerminalStatus } from '@payments/contract/wire';

/** The terminal's view of one transaction: its HTTP answer without its start time, which the activities never read. */
export type TerminalTransaction = Omit<TerminalTransactionBody, 'startedAt'>;

/** What the register's terminal is asked to collect: the HTTP start body and the register (its path). */
export type StartTransaction = StartTransactionBody & { posid: string };

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
