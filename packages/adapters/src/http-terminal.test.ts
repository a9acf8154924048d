import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createSimulator, type Simulator } from '@payments/simulator-core';
import { TerminalBusyError } from './errors';
import { createHttpTerminal } from './http-terminal';
import type { StartTransaction } from './terminal';

let dir: string;
let sim: Simulator;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'adapters-'));
  // Prompts 400 ms apart: a loaded CI machine still answers the start before the second one shows.
  sim = await createSimulator({ ledgerPath: path.join(dir, 'ledger.json'), approveDelayMs: 1200 });
  ({ url } = await sim.listen(0));
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
const tx = (over: Partial<StartTransaction> = {}): StartTransaction => ({
  posid: `POS-${++n}`,
  reference: `terminal-${process.pid}-${n}`,
  kind: 'sale',
  amountMinor: 39800,
  currencycode: 'SEK',
  ...over,
});

describe('HttpTerminal', () => {
  const terminal = () => createHttpTerminal({ baseUrl: url, timeoutMs: 2000 });

  test('start, then get with after → each new prompt, then card_read with a token', async () => {
    const t = tx();
    let cur = await terminal().start(t);
    expect(cur).toMatchObject({ status: 'prompting', prompt: 'Present card', cardToken: null });
    const prompts = [cur.prompt];
    while (cur.status === 'prompting') {
      cur = await terminal().get(t.posid, t.reference, { waitMs: 3000, after: cur.prompt });
      prompts.push(cur.prompt);
    }
    expect(prompts).toEqual(['Present card', 'Enter PIN', 'Authorising', 'Card read']);
    expect(cur.cardToken).toMatch(/^tok_/);
  });

  test('a second transaction while one is open → TerminalBusyError naming the open one', async () => {
    const a = tx({ amountMinor: 10052 });
    await terminal().start(a);
    const err = await terminal()
      .start({ ...tx(), posid: a.posid })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TerminalBusyError);
    expect((err as TerminalBusyError).openReference).toBe(a.reference);
  });

  test('cancel → cancelled; cancel of an unseen reference → null', async () => {
    const a = tx({ amountMinor: 10052 });
    await terminal().start(a);
    expect((await terminal().cancel(a.posid, a.reference))?.status).toBe('cancelled');
    expect(await terminal().cancel(a.posid, 'never-started')).toBeNull();
  });
});
