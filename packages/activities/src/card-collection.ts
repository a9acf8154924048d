import { Context } from '@temporalio/activity';
import { RejectedError, TerminalBusyError, type StartTransaction, type TerminalTransaction, type Terminal } from '@payments/adapters';
import type { CollectUpdate, PaymentInput } from '@payments/workflow';
import { awaitAcquirer, cancelAtAcquirer, createAtAcquirer, readAcquirer, type AcquirerCollectionDeps } from './acquirer-collection';
import { pollUntil } from './poll';
import { COLLECT_TEXT } from './texts';

/** What collecting by card needs: the register's terminal reads the card, the acquirer authorises it. */
export interface CardCollectionDeps extends AcquirerCollectionDeps {
  terminal: Terminal;
}

/** What the workflow learns from the terminal; a read card is authorised at the acquirer at once. */
async function fromTransaction(
  deps: CardCollectionDeps,
  { input, tx, signal }: { input: PaymentInput; tx: TerminalTransaction; signal?: AbortSignal },
): Promise<CollectUpdate> {
  switch (tx.status) {
    case 'prompting':
      return { status: 'pending', message: tx.prompt, qrcode: null, acquirerId: null };
    case 'card_read':
      if (!tx.cardToken) throw new Error(`terminal reported card_read for ${tx.reference} without a card token`);
      return createAtAcquirer(deps, input, { cardToken: tx.cardToken, signal });
    case 'declined':
      return { status: 'declined', message: tx.prompt || COLLECT_TEXT.declined };
    case 'timeout':
      return { status: 'declined', message: COLLECT_TEXT.terminalTimeout };
    case 'cancelled':
      return { status: 'cancelled' };
  }
}

/** What the terminal is asked to collect; get and cancel pass it too, for a terminal that finds a transaction by its start. */
function startTransaction(input: PaymentInput): StartTransaction {
  return {
    posid: input.request.posid,
    reference: input.paymentid,
    kind: input.kind,
    amountMinor: Math.abs(input.amountMinor),
    currencycode: input.request.currencycode,
  };
}

/** Starts the register's terminal prompting (or picks up the transaction a previous attempt started). */
export async function startCard(deps: CardCollectionDeps, input: PaymentInput): Promise<CollectUpdate> {
  let tx: TerminalTransaction;
  try {
    // The activity's cancellation (a local attempt timed out) ends a call still queued for the
    // provider's rate budget, so the attempt that follows does not send it twice.
    tx = await deps.terminal.start(startTransaction(input), { signal: Context.current().cancellationSignal });
  } catch (err) {
    if (err instanceof TerminalBusyError) return { status: 'declined', message: COLLECT_TEXT.terminalBusy };
    if (err instanceof RejectedError) return { status: 'declined', message: COLLECT_TEXT.refused };
    throw err;
  }
  return fromTransaction(deps, { input, tx });
}

/** Long-polls the terminal until its prompt differs from lastMessage, then authorises a read card. */
export function awaitCard(
  deps: CardCollectionDeps,
  { input, acquirerId, lastMessage }: { input: PaymentInput; acquirerId: string | null; lastMessage: string },
): Promise<CollectUpdate> {
  if (acquirerId !== null) return awaitAcquirer(deps, acquirerId);
  return pollUntil(deps.timing, async (signal) => {
    const tx = await deps.terminal.get(input.request.posid, input.paymentid, { waitMs: deps.timing.pollWaitMs, after: lastMessage, signal, started: startTransaction(input) });
    if (tx.status === 'prompting' && tx.prompt === lastMessage) return undefined;
    return fromTransaction(deps, { input, tx, signal });
  });
}

/**
 * Reads the terminal once, without waiting, and authorises a read card at once, as the long
 * poll does; once authorising, the acquirer's payment is read instead.
 */
export async function readCard(
  deps: CardCollectionDeps,
  { input, acquirerId, signal }: { input: PaymentInput; acquirerId: string | null; signal?: AbortSignal },
): Promise<CollectUpdate> {
  if (acquirerId !== null) return readAcquirer(deps, acquirerId, signal);
  const tx = await deps.terminal.get(input.request.posid, input.paymentid, { signal, started: startTransaction(input) });
  return fromTransaction(deps, { input, tx, signal });
}

/**
 * Stops the terminal. Once the card was read, an authorisation may be in flight from an
 * activity that was cancelled meanwhile: cancel at the acquirer by reference, which either
 * finds the money moved (approved: the workflow reverses it) or refuses the late request.
 */
export async function cancelCard(deps: CardCollectionDeps, input: PaymentInput, acquirerId: string | null): Promise<CollectUpdate> {
  if (acquirerId !== null) return cancelAtAcquirer(deps, input, acquirerId);
  const tx = await deps.terminal.cancel(input.request.posid, input.paymentid, { started: startTransaction(input), signal: Context.current().cancellationSignal });
  if (!tx) return { status: 'cancelled' };
  if (tx.status === 'card_read') return cancelAtAcquirer(deps, input, null);
  if (tx.status === 'prompting') return { status: 'cancelled' };
  return fromTransaction(deps, { input, tx });
}
