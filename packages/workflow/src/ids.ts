/** The workflow id of a payment: one workflow per paymentid, so a retried start finds the same one. */
export function paymentWorkflowId(paymentid: string): string {
  return `payment-${paymentid}`;
}
