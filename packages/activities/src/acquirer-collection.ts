import { AlreadyApprovedError, NotFoundError, RejectedError, type Acquirer, type CreatePayment } from '@payments/adapters';
import type { CollectUpdate, PaymentInput } from '@payments/workflow';
import { toCollectUpdate, toFinalUpdate } from './collect-update';
import { idempotencyKey } from './keys';
import { pollUntil, type PollTiming } from './poll';
import { COLLECT_TEXT } from './texts';

/** What collecting at the acquirer needs. */
export interface AcquirerCollectionDeps {
  acquirer: Acquirer;
  timing: PollTiming;
}

/** The acquirer request for a payment; a refund that credits a sale goes back to its payer. */
export function acquirerRequest(input: PaymentInput, cardToken?: string): CreatePayment {
  const request: CreatePayment = {
    reference: input.paymentid,
    merchant: input.merchant,
    kind: input.kind,
    method: input.method,
    amountMinor: Math.abs(input.amountMinor),
    currencycode: input.request.currencycode,
    posid: input.request.posid,
    originalReference: input.kind === 'refund' ? input.request.creditpaymentid : null,
  };
  if (cardToken !== undefined) request.cardToken = cardToken;
  return request;
}

/**
 * Creates the payment (or finds the one a previous attempt created: the key and the reference
 * are the same). A definitive refusal is a decline for the register, not a workflow failure.
 */
export async function createAtAcquirer(
  { acquirer }: AcquirerCollectionDeps,
  input: PaymentInput,
  options: { cardToken?: string; signal?: AbortSignal } = {},
): Promise<CollectUpdate> {
  try {
    const payment = await acquirer.create(acquirerRequest(input, options.cardToken), {
      idempotencyKey: idempotencyKey(input.paymentid, 'create'),
      signal: options.signal,
    });
    return toCollectUpdate(payment);
  } catch (err) {
    if (err instanceof RejectedError) return { status: 'declined', message: COLLECT_TEXT.refused };
    throw err;
  }
}

/** Long-polls the acquirer until the payment is no longer pending. */
export function awaitAcquirer(deps: AcquirerCollectionDeps, acquirerId: string): Promise<CollectUpdate> {
  return pollUntil(deps.timing, async (signal) => {
    const payment = await deps.acquirer.get(acquirerId, { waitMs: deps.timing.pollWaitMs, signal });
    return payment.status === 'pending' ? undefined : toCollectUpdate(payment);
  });
}

/** Reads the payment at the acquirer once, without waiting (after its event, or the workflow's fallback timer). */
export async function readAcquirer({ acquirer }: AcquirerCollectionDeps, acquirerId: string, signal?: AbortSignal): Promise<CollectUpdate> {
  return toCollectUpdate(await acquirer.get(acquirerId, { signal }));
}

/**
 * Cancels at the acquirer, by id or (when a create may be in flight) by reference, which also
 * refuses a create that arrives later. Money that already moved comes back as 'approved'.
 */
export async function cancelAtAcquirer(
  { acquirer }: AcquirerCollectionDeps,
  input: PaymentInput,
  acquirerId: string | null,
): Promise<CollectUpdate> {
  const call = { idempotencyKey: idempotencyKey(input.paymentid, 'cancel') };
  try {
    const payment = acquirerId ? await acquirer.cancel(acquirerId, call) : await acquirer.cancelByReference(input.paymentid, call);
    return toFinalUpdate(payment);
  } catch (err) {
    if (err instanceof AlreadyApprovedError) return toCollectUpdate(err.payment);
    if (err instanceof NotFoundError) return { status: 'cancelled' };
    throw err;
  }
}
