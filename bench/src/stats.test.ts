import { median, percentile, summarize } from './stats';

describe('percentile', () => {
  it('nearest rank: p50 of 1..100 is 50, p99 is 99, p100 is 100', () => {
    const a = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(a, 50)).toBe(50);
    expect(percentile(a, 99)).toBe(99);
    expect(percentile(a, 100)).toBe(100);
  });
  it('p99 of ten samples is the largest: one slow request in ten is the tail', () => {
    expect(percentile(Float64Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1, 9]), 99)).toBe(9);
  });
  it('of nothing is NaN', () => {
    expect(percentile(new Float64Array(0), 50)).toBeNaN();
  });
});

describe('summarize', () => {
  it('sorts its input and keeps the error count', () => {
    const s = summarize(Float64Array.from([5, 1, 3]), 2);
    expect(s).toMatchObject({ count: 3, errors: 2, p50: 3, max: 5, mean: 3 });
  });
});

describe('median', () => {
  it('of an even count averages the middle two, ignoring NaN', () => {
    expect(median([4, 1, NaN, 3, 2])).toBe(2.5);
  });
});
