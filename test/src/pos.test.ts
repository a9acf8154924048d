// The register simulator (`npm run pos`) against the real processes: what a person sees in the
// terminal, its exit code, and the money that moved.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { ledger } from './support/register';
import { System, eventually } from './support/system';

const POS = path.resolve(__dirname, '..', '..', 'apps', 'pos', 'dist', 'main.js');

let system: System;

beforeAll(async () => {
  // Slow enough an approval that the register shows the QR code before the customer "scans" it.
  system = await System.start({ env: { SIM_APPROVE_DELAY_MS: '1500' } });
});
afterAll(() => system?.stop());

/** Runs `npm run pos -- <args>` (the built CLI) to its end, as a cashier would from a shell. */
function pos(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [POS, ...args, '--url', system.apiUrl], { env: { PATH: process.env.PATH ?? '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const paymentIdIn = (stdout: string) => /payment ([0-9a-f-]{36}) started/.exec(stdout)?.[1];

let saleId: string | undefined;

test('pos sale 398.00 → the QR code, each message, PUT completed, the receipt in two 32-character columns; exit 0', async () => {
  const run = await pos('sale', '398.00');
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  saleId = paymentIdIn(run.stdout);
  expect(saleId).toBeDefined();

  const out = run.stdout;
  expect(out).toMatch(/inprogress +\S/);
  expect(out).toMatch(/[█▀▄]{7}/); // the QR code, drawn
  expect(out).toContain(`${system.simUrl}/wallet/`);
  expect(out).toMatch(/ready_to_complete +\S/);
  expect(out).toContain('→ PUT completed');
  expect(out).toMatch(/completed +Payment completed/);
  const lines = out.split('\n');
  expect(lines).toContain('Custom Payment        398.00 SEK');
  expect(lines).toContain(`Amount${' '.repeat(16)}398.00 SEK`);
  expect(lines.some((l) => /^Ref {2,}\S+$/.test(l) && l.length === 32)).toBe(true);
  expect(lines.at(-2)).toBe('COMPLETED');

  expect(await eventually(() => ledger(system.simUrl, saleId!), (m) => m?.confirmed === true)).toMatchObject({ capturedMinor: 39800, reversedMinor: 0 });
});

test('pos refund 129.00 --credit <the sale> → a completed refund printed as "Refunded"; exit 0', async () => {
  expect(saleId).toBeDefined();
  const run = await pos('refund', '129.00', '--credit', saleId!);
  expect(run.code).toBe(0);
  const lines = run.stdout.split('\n');
  expect(lines).toContain('Custom Payment       -129.00 SEK');
  expect(lines.some((l) => l.startsWith('Refunded') && l.endsWith('129.00 SEK') && l.length === 32)).toBe(true);
  const refundId = paymentIdIn(run.stdout)!;
  await eventually(() => ledger(system.simUrl, refundId), (m) => m?.refundedMinor === 12900);
});

test('pos sale --cancel-at ready → PUT cancelled on ready_to_complete, the authorization voided; exit 1', async () => {
  const run = await pos('sale', '60.00', '--cancel-at', 'ready');
  expect(run.code).toBe(1);
  expect(run.stdout).toContain('→ PUT cancelled (--cancel-at ready)');
  expect(run.stdout).toMatch(/CANCELLED: /);
  expect(run.stdout).not.toContain('→ PUT completed');
  const id = paymentIdIn(run.stdout)!;
  await eventually(() => ledger(system.simUrl, id), (m) => m?.voidedMinor === 6000 && m.capturedMinor === 0);
});

test('pos with a wrong password → the contract’s 401 on stderr; exit 2', async () => {
  const run = await pos('sale', '10.00', '--password', 'wrong');
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/401 unauthorized/);
});
