import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { basic } from '../__fixtures__/harness';
import { CredentialStore } from './credential-store';
import { rereadCredentials } from './reread-credentials';

let dir: string;
let file: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-credentials-'));
  file = path.join(dir, 'credentials.json');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function setup(first: unknown) {
  fs.writeFileSync(file, JSON.stringify(first));
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  const store = new CredentialStore([{ username: 'shop', passwords: ['old-password'], merchant: 'acme' }]);
  const reread = () => rereadCredentials({ store, env: { SPI_CREDENTIALS_FILE: file }, production: true, logger });
  return { store, lines, reread };
}

describe('rereadCredentials (what SIGHUP does)', () => {
  test('a good file → its credentials from now on: a removed password stops working at once, even one verified a moment ago', async () => {
    const { store, lines, reread } = setup([]);
    expect(await store.authenticate(basic('shop:old-password'))).toEqual({ username: 'shop', merchant: 'acme' });
    fs.writeFileSync(file, JSON.stringify([{ username: 'shop', password: 'new-password', merchant: 'acme' }]));
    expect(reread()).toBe(true);
    expect(await store.authenticate(basic('shop:new-password'))).toEqual({ username: 'shop', merchant: 'acme' });
    expect(await store.authenticate(basic('shop:old-password'))).toBeNull();
    expect(lines).toEqual([expect.objectContaining({ level: 30, msg: 'credentials re-read from SPI_CREDENTIALS_FILE', file, usernames: 1 })]);
  });

  test.each([
    ['broken JSON', '[{"username":', 'SPI_CREDENTIALS_FILE: is not valid JSON'],
    ['an entry without a password', JSON.stringify([{ username: 'shop', merchant: 'acme' }]), 'SPI_CREDENTIALS_FILE: entry 0 needs a non-empty string "password" (or "passwords": [new, old])'],
    ['the dev credential in production', JSON.stringify([{ username: 'demo', password: 'demo', merchant: 'demo' }]), 'SPI_CREDENTIALS_FILE: holds the dev credential demo/demo, refused when NODE_ENV=production'],
  ])('a bad file (%s) → the credentials in use stay, and one error line says why', async (_, content, problem) => {
    const { store, lines, reread } = setup([]);
    fs.writeFileSync(file, content);
    expect(reread()).toBe(false);
    expect(await store.authenticate(basic('shop:old-password'))).toEqual({ username: 'shop', merchant: 'acme' });
    expect(lines).toEqual([expect.objectContaining({ level: 50, problem, msg: `credentials not re-read, the ones in use stay: ${problem}` })]);
  });

  test('a file that is gone → the credentials in use stay', async () => {
    const { store, lines } = setup([]);
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    expect(rereadCredentials({ store, env: { SPI_CREDENTIALS_FILE: path.join(dir, 'gone.json') }, production: false, logger })).toBe(false);
    expect(await store.authenticate(basic('shop:old-password'))).not.toBeNull();
    expect(lines).toEqual([expect.objectContaining({ level: 50, problem: 'SPI_CREDENTIALS_FILE: cannot be read: ENOENT' })]);
  });

  test('credentials from SPI_CREDENTIALS → nothing to re-read: a warning, nothing changes', async () => {
    const { store, lines } = setup([]);
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    expect(rereadCredentials({ store, env: { SPI_CREDENTIALS: '[]' }, production: false, logger })).toBe(false);
    expect(await store.authenticate(basic('shop:old-password'))).not.toBeNull();
    expect(lines).toEqual([expect.objectContaining({ level: 40 })]);
  });
});
