/**
 * Strings remembered until a time each, in memory and bounded: past `max` entries the oldest
 * goes first. Used to recognise a callback seen before within its tolerance window.
 */
export class ExpiringSet {
  private readonly until = new Map<string, number>();

  constructor(private readonly max = 100_000) {}

  has(value: string, now: number): boolean {
    const expires = this.until.get(value);
    if (expires === undefined) return false;
    if (expires > now) return true;
    this.until.delete(value);
    return false;
  }

  /** Remembers a value until `expiresAt`; false if it was already there (and not expired). */
  add(value: string, expiresAt: number, now: number): boolean {
    if (this.has(value, now)) return false;
    this.until.set(value, expiresAt);
    if (this.until.size > this.max) this.prune(now);
    return true;
  }

  delete(value: string): void {
    this.until.delete(value);
  }

  get size(): number {
    return this.until.size;
  }

  /** Drops the expired, then the oldest down to 90 % of `max`, so that a full set is not scanned on every add. */
  private prune(now: number): void {
    for (const [value, expires] of this.until) if (expires <= now) this.until.delete(value);
    while (this.until.size > Math.floor(this.max * 0.9)) {
      const oldest = this.until.keys().next();
      if (oldest.done) break;
      this.until.delete(oldest.value);
    }
  }
}
