/** What the register's screen shows at each step (paymentstate.message), English by default. */
export const TEXT = {
  starting: 'Starting payment',
  refundStarting: 'Starting refund',
  approved: 'Payment approved',
  refundApproved: 'Refund approved',
  completed: 'Payment completed',
  refundCompleted: 'Refund completed',
  declined: 'Payment declined',
  expired: 'Payment timed out: the customer did not approve',
  cancelledByRegister: 'Payment cancelled',
  cancelledAtTerminal: 'Payment cancelled at the terminal',
  cancelledAndReversed: 'Payment cancelled and reversed',
  notAcknowledged: 'Payment cancelled: the register did not confirm in time, money returned',
  refundRefused: 'Refund refused',
} as const;
