import type { Acquirer } from '../acquirer';
import type { Terminal } from '../terminal';
import { StripeAccount, type StripeAccountOptions } from './stripe-account';
import { StripeAcquirer } from './stripe-acquirer';
import { StripeSwish } from './stripe-swish';
import { StripeTerminal } from './stripe-terminal';

export { StripeAccount, stripeClient, type StripeAccountOptions } from './stripe-account';
export { StripeBudget, STRIPE_ENDPOINT_LIMITS, STRIPE_LIMITS, budgetFor, endpointBudgetFor, endpointOf, modeOf, type StripeCallKind, type StripePriority } from './stripe-budget';
export type { StripeRequestEvent, StripeRequestMetrics } from './stripe-transport';
export { StripeAcquirer } from './stripe-acquirer';
export { StripeTerminal, readerTransaction } from './stripe-terminal';
export { StripeSwish, SWISH, swishPayment, swishStatus } from './stripe-swish';

/** One merchant's Stripe Terminal: its readers as the terminal, its account as the acquirer. */
export function createStripeProvider(options: StripeAccountOptions): { acquirer: Acquirer; terminal: Terminal } {
  const account = new StripeAccount(options);
  return { acquirer: new StripeAcquirer(account), terminal: new StripeTerminal(account) };
}

/** One wallet merchant's Swish on Stripe: its account as the acquirer (no readers: the customer's phone pays). */
export function createStripeSwishProvider(options: Omit<StripeAccountOptions, 'readers'>): { acquirer: Acquirer } {
  return { acquirer: new StripeSwish(new StripeAccount({ ...options, readers: {} })) };
}
