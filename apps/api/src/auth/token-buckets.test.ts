import { loadApiConfig } from '@payments/config';
import { TokenBuckets } from './token-buckets';

describe('TokenBuckets', () => {
  test('a full bucket gives `capacity` tokens at once, then one per 1/perSecond', () => {
    const buckets = new TokenBuckets({ capacity: 3, perSecond: 2 });
    expect([0, 0, 0].map(() => buckets.take('k', 1000))).toEqual([0, 0, 0]);
    expect(buckets.take('k', 1000)).toBe(500);
    expect(buckets.take('k', 1499)).toBe(1);
    expect(buckets.take('k', 1500)).toBe(0);
    expect(buckets.take('k', 1500)).toBe(500);
  });

  test('never more than `capacity` tokens, however long the bucket sat', () => {
    const buckets = new TokenBuckets({ capacity: 2, perSecond: 1 });
    buckets.take('k', 0);
    expect([0, 0, 0].map(() => buckets.take('k', 1_000_000))).toEqual([0, 0, 1000]);
  });

  test('keys are independent', () => {
    const buckets = new TokenBuckets({ capacity: 1, perSecond: 1 });
    expect(buckets.take('a', 0)).toBe(0);
    expect(buckets.take('a', 0)).toBe(1000);
    expect(buckets.take('b', 0)).toBe(0);
  });

  test('wait() says how long until a token, and takes none', () => {
    const buckets = new TokenBuckets({ capacity: 1, perSecond: 0.5 });
    expect(buckets.wait('k', 0)).toBe(0);
    buckets.take('k', 0);
    expect(buckets.wait('k', 0)).toBe(2000);
    expect(buckets.wait('k', 1500)).toBe(500);
    expect(buckets.take('k', 2000)).toBe(0);
  });

  test('at most maxKeys buckets: the least recently used is forgotten (it starts full again)', () => {
    const buckets = new TokenBuckets({ capacity: 1, perSecond: 0.001, maxKeys: 2 });
    buckets.take('a', 0);
    buckets.take('b', 0);
    buckets.take('c', 0);
    expect(buckets.wait('a', 0)).toBe(0);
    expect(buckets.wait('c', 0)).toBeGreaterThan(0);
  });

  test('the default per-credential limit: 50 registers polling every 250 ms for a minute are never refused', () => {
    const { rateLimit } = loadApiConfig({}).security;
    const buckets = new TokenBuckets({ capacity: rateLimit.burst, perSecond: rateLimit.perSecond });
    let refused = 0;
    for (let ms = 0; ms < 60_000; ms += 250) {
      for (let register = 0; register < 50; register++) if (buckets.take('merchant-user', ms) > 0) refused++;
    }
    expect(refused).toBe(0);
  });
});
