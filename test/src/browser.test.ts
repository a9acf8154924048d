// In a real browser (Debian's Chromium, headless, driven by playwright-core): an operator finds
// a payment in Temporal Web by a search attribute, and a customer approves a payment by pressing
// Pay on the simulator's wallet page. Screenshots are kept in test/artifacts/browser-*.png.
//
// The run's Temporal server is headless, so this file starts its own with Web UI (npm run temporal).
// `npm test` installs Chromium first (scripts/ensure-chromium.mjs).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { paymentWorkflowId } from '@payments/workflow';
import { Register, ledger, paymentRequest } from './support/register';
import { System, eventually } from './support/system';
import { startTemporalWeb, type TemporalWeb } from './support/temporal-web';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARTIFACTS = path.resolve(__dirname, '..', 'artifacts');
/** As the machine notes prescribe: without the background-networking flags Chromium keeps dialling out of a closed network. */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let temporal: TemporalWeb;
let system: System;
let pos: Register;
let browser: BrowserContext;
let page: Page;
const scratch: string[] = [];

const tempDir = (prefix: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  scratch.push(dir);
  return dir;
};

const screenshot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `browser-${name}.png`), fullPage: true });

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run \`node scripts/ensure-chromium.mjs\` (npm test does it), or set CHROMIUM_PATH`);
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  temporal = await startTemporalWeb();
  // The simulated customer never approves by themselves: the test presses Pay.
  system = await System.start({ temporal: { address: temporal.address }, env: { SIM_APPROVE_DELAY_MS: '600000' } });
  pos = new Register(system.apiUrl);
  browser = await chromium.launchPersistentContext(tempDir('payments-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1400, height: 900 },
  });
  page = await browser.newPage();
  page.setDefaultTimeout(30_000);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
  await temporal?.stop();
  for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
});

test('the wallet page: the customer presses Pay → the register’s GET reaches ready_to_complete, the money captured', async () => {
  const id = await pos.start(paymentRequest('398.00'));
  const scanning = await eventually(() => pos.get(id), (r) => r.body.paymentstate.qrcode !== null);
  const qrcode = scanning.body.paymentstate.qrcode!;

  await page.goto(qrcode);
  const pay = page.getByRole('button', { name: 'Pay', exact: true });
  await pay.waitFor();
  await screenshot('wallet-before-pay');
  await pay.click();
  await page.getByText('Paid', { exact: true }).waitFor();
  await screenshot('wallet-after-pay');

  const ready = await pos.until(id, ['ready_to_complete']);
  expect(ready.paymentstate.receiptrow).not.toBe('');
  // Held at approval; captured only once the register completes.
  expect(await ledger(system.simUrl, id)).toMatchObject({ authorizedMinor: 39800, capturedMinor: 0 });
  await pos.put(id, 'completed');
  expect(await eventually(() => ledger(system.simUrl, id), (m) => m?.confirmed === true)).toMatchObject({ capturedMinor: 39800 });
});

test('Temporal Web: the workflows list filtered by ReceiptId shows the payment; its page shows the summary and receipt', async () => {
  const receiptid = `WEB-${Date.now()}`;
  const id = await pos.start(paymentRequest('123.45', { receiptid }));
  const workflowId = paymentWorkflowId(id);
  const query = `ReceiptId="${receiptid}"`;
  const listUrl = `${temporal.uiUrl}/namespaces/default/workflows?query=${encodeURIComponent(query)}`;

  // Visibility can lag the start by a moment: reload until the list has it.
  const row = page.getByRole('link', { name: workflowId, exact: true });
  await eventually(
    async () => {
      await page.goto(listUrl);
      return row.waitFor({ timeout: 5_000 }).then(
        () => true,
        () => false,
      );
    },
    (shown) => shown,
    30_000,
    0,
  );
  // Only this payment: the other one on this server has another receipt.
  expect(await page.getByRole('link', { name: /^payment-/ }).count()).toBe(1);
  await screenshot('temporal-web-list-by-receipt');

  await row.click();
  // The User Metadata tab: summary and details as set at start, current details as the workflow
  // moves (each rendered in its own frame).
  await page.getByText('User Metadata', { exact: true }).click();
  const panels = page.locator('iframe');
  await panels.nth(0).contentFrame().getByText('Sale 123.45 SEK · store 1 · POS SIE0000160000051').waitFor();
  await panels.nth(1).contentFrame().getByText(`receipt ${receiptid}`).waitFor();
  await screenshot('temporal-web-payment');

  await pos.put(id, 'cancelled');
});
