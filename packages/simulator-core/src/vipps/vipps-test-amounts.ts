import { outcomeOf } from '../outcome';

/**
 * What the simulated customer does in "the app", chosen like the other simulators' test amounts
 * by the last two digits of the amount in minor units: .51 declines (ABORTED), .52 never
 * answers (EXPIRED when the payment expires), .56 opens the payment and lets it time out at once
 * (EXPIRED after the approve delay: our addition, to test expiry without waiting minutes);
 * anything else approves. .53 (flaky) and .55 (slow) shape the API's answers, not the customer.
 */
export type VippsCustomer = 'approve' | 'decline' | 'silent' | 'expire';

export function vippsCustomerFor(value: number): VippsCustomer {
  if (value % 100 === 56) return 'expire';
  switch (outcomeOf(value)) {
    case 'decline':
      return 'decline';
    case 'silent':
      return 'silent';
    case 'approve':
    case 'flaky':
    case 'no-late-reversal':
    case 'slow':
      return 'approve';
  }
}
