/** Long-poll support: callers wait on a key until it changes, a deadline passes, or the simulator closes. */
export class Waiters {
  private readonly byKey = new Map<string, Set<() => void>>();
  private isClosed = false;

  /** After close, waits answer at once: loops must stop waiting. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Resolves when `notify(key)` is called, after `ms`, or at close; never rejects. */
  wait(key: string, ms: number): Promise<void> {
    if (this.isClosed || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const set = this.byKey.get(key) ?? new Set<() => void>();
      this.byKey.set(key, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0 && this.byKey.get(key) === set) this.byKey.delete(key);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }

  /** Wakes every caller waiting on key. */
  notify(key: string): void {
    for (const done of [...(this.byKey.get(key) ?? [])]) done();
  }

  /** Wakes everyone, and answers later waits at once: the server can then close. */
  close(): void {
    this.isClosed = true;
    for (const key of [...this.byKey.keys()]) this.notify(key);
  }
}
