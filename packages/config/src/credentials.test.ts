import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { problemOf } from './__fixtures__/config-problem';
import { loadApiConfig, loadCredentials } from './index';

const problem = problemOf(loadApiConfig);

let dir: string;
const write = (name: string, content: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'config-credentials-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('SPI_CREDENTIALS: one password, or two while the registers are moved to the new one', () => {
  test('"password" → one password; "passwords": [new, old] → both open the credential', () => {
    const env = {
      SPI_CREDENTIALS: JSON.stringify([
        { username: 'shop-1', password: 'only-one', merchant: 'acme' },
        { username: 'shop-2', passwords: ['the-new-one', 'the-old-one'], merchant: 'acme' },
      ]),
    };
    expect(loadApiConfig(env).api.credentials).toEqual([
      { username: 'shop-1', passwords: ['only-one'], merchant: 'acme' },
      { username: 'shop-2', passwords: ['the-new-one', 'the-old-one'], merchant: 'acme' },
    ]);
  });

  test.each([
    [[{ username: 'a', passwords: ['x', 'y', 'z'], merchant: 'm' }], /^SPI_CREDENTIALS: entry 0 \("a"\): "passwords" must list 1 or 2 non-empty strings/],
    [[{ username: 'a', passwords: [], merchant: 'm' }], /"passwords" must list 1 or 2/],
    [[{ username: 'a', passwords: ['x', ''], merchant: 'm' }], /"passwords" must list 1 or 2/],
    [[{ username: 'a', passwords: 'x', merchant: 'm' }], /"passwords" must list 1 or 2/],
    [[{ username: 'a', password: 'x', passwords: ['y'], merchant: 'm' }], /^SPI_CREDENTIALS: entry 0 \("a"\) has both "password" and "passwords"/],
    [[{ username: 'a', merchant: 'm' }], /^SPI_CREDENTIALS: entry 0 needs a non-empty string "password"/],
    [[{ username: 'a', password: 'x', merchant: 'm' }, { username: 'a', password: 'y', merchant: 'n' }], /^SPI_CREDENTIALS: username "a" appears twice/],
  ])('refused, naming the variable and the entry: %j', (list, why) => {
    expect(problem({ SPI_CREDENTIALS: JSON.stringify(list) })).toMatch(why);
  });

  test('NODE_ENV=production refuses demo/demo as either of two passwords', () => {
    const list = [{ username: 'demo', passwords: ['n3w-long-secret', 'demo'], merchant: 'demo' }];
    expect(problem({ NODE_ENV: 'production', SPI_CREDENTIALS: JSON.stringify(list), VIEW_PUSH_SECRET: 'v'.repeat(32) })).toMatch(/dev credential/);
  });
});

describe('SPI_CREDENTIALS_FILE: the same JSON in a file the API re-reads on SIGHUP', () => {
  const list = [{ username: 'shop', passwords: ['new-secret', 'old-secret'], merchant: 'acme' }];

  test('read at start: the file’s credentials, and its path kept for re-reading', () => {
    const file = write('good.json', JSON.stringify(list));
    const c = loadApiConfig({ SPI_CREDENTIALS_FILE: file });
    expect(c.api.credentials).toEqual(list);
    expect(c.api.credentialsFile).toBe(file);
    expect(loadApiConfig({}).api.credentialsFile).toBeNull();
  });

  test('it satisfies NODE_ENV=production as SPI_CREDENTIALS does', () => {
    const file = write('prod.json', JSON.stringify(list));
    expect(problem({ NODE_ENV: 'production', SPI_CREDENTIALS_FILE: file, VIEW_PUSH_SECRET: 'v'.repeat(32) })).toBeNull();
    const demo = write('demo.json', JSON.stringify([{ username: 'demo', password: 'demo', merchant: 'demo' }]));
    expect(problem({ NODE_ENV: 'production', SPI_CREDENTIALS_FILE: demo })).toBe('SPI_CREDENTIALS_FILE: holds the dev credential demo/demo, refused when NODE_ENV=production');
  });

  test.each([
    [() => ({ SPI_CREDENTIALS_FILE: path.join(dir, 'missing.json') }), 'SPI_CREDENTIALS_FILE: cannot be read: ENOENT'],
    [() => ({ SPI_CREDENTIALS_FILE: write('broken.json', '[{"username":') }), 'SPI_CREDENTIALS_FILE: is not valid JSON'],
    [() => ({ SPI_CREDENTIALS_FILE: write('empty.json', '[]') }), 'SPI_CREDENTIALS_FILE: must be a non-empty JSON list of {username, password, merchant}'],
    [() => ({ SPI_CREDENTIALS_FILE: write('ok.json', JSON.stringify(list)), SPI_CREDENTIALS: JSON.stringify(list) }), 'SPI_CREDENTIALS_FILE: and SPI_CREDENTIALS are both set: keep one'],
  ])('a file that cannot serve → one line naming SPI_CREDENTIALS_FILE (%#)', (env, message) => {
    expect(problem(env())).toBe(message);
  });

  test('loadCredentials reads the file again each time: what SIGHUP uses', () => {
    const file = write('rotating.json', JSON.stringify(list));
    expect(loadCredentials({ SPI_CREDENTIALS_FILE: file }, true).credentials[0]?.passwords).toEqual(['new-secret', 'old-secret']);
    fs.writeFileSync(file, JSON.stringify([{ username: 'shop', password: 'new-secret', merchant: 'acme' }]));
    expect(loadCredentials({ SPI_CREDENTIALS_FILE: file }, true).credentials[0]?.passwords).toEqual(['new-secret']);
  });
});
