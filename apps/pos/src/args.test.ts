import { parsePosArgs, UsageError } from './args';

const parse = (line: string, env: Record<string, string> = {}) => parsePosArgs(line.split(' ').filter(Boolean), env);
const usage = (line: string) => {
  try {
    parse(line);
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  return null;
};

test('sale 398.00 → a SEK sale against the local API with the dev credential', () => {
  expect(parse('sale 398.00')).toEqual({
    kind: 'sale',
    amount: '398.00',
    currencycode: 'SEK',
    creditpaymentid: null,
    cancelAt: null,
    silent: false,
    url: 'http://127.0.0.1:3000',
    user: 'demo',
    password: 'demo',
    posid: 'POS-SIM-1',
    width: 32,
  });
});

test('refund 129.00 --credit <id> → a negative amount crediting the sale; "-129.00" is read the same', () => {
  expect(parse('refund 129.00 --credit 8d0c')).toMatchObject({ kind: 'refund', amount: '-129.00', creditpaymentid: '8d0c' });
  expect(parse('refund -129.00')).toMatchObject({ amount: '-129.00', creditpaymentid: null });
});

test('options: --cancel-at, --silent, --url, --user, --password, --currency, --width; SPI_URL/SPI_USER/SPI_PASSWORD/PORT from the environment', () => {
  expect(parse('sale 5 --cancel-at ready --url http://pos.test:8080 --user shop --password s3cret --currency eur --width 42')).toMatchObject({
    cancelAt: 'ready',
    url: 'http://pos.test:8080',
    user: 'shop',
    password: 's3cret',
    currencycode: 'EUR',
    width: 42,
  });
  expect(parse('sale 5 --silent')).toMatchObject({ silent: true, cancelAt: null });
  expect(parse('sale 5', { SPI_URL: 'http://api:3000', SPI_USER: 'u', SPI_PASSWORD: 'p' })).toMatchObject({ url: 'http://api:3000', user: 'u', password: 'p' });
  expect(parse('sale 5', { PORT: '3999' })).toMatchObject({ url: 'http://127.0.0.1:3999' });
  expect(parse('--help')).toBe('help');
});

test.each([
  ['', /sale or refund/],
  ['pay 5', /sale or refund/],
  ['sale', /needs an amount/],
  ['sale 5 6', /unexpected argument/],
  ['sale 1.234', /at most 2 decimals/],
  ['sale 0', /not be zero/],
  ['sale -5', /positive amount/],
  ['sale 5 --credit abc', /--credit is for refunds/],
  ['sale 5 --cancel-at later', /--cancel-at is one of inprogress, ready, completed/],
  ['sale 5 --cancel-at ready --silent', /exclude each other/],
  ['sale 5 --width 10', /--width/],
  ['sale 5 --url nope', /--url must be a URL/],
  ['sale 5 --bogus', /Unknown option/],
])('%j → a usage error: %s', (line, message) => {
  expect(usage(line)).toMatch(message);
});
