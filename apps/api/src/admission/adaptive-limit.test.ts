import { AdaptiveLimit } from './adaptive-limit';

describe('AdaptiveLimit', () => {
  const make = (o: Partial<ConstructorParameters<typeof AdaptiveLimit>[0]> = {}) => {
    let t = 0;
    const limit = new AdaptiveLimit({ initial: 20, min: 2, max: 100, targetMs: 250, now: () => t, ...o });
    return { limit, at: (ms: number) => (t = ms) };
  };

  it('slow answers cut the limit by a fifth, once per round trip, down to the minimum', () => {
    const { limit, at } = make();
    at(1000);
    limit.learn({ startedAt: 0, latencyMs: 900, dropped: false }, 10);
    expect(limit.current).toBe(16);
    // Began before that cut: the same burst, not counted again.
    limit.learn({ startedAt: 100, latencyMs: 900, dropped: false }, 10);
    expect(limit.current).toBe(16);
    for (let i = 0; i < 30; i++) {
      at(2000 + i * 1000);
      limit.learn({ startedAt: 1500 + i * 1000, latencyMs: 900, dropped: true }, 1);
    }
    expect(limit.current).toBe(2);
  });

  it('quick answers raise it while it is in use, not while idle', () => {
    const { limit } = make();
    for (let i = 0; i < 100; i++) limit.learn({ startedAt: 0, latencyMs: 20, dropped: false }, 0);
    expect(limit.current).toBe(20);
    for (let i = 0; i < 200; i++) limit.learn({ startedAt: 0, latencyMs: 20, dropped: false }, limit.current);
    expect(limit.current).toBeGreaterThanOrEqual(26);
    for (let i = 0; i < 100_000; i++) limit.learn({ startedAt: 0, latencyMs: 20, dropped: false }, limit.current);
    expect(limit.current).toBe(100);
  });

  it('pinned, it never moves', () => {
    const { limit, at } = make({ initial: 7, min: 7, max: 7, pinned: true });
    at(1000);
    limit.learn({ startedAt: 0, latencyMs: 5000, dropped: true }, 7);
    expect(limit.current).toBe(7);
  });
});
