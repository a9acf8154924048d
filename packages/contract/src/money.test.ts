import { formatMinor, parseAmount } from './money';

describe('parseAmount', () => {
  test.each([
    ['398.00', 'SEK', 39800],
    ['398', 'SEK', 39800],
    ['398.5', 'SEK', 39850],
    ['-129.00', 'SEK', -12900],
    ['0.01', 'EUR', 1],
    ['1500', 'ISK', 1500],
    ['1.234', 'KWD', 1234],
  ])('%s %s → %i minor units', (amount, currency, minor) => {
    expect(parseAmount(amount, currency)).toEqual({ ok: true, minor, decimals: expect.any(Number) });
  });

  test.each([
    ['1e3', 'exponent'],
    ['398.001', 'more decimals than SEK has'],
    ['', 'empty'],
    [' 398.00', 'padded'],
    ['398.00 ', 'padded'],
    ['-0.00', 'zero'],
    ['0.00', 'zero'],
    ['0', 'zero'],
    ['+398.00', 'plus sign'],
    ['0398.00', 'leading zero'],
    ['398.', 'trailing dot'],
    ['.50', 'no whole part'],
    ['398,00', 'comma'],
    ['99999999999.00', 'absurdly large'],
    ['NaN', 'not a number'],
    ['Infinity', 'not a number'],
  ])('refuses %j (%s)', (amount) => {
    expect(parseAmount(amount, 'SEK').ok).toBe(false);
  });

  test('refuses an unknown currency, and decimals in a currency without them', () => {
    expect(parseAmount('10.00', 'XXX')).toEqual({ ok: false, reason: 'unknown currency "XXX"' });
    expect(parseAmount('10.5', 'JPY').ok).toBe(false);
  });
});

describe('formatMinor', () => {
  test('formats minor units back to the contract string', () => {
    expect(formatMinor(39800, 'SEK')).toBe('398.00');
    expect(formatMinor(-12900, 'SEK')).toBe('-129.00');
    expect(formatMinor(5, 'EUR')).toBe('0.05');
    expect(formatMinor(1500, 'ISK')).toBe('1500');
  });

  test('round-trips every amount it parses', () => {
    for (const s of ['0.01', '1.00', '398.00', '-129.00', '9999999999.99']) {
      const parsed = parseAmount(s, 'SEK');
      expect(parsed.ok && formatMinor(parsed.minor, 'SEK')).toBe(s);
    }
  });
});
