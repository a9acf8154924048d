/**
 * What the simulated world does with a payment, chosen like a card network's test amounts by
 * the last two digits of the absolute amount in minor units (apps/simulator/README.md, "Outcomes by amount").
 */
export type Outcome = 'approve' | 'decline' | 'silent' | 'flaky' | 'no-late-reversal' | 'slow';

/** The scripted outcome of an amount: .51 decline, .52 silent, .53 flaky, .54 no late reversal, .55 slow. */
export function outcomeOf(amountMinor: number): Outcome {
  switch (Math.abs(amountMinor) % 100) {
    case 51:
      return 'decline';
    case 52:
      return 'silent';
    case 53:
      return 'flaky';
    case 54:
      return 'no-late-reversal';
    case 55:
      return 'slow';
    default:
      return 'approve';
  }
}

/** How many calls of each operation a flaky (.53) payment answers with 503 before it works. */
export const FLAKY_FAILURES = 3;
