import type { CollectUpdate, PaymentInput, ReserveRefundRequest, RefundOutcome } from './types';

/**
 * The activities the payment workflow calls. Workflow code imports this interface as a type
 * only; @payments/activities implements it over the acquirer and terminal adapters.
 */
export interface PaymentActivities {
  /** Starts collecting the money: a wallet request with its QR code, or the card terminal. */
  startCollection(input: PaymentInput): Promise<CollectUpdate>;
  /** Waits (heartbeating) until the collection changes: a new prompt, approved, declined. */
  awaitCollection(args: { input: PaymentInput; acquirerId: string | null; lastMessage: string }): Promise<CollectUpdate>;
  /**
   * Reads the collection once, without waiting: after the provider's event, or when none came
   * for a while. A card the terminal has read is authorised at the acquirer in the same call.
   */
  readCollection(args: { input: PaymentInput; acquirerId: string | null }): Promise<CollectUpdate>;
  /** Stops the collection; answers 'approved' when the money had already moved (then we reverse). */
  cancelCollection(args: { input: PaymentInput; acquirerId: string | null }): Promise<CollectUpdate>;
  /** Gives the money back. Non-retryable 'reversal-refused' when the acquirer will not. */
  reversePayment(args: { input: PaymentInput; acquirerId: string; reason: string }): Promise<void>;
  /** Tells the acquirer the register accepted the payment. */
  confirmPayment(args: { input: PaymentInput; acquirerId: string }): Promise<void>;
  /** Reserves a refund against the sale it credits; non-retryable failure when refused. */
  reserveRefund(args: { salePaymentId: string; request: ReserveRefundRequest }): Promise<void>;
  /** Tells the sale how a refund that reserved against it ended. */
  finishRefund(args: { salePaymentId: string; outcome: RefundOutcome }): Promise<void>;
}
