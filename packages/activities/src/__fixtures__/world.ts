import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Logger } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createHttpAcquirer, createHttpTerminal } from '@payments/adapters';
import { createSimulator, type Simulator } from '@payments/simulator-core';
import type { PaymentInput, PaymentMethod, ProviderEvents } from '@payments/workflow';
import { paymentInput as workflowPaymentInput } from '@payments/workflow/testing';
import type { ActivityMetrics } from '../activity-metrics';
import { createActivities } from '../create-activities';

/** The in-process simulator with fast customers, and activities wired to it over HTTP. */
export async function startWorld(options: { approveDelayMs?: number; client?: Client; metrics?: ActivityMetrics; events?: ProviderEvents } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'activities-'));
  const sim: Simulator = await createSimulator({
    ledgerPath: path.join(dir, 'simulator-ledger.json'),
    approveDelayMs: options.approveDelayMs ?? 150,
    slowCallMs: 300,
  });
  const { url } = await sim.listen(0);
  const activities = createActivities({
    acquirer: createHttpAcquirer({ baseUrl: url, timeoutMs: 2_000 }),
    terminal: createHttpTerminal({ baseUrl: url, timeoutMs: 2_000 }),
    temporal: { client: options.client ?? ({} as Client) },
    timing: { pollWaitMs: 500, heartbeatMs: 50, retryDelayMs: 20, maxRetryDelayMs: 100 },
    metrics: options.metrics,
    events: options.events,
  });
  const json = async (route: string, init?: RequestInit) => {
    const res = await fetch(`${url}${route}`, init);
    return (await res.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any -- read loosely in tests
  };
  return {
    url,
    activities,
    /** The simulator's ledger entry for a paymentid. */
    ledger: (reference: string) => json(`/sim/ledger/${reference}`),
    allLedger: async () => (await json('/sim/ledger')).payments as Record<string, unknown>,
    setDown: (down: boolean) =>
      json('/sim/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ down }) }),
    close: async () => {
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs one activity in a fresh mock context (a cancelled context stays cancelled), collecting heartbeats. */
export function inActivity() {
  const logs: { level: string; message: string }[] = [];
  const note = (level: string) => (message: string) => void logs.push({ level, message });
  const logger: Logger = { log: (level, message) => note(level)(message), trace: note('TRACE'), debug: note('DEBUG'), info: note('INFO'), warn: note('WARN'), error: note('ERROR') };
  const env = new MockActivityEnvironment(undefined, { logger });
  const heartbeats: unknown[] = [];
  env.on('heartbeat', (d: unknown) => heartbeats.push(d));
  return { env, heartbeats, logs, run: <T>(fn: () => Promise<T>) => env.run<[], T, () => Promise<T>>(fn) };
}

let n = 0;
/**
 * A payment input as the API would build it (the workflow package's fixture), with an amount in
 * signed minor units, its own register and receipt, and the production timers.
 */
export function paymentInput(over: { amountMinor?: number; method?: PaymentMethod; creditpaymentid?: string | null; posid?: string } = {}): PaymentInput {
  n += 1;
  const amountMinor = over.amountMinor ?? 39800;
  return workflowPaymentInput({
    paymentid: `pay-${process.pid}-${n}-${Date.now()}`,
    method: over.method ?? 'wallet',
    requestHash: 'h',
    request: {
      creditpaymentid: over.creditpaymentid ?? null,
      amount: (amountMinor / 100).toFixed(2),
      storename: 'Store',
      posid: over.posid ?? `POS-${n}`,
      receiptid: `R${n}`,
    },
    timers: { expiryMs: 180_000, ackTimeoutMs: 180_000, lateCancelWindowMs: 1_800_000, refundWindowMs: 86_400_000 },
  });
}
