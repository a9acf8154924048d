import { randomUUID } from 'node:crypto';
import type { StartTransactionBody } from '@payments/contract/wire';
import type { LedgerStore } from './ledger-store';
import { outcomeOf } from './outcome';
import type { ReadCard } from './sim-acquirer';
import { SimError } from './sim-error';
import type { TerminalStatus, TerminalTransaction } from './state';
import type { Waiters } from './waiters';

/** What a terminal's screen says. */
export const PROMPT = {
  present: 'Present card',
  pin: 'Enter PIN',
  authorising: 'Authorising',
  read: 'Card read',
  declined: 'Card declined',
  cancelled: 'Cancelled',
  timeout: 'Timed out: no card presented',
} as const;

/** The test card every simulated customer carries. */
const CARD = { scheme: 'Visa', last4: '4242' } as const;

export interface SimTerminalOptions {
  store: LedgerStore;
  waiters: Waiters;
  clock: () => number;
  approveDelayMs: number;
  /** A customer who never presents a card (.52) times out after this; 0: never. */
  idleTimeoutMs: number;
  log: (line: Record<string, unknown>) => void;
  /**
   * The customer moved the transaction on (a new prompt, the card read or declined, a timeout):
   * the news a waiting payment needs pushed. A change made by a call is in that call's answer.
   */
  onChange?: (tx: TerminalTransaction) => void;
}

interface Step {
  at: number;
  status: TerminalStatus;
  prompt: string;
}

const isFinal = (tx: TerminalTransaction) => tx.status !== 'prompting';
const waitKey = (tx: TerminalTransaction) => `terminal:${tx.posid}:${tx.reference}`;

/**
 * Card terminals, one per register (posid), each running one transaction at a time. The
 * simulated customer's steps are timed from the transaction's start, so a restart resumes them.
 */
export class SimTerminal {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly cards = new Map<string, TerminalTransaction>();

  constructor(private readonly o: SimTerminalOptions) {
    for (const tx of this.all()) if (tx.cardToken) this.cards.set(tx.cardToken, tx);
  }

  /** Picks up every open transaction where its customer is now. */
  resume(): void {
    for (const tx of this.all()) this.advance(tx);
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  /** Starts prompting; the same reference again answers its transaction. 409 while another is open. */
  start(posid: string, req: StartTransactionBody): { tx: TerminalTransaction; created: boolean } {
    const terminal = this.terminal(posid);
    const existing = terminal.transactions[req.reference];
    if (existing) {
      if (existing.kind !== req.kind || existing.amountMinor !== req.amountMinor || existing.currencycode !== req.currencycode) {
        throw new SimError(422, 'reference-conflict', `reference ${req.reference} was started with other details`);
      }
      return { tx: existing, created: false };
    }
    const open = Object.values(terminal.transactions).find((tx) => !isFinal(tx));
    if (open) throw new SimError(409, 'busy', `the terminal is busy with ${open.reference}`, { reference: open.reference });
    const tx: TerminalTransaction = {
      posid,
      // Named one by one: a body may carry more than the schema names.
      reference: req.reference,
      kind: req.kind,
      amountMinor: req.amountMinor,
      currencycode: req.currencycode,
      status: 'prompting',
      prompt: PROMPT.present,
      startedAt: this.o.clock(),
      cardToken: null,
      card: null,
    };
    terminal.transactions[tx.reference] = tx;
    if (terminal.cancelledReferences.includes(tx.reference)) {
      // Cancelled before the start arrived: never prompt the customer.
      this.set(tx, 'cancelled', PROMPT.cancelled);
    } else {
      this.advance(tx);
    }
    return { tx, created: true };
  }

  /** The transaction, or 404. */
  get(posid: string, reference: string): TerminalTransaction {
    const tx = this.o.store.state.terminals[posid]?.transactions[reference];
    if (!tx) throw new SimError(404, 'not-found', `no transaction ${reference} on terminal ${posid}`);
    return tx;
  }

  /** Cancels unless the card was read; an unknown reference is refused when it arrives later. */
  cancel(posid: string, reference: string): TerminalTransaction | undefined {
    const terminal = this.terminal(posid);
    const tx = terminal.transactions[reference];
    if (!tx) {
      if (!terminal.cancelledReferences.includes(reference)) terminal.cancelledReferences.push(reference);
      return undefined;
    }
    if (!isFinal(tx)) this.set(tx, 'cancelled', PROMPT.cancelled);
    return tx;
  }

  /** Long-poll: resolves once the prompt differs from `after` (or the transaction is final), or after waitMs. */
  async waitForPrompt(tx: TerminalTransaction, after: string | undefined, waitMs: number): Promise<void> {
    if (after === undefined) return;
    const deadline = Date.now() + waitMs;
    while (!isFinal(tx) && tx.prompt === after && Date.now() < deadline && !this.o.waiters.closed) {
      await this.o.waiters.wait(waitKey(tx), deadline - Date.now());
    }
  }

  /** The card behind a token handed out with card_read. */
  lookupCard(token: string): ReadCard | undefined {
    const tx = this.cards.get(token);
    return tx?.card ? { reference: tx.reference, card: tx.card } : undefined;
  }

  private terminal(posid: string) {
    const terminals = this.o.store.state.terminals;
    terminals[posid] ??= { transactions: {}, cancelledReferences: [] };
    return terminals[posid];
  }

  private all(): TerminalTransaction[] {
    return Object.values(this.o.store.state.terminals).flatMap((t) => Object.values(t.transactions));
  }

  /** The simulated customer's steps, timed from the start. */
  private script(tx: TerminalTransaction): Step[] {
    const d = this.o.approveDelayMs;
    const present: Step = { at: 0, status: 'prompting', prompt: PROMPT.present };
    const outcome = outcomeOf(tx.amountMinor);
    if (outcome === 'silent') {
      const idle = this.o.idleTimeoutMs;
      return idle > 0 ? [present, { at: idle, status: 'timeout', prompt: PROMPT.timeout }] : [present];
    }
    const last: Step =
      outcome === 'decline'
        ? { at: d, status: 'declined', prompt: PROMPT.declined }
        : { at: d, status: 'card_read', prompt: PROMPT.read };
    return [
      present,
      { at: Math.round(d / 3), status: 'prompting', prompt: PROMPT.pin },
      { at: Math.round((2 * d) / 3), status: 'prompting', prompt: PROMPT.authorising },
      last,
    ];
  }

  /** Moves the transaction to where its customer is by now, and schedules the next step. */
  private advance(tx: TerminalTransaction): void {
    if (isFinal(tx)) return;
    const elapsed = this.o.clock() - tx.startedAt;
    const steps = this.script(tx);
    const current = steps.filter((s) => s.at <= elapsed).pop() ?? steps[0];
    if (current && (current.status !== tx.status || current.prompt !== tx.prompt)) {
      this.set(tx, current.status, current.prompt);
      this.o.onChange?.(tx);
    }
    const next = steps.find((s) => s.at > elapsed);
    if (!next || isFinal(tx)) return;
    const key = waitKey(tx);
    clearTimeout(this.timers.get(key));
    const timer = setTimeout(
      () => {
        this.timers.delete(key);
        this.advance(tx);
        this.o.store.commit().catch((err: unknown) => this.o.log({ level: 'error', msg: 'ledger write failed', err: String(err) }));
      },
      tx.startedAt + next.at - this.o.clock(),
    );
    this.timers.set(key, timer);
  }

  private set(tx: TerminalTransaction, status: TerminalStatus, prompt: string): void {
    tx.status = status;
    tx.prompt = prompt;
    if (status === 'card_read') {
      tx.card = { ...CARD };
      tx.cardToken = `tok_${randomUUID().replace(/-/g, '')}`;
      this.cards.set(tx.cardToken, tx);
    }
    if (isFinal(tx)) {
      clearTimeout(this.timers.get(waitKey(tx)));
      this.timers.delete(waitKey(tx));
      this.o.log({ msg: 'terminal', posid: tx.posid, reference: tx.reference, status });
    }
    this.o.waiters.notify(waitKey(tx));
  }
}
