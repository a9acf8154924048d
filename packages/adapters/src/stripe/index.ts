import type { Acquirer } from '../acquirer';
import type { Terminal } from '../terminal';
import { StripeAccount, type StripeAccountOptions } from './stripe-account';
import { StripeAcquirer } from './stripe-acquirer';
import { StripeTerminal } from './stripe-terminal';

export { StripeAccount, stripeClient, type StripeAccountOptions } from './stripe-account';
export { StripeBudget, STRIPE_ENDPOINT_LIMITS, STRIPE_LIMITS, budgetFor, endpointBudgetFor, endpointOf, modeOf, type StripeCallKind, type StripePriority } from './stripe-budget';
export type { StripeRequestEvent, StripeRequestMetrics } from './stripe-transport';
export { StripeAcquirer } from './stripe-acquirer';
export { StripeTerminal, readerTransaction } from './stripe-terminal';

/** One merchant's Stripe Terminal: its readers as the terminal, its account as the acquirer. */
export function createStripeProvider(options: StripeAccountOptions): { acquirer: Acquirer; terminal: Terminal } {
  const account = new StripeAccount(options);
  return { acquirer: new StripeAcquirer(account), terminal: new StripeTerminal(account) };
}
