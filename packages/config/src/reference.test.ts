import * as fs from 'node:fs';
import * as path from 'node:path';
import { SCHEMAS, configurationReference } from './index';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const committed = () => fs.readFileSync(path.join(ROOT, 'docs', 'configuration.md'), 'utf8');

test('docs/configuration.md is what `npm run docs:config` writes from the declarations (run it after changing a variable)', () => {
  expect(committed()).toBe(configurationReference(SCHEMAS));
});

test('the reference lists every declared variable once, with its readers and whether it is a secret', () => {
  const text = committed();
  const declared = new Set(SCHEMAS.flatMap((s) => s.variables.map((v) => v.name)));
  for (const name of declared) expect(text.split('\n').filter((l) => l.startsWith(`| \`${name}\` |`))).toHaveLength(1);
  expect(text).toMatch(/^\| `SPI_CREDENTIALS` \| .* \| api, npm start, npm run cluster \| yes \|$/m);
  expect(text).toMatch(/^\| `PORT` \| `3000` \| whole number 0–65535 \| .* \| api, pos, npm start, npm run cluster \| {2}\|$/m);
  expect(text).toMatch(/^\| `ACQUIRER_URL` \| `http:\/\/127\.0\.0\.1:3100` \| URL \| .* \| worker \| {2}\|$/m);
});
