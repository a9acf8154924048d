// The browser test (test/src/browser.test.ts) drives Debian's Chromium with playwright-core:
// Playwright's own browser download cannot work on our machines. A fresh machine has no
// Chromium, so `npm test` installs Debian's package once (as root, with apt-get); later runs
// find it and take no time. Plain Node: runs before `npm install`.
// `node scripts/ensure-chromium.mjs` does the same from a shell.
import { existsSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { run } from './run.mjs';

/** Where the browser test looks for Chromium; CHROMIUM_PATH points it elsewhere. */
export const chromiumPath = () => process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Resolves with Chromium's path, installing Debian's `chromium` first when it is missing. */
export async function ensureChromium({ log = console.log } = {}) {
  const path = chromiumPath();
  if (existsSync(path)) {
    log(`[chromium] ${path} is installed`);
    return path;
  }
  if (process.env.CHROMIUM_PATH) throw new Error(`CHROMIUM_PATH=${path}: no such file`);
  const root = process.getuid?.() === 0;
  if (!root || !existsSync('/usr/bin/apt-get')) {
    throw new Error(`${path} is missing and this script can only install it as root with apt-get: run \`sudo apt-get install -y chromium\`, or set CHROMIUM_PATH`);
  }
  log('[chromium] installing Debian\'s chromium with apt-get (once per machine; a minute or two)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', DEBCONF_NOWARNINGS: 'yes' };
  await run('apt-get', ['update', '-qq'], { env });
  await run('apt-get', ['install', '-y', '-qq', 'chromium'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  if (!existsSync(path)) throw new Error(`apt-get installed chromium, but ${path} is still missing`);
  log(`[chromium] installed ${path}`);
  return path;
}

if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureChromium().catch((err) => {
    console.error(err.message);
    process.exit(err.exitCode ?? 1);
  });
}
