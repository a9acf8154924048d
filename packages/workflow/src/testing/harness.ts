// Test support for the payment workflow: a worker on the run's dev server with scripted
// activities standing in for the acquirer, so every branch of the state machine can be driven.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  DefaultLogger,
  Runtime,
  Worker,
  type InjectedSinks,
  type WorkflowBundleWithSourceMap,
  bundleWorkflowCode,
  makeTelemetryFilterString,
} from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import type { PaymentActivities } from '../activities';
import { FAILURE } from '../failures';
import type { CollectUpdate, PaymentInput, ProviderEvents } from '../types';
import type { VersionedView } from '../view';
import type { PaymentViewSinks } from '../view-sink';
import { paymentWorkflowId } from '../ids';
import { paymentWorkflow } from '../payment-workflow';

export const APPROVED: CollectUpdate = {
  status: 'approved',
  acquirerId: 'acq-1',
  receiptrow: 'Wallet payment ref ACQ1',
  receiptsection: ['Wallet\tSimPay', 'Ref\tACQ1'],
  lateReversalAllowed: true,
};

export const PENDING: CollectUpdate = { status: 'pending', message: 'Scan the QR code', qrcode: 'http://sim/wallet/acq-1', acquirerId: 'acq-1' };

/** What the fake acquirer does; every call is recorded in `calls`. */
export interface Script {
  /** 'down': the acquirer never answers the start (each attempt fails, retried). */
  start?: CollectUpdate | 'down';
  /** Successive answers of awaitCollection (and of readCollection); 'never' waits until cancelled (a read: finds nothing new). */
  outcomes?: (CollectUpdate | 'never')[];
  /** The provider pushes its events: every pending answer says so, and the workflow reads (readCollection) instead of long-polling. */
  events?: ProviderEvents;
  cancel?: CollectUpdate;
  reverse?: 'ok' | 'refuse';
  /** Transient failures before a reversal goes through. */
  reverseFailures?: number;
  reserve?: 'ok' | 'exceeds' | 'unknown-sale';
  /** How long each short call (start, cancel, confirm, reverse) takes: a slow acquirer (.55). */
  slowMs?: number;
}

export function scriptedActivities(script: Script, calls: string[]): PaymentActivities {
  const outcomes = [...(script.outcomes ?? [APPROVED])];
  let reverseFailures = script.reverseFailures ?? 0;
  const slow = () => (script.slowMs ? new Promise((r) => setTimeout(r, script.slowMs)) : undefined);
  const pushing = (u: CollectUpdate): CollectUpdate => (script.events && u.status === 'pending' ? { ...u, events: script.events } : u);
  let shown: CollectUpdate = PENDING;
  return {
    async startCollection() {
      calls.push('startCollection');
      await slow();
      if (script.start === 'down') throw new Error('acquirer unavailable');
      shown = script.start ?? PENDING;
      return pushing(shown);
    },
    async readCollection() {
      calls.push('readCollection');
      await slow();
      const next = outcomes.length > 1 ? outcomes.shift() : outcomes[0];
      if (next === undefined || next === 'never') return pushing(shown);
      if (next.status === 'pending') shown = next;
      return pushing(next);
    },
    async awaitCollection() {
      calls.push('awaitCollection');
      const next = outcomes.length > 1 ? outcomes.shift() : outcomes[0];
      if (next === undefined || next === 'never') {
        for (;;) {
          Context.current().heartbeat();
          await Context.current().sleep(200); // throws once the workflow cancels the wait
        }
      }
      return pushing(next);
    },
    async cancelCollection() {
      calls.push('cancelCollection');
      await slow();
      return script.cancel ?? { status: 'cancelled' };
    },
    async reversePayment() {
      calls.push('reversePayment');
      await slow();
      if (reverseFailures-- > 0) throw new Error('acquirer unavailable');
      if (script.reverse === 'refuse') throw ApplicationFailure.nonRetryable('refused', FAILURE.reversalRefused);
    },
    async confirmPayment() {
      calls.push('confirmPayment');
      await slow();
    },
    async reserveRefund() {
      calls.push('reserveRefund');
      if (script.reserve === 'exceeds') throw ApplicationFailure.nonRetryable('too much', FAILURE.refundExceedsOriginal);
      if (script.reserve === 'unknown-sale') throw ApplicationFailure.nonRetryable('no such sale', FAILURE.fieldValidation);
    },
    async finishRefund(args) {
      calls.push(`finishRefund:${args.outcome.outcome}`);
    },
  };
}

export { LONG, paymentInput } from './inputs';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow code is bundled once per test file. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: quietLogger });
  return bundle;
}

const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} } as never;

/** The run's Temporal server (see jest-temporal-setup). */
export async function connectEnv(): Promise<TestWorkflowEnvironment> {
  // Tests provoke failures on purpose (acquirer down, reversal refused): keep the SDK's own
  // warnings about them out of the test output; errors still show.
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }) } },
  });
  const address = process.env.TEMPORAL_TEST_ADDRESS;
  if (!address) throw new Error('TEMPORAL_TEST_ADDRESS is not set: run through jest with the temporal globalSetup');
  return TestWorkflowEnvironment.createFromExistingServer({ address, namespace: process.env.TEMPORAL_TEST_NAMESPACE ?? 'default' });
}

/** The workflow's pushes of its view, collected in `views` (as the worker would hand them to the API). */
export function viewSinks(views: VersionedView[]): InjectedSinks<PaymentViewSinks> {
  return { paymentViews: { changed: { fn: (_info, view) => void views.push(view) } } };
}

/**
 * Runs `fn` while a worker with the scripted activities serves a fresh task queue. Every view
 * the workflow pushes (the `paymentViews` sink) goes to `views`, as the worker hands it to the API.
 */
export async function withWorker<T>(
  env: TestWorkflowEnvironment,
  activities: PaymentActivities,
  fn: (taskQueue: string) => Promise<T>,
  views: VersionedView[] = [],
): Promise<T> {
  const taskQueue = `test-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities,
    sinks: viewSinks(views),
  });
  return worker.runUntil(fn(taskQueue));
}

export async function startPayment(env: TestWorkflowEnvironment, taskQueue: string, input: PaymentInput): Promise<WorkflowHandle<typeof paymentWorkflow>> {
  return env.client.workflow.start(paymentWorkflow, {
    workflowId: paymentWorkflowId(input.paymentid),
    taskQueue,
    args: [input],
  });
}

/** Polls `read` until `done` holds, like a register polling GET. */
export async function eventually<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > until) throw new Error(`condition not reached in ${timeoutMs} ms; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Recorded histories of real runs; replay.test.ts replays each against today's workflow code. */
export const HISTORY_DIR = path.join(__dirname, '..', '__fixtures__', 'histories');

/**
 * With RECORD_HISTORIES=1, keeps the history of the current test's payment as a fixture
 * (named after the test, protobuf-encoded as the server sends it), to freeze the workflow's behaviour as it is today.
 */
export async function recordHistory(handle: WorkflowHandle): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const name = (expect.getState().currentTestName ?? handle.workflowId)
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()
    .slice(0, 100);
  fs.mkdirSync(HISTORY_DIR, { recursive: true });
  const history = temporal.api.history.v1.History.encode(await handle.fetchHistory()).finish();
  fs.writeFileSync(path.join(HISTORY_DIR, `${name}.history`), history);
}
