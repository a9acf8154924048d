import { idempotencyKeyFrom, newPaymentId, paymentIdFromPath } from './payment-id';
import { canonicalJson, requestHash } from './request-hash';

describe('newPaymentId', () => {
  test('with an Idempotency-Key → a UUID (version 8, RFC variant), the same for the same merchant and key', () => {
    const a = newPaymentId('demo', 'order-1');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newPaymentId('demo', 'order-1')).toBe(a);
    expect(newPaymentId('demo', 'order-2')).not.toBe(a);
    expect(newPaymentId('other', 'order-1')).not.toBe(a);
  });

  test('merchant and key cannot be shifted into each other ("ab"+"c" ≠ "a"+"bc")', () => {
    expect(newPaymentId('ab', 'c')).not.toBe(newPaymentId('a', 'bc'));
  });

  test('without a key → a random UUID v4 each time', () => {
    const a = newPaymentId('demo', null);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newPaymentId('demo', null)).not.toBe(a);
  });
});

describe('idempotencyKeyFrom and paymentIdFromPath', () => {
  test('an absent or empty key → null; 128 printable characters → the key; 129 → 400', () => {
    expect(idempotencyKeyFrom(undefined)).toBeNull();
    expect(idempotencyKeyFrom('')).toBeNull();
    expect(idempotencyKeyFrom('a b~'.repeat(32))).toHaveLength(128);
    expect(() => idempotencyKeyFrom('a'.repeat(129))).toThrow(expect.objectContaining({ code: 'bad-request' }));
    expect(() => idempotencyKeyFrom('tab\there')).toThrow(expect.objectContaining({ code: 'bad-request' }));
  });

  test('a path id outside the bounded charset → not-found', () => {
    expect(paymentIdFromPath('8d0c1a2b-0000-4000-8000-000000000000')).toBe('8d0c1a2b-0000-4000-8000-000000000000');
    for (const bad of [undefined, '', 'a/b', 'a b', 'x'.repeat(129)]) {
      expect(() => paymentIdFromPath(bad)).toThrow(expect.objectContaining({ code: 'not-found' }));
    }
  });
});

describe('requestHash', () => {
  test('the same body with keys in another order → the same hash; another value → another hash', () => {
    expect(canonicalJson({ b: [1, { d: null, c: 'x' }], a: 1 })).toBe('{"a":1,"b":[1,{"c":"x","d":null}]}');
    expect(requestHash({ a: 1, b: 2 })).toBe(requestHash({ b: 2, a: 1 }));
    expect(requestHash({ a: 1, b: 2 })).not.toBe(requestHash({ a: 1, b: 3 }));
    expect(requestHash({ a: '1' })).not.toBe(requestHash({ a: 1 }));
  });
});
