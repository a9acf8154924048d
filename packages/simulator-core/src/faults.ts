import { setTimeout as delay } from 'node:timers/promises';
import { FLAKY_FAILURES, outcomeOf } from './outcome';
import { SimError } from './sim-error';

/** Acquirer operations that .53 fails separately. */
export type AcquirerOperation = 'create' | 'get' | 'cancel' | 'reversal' | 'confirm';

/**
 * The acquirer's misbehaviour: down for everyone (POST /sim/faults), flaky for .53 amounts,
 * slow for .55. Flaky counts live in memory: after a restart a .53 payment fails 3 times again.
 */
export class Faults {
  private down = false;
  private downTimer: NodeJS.Timeout | undefined;
  private readonly failures = new Map<string, number>();
  private readonly closing = new AbortController();

  constructor(private readonly slowCallMs: number) {}

  /** Takes the acquirer down or up; with forMs it comes back up by itself. */
  setDown(down: boolean, forMs?: number): void {
    clearTimeout(this.downTimer);
    this.down = down;
    if (down && forMs !== undefined) this.downTimer = setTimeout(() => (this.down = false), forMs);
  }

  get isDown(): boolean {
    return this.down;
  }

  /** 503 for every acquirer call while down. */
  assertUp(): void {
    if (this.down) throw new SimError(503, 'unavailable', 'the acquirer is down');
  }

  /** 503 for the first calls of each operation on a .53 payment. */
  gate(op: AcquirerOperation, reference: string | undefined, amountMinor: number | undefined): void {
    if (reference === undefined || amountMinor === undefined || outcomeOf(amountMinor) !== 'flaky') return;
    const key = `${reference}:${op}`;
    const n = this.failures.get(key) ?? 0;
    if (n < FLAKY_FAILURES) {
      this.failures.set(key, n + 1);
      throw new SimError(503, 'unavailable', `the acquirer is flaky (${n + 1} of ${FLAKY_FAILURES})`);
    }
  }

  /** A .55 payment's calls take slowCallMs; cut short when the simulator closes. */
  async slow(amountMinor: number | undefined): Promise<void> {
    if (amountMinor === undefined || outcomeOf(amountMinor) !== 'slow' || this.closing.signal.aborted) return;
    await delay(this.slowCallMs, undefined, { signal: this.closing.signal }).catch(() => undefined);
  }

  close(): void {
    clearTimeout(this.downTimer);
    this.closing.abort();
  }
}
