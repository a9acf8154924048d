/** Answers held back: calls whose path ends with `path` execute at once and answer at `until`. */
export interface HeldAnswers {
  path: string;
  /** Epoch ms at which the held answers go out. */
  until: number;
}

/**
 * The "slow answer" fault the simulated providers share: for a while, the answers of some calls
 * wait (the call has executed, the caller does not know yet), then all go out together.
 */
export class AnswerHold {
  private hold: HeldAnswers | null = null;
  private readonly waiting = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly clock: () => number) {}

  /** Holds the matching calls' answers for ms from now; null releases the held ones at once. */
  set(hold: { path: string; ms: number } | null): void {
    clearTimeout(this.timer);
    this.hold = hold ? { path: hold.path, until: this.clock() + hold.ms } : null;
    if (hold) this.timer = setTimeout(() => this.release(), hold.ms);
    else this.release();
  }

  get current(): HeldAnswers | null {
    return this.hold && this.hold.until > this.clock() ? this.hold : null;
  }

  /** Resolves when a call to this path may answer. */
  async answerable(path: string): Promise<void> {
    const hold = this.current;
    if (!hold || !path.endsWith(hold.path)) return;
    await new Promise<void>((resolve) => this.waiting.add(resolve));
  }

  private release(): void {
    this.hold = null;
    for (const resolve of this.waiting) resolve();
    this.waiting.clear();
  }
}
