import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createSimulator, type Simulator, type SimulatorOptions } from '../app';

/** A simulator on a free loopback port over a fresh ledger directory, with JSON helpers. */
export async function startSimulator(options: Partial<SimulatorOptions> = {}, dir = mkdtempSync(path.join(tmpdir(), 'sim-'))) {
  const ledgerPath = options.ledgerPath ?? path.join(dir, 'simulator-ledger.json');
  const sim: Simulator = await createSimulator({ approveDelayMs: 150, slowCallMs: 300, ...options, ledgerPath });
  const { url } = await sim.listen(0);
  const call = async (method: string, route: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}${route}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    });
    const text = await res.text();
    let json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test bodies are read loosely
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, body: json, text, headers: res.headers };
  };
  return {
    sim,
    url,
    dir,
    ledgerPath,
    call,
    /** POST /acquirer/v1/payments with a body built from overrides. */
    create: (over: Record<string, unknown> = {}, key?: string) => {
      const body = { ...paymentBody(), ...over };
      return call('POST', '/acquirer/v1/payments', body, { 'Idempotency-Key': key ?? `${body.reference}:create` });
    },
    post: (route: string, key: string, body?: unknown) => call('POST', route, body ?? {}, { 'Idempotency-Key': key }),
    close: async (removeDir = true) => {
      await sim.close();
      if (removeDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

let n = 0;
/** A wallet sale body; a unique reference per call. */
export function paymentBody() {
  n += 1;
  return {
    reference: `ref-${process.pid}-${n}`,
    merchant: 'demo',
    kind: 'sale',
    method: 'wallet',
    amountMinor: 39800,
    currencycode: 'SEK',
    posid: 'SIE0000160000051',
    originalReference: null,
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
