/** What the register's screen shows while the activities collect (paymentstate.message). */
export const COLLECT_TEXT = {
  scanToPay: 'Scan the QR code with your wallet app',
  scanToReceive: 'Scan the QR code with your wallet app to receive the refund',
  awaitingAcquirer: 'Waiting for the acquirer',
  declined: 'Payment declined',
  refused: 'The acquirer refused the payment',
  expired: 'The wallet request expired',
  terminalBusy: 'The card terminal is busy with another payment',
  terminalTimeout: 'No card was presented',
} as const;
