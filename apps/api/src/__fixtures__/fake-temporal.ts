import {
  defaultPayloadConverter,
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { Payment, PaymentStateName, TargetState } from '@payments/contract';
import { closingMemo, paymentView, REFUSAL_TEXT, toApplicationFailure, transitionRefusal, type PaymentInput, type RefundReservation } from '@payments/workflow';
import type { PaymentsClient } from '../temporal';

/** One fake payment workflow: what the real one would hold, settable by tests. */
export interface FakeWorkflow {
  input: PaymentInput;
  memo: Record<string, unknown>;
  status: 'RUNNING' | 'COMPLETED';
  state: PaymentStateName;
  /** Whether a PUT cancelled on a completed payment may still reverse it. */
  lateCancelAllowed: boolean;
  startOptions: Record<string, unknown>;
  /** Counts the changes of the view, as the workflow's viewQuery reports it. */
  version: number;
  /** Signals received, by name (registerAnswered: the API confirmed the register got the id). */
  signals: string[];
  /** True until a worker has completed the workflow's first task (its history is then still short). */
  firstTaskPending?: boolean;
  /** What describe says of its history's length; short (3) while the first task is pending, else 25. */
  historyLength?: number;
}

interface StartOptions {
  workflowId: string;
  args: [PaymentInput];
  memo: Record<string, unknown>;
  workflowIdConflictPolicy: string;
  workflowIdReusePolicy: string;
}

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

/** The server's answer to an update whose workflow task failed, as the client rethrows it. */
function updateTaskFailed(): ServiceError {
  const details = 'Unable to perform workflow execution update due to unexpected workflow task failure.';
  return new ServiceError('Workflow Update failed', { cause: Object.assign(new Error(`9 FAILED_PRECONDITION: ${details}`), { code: 9, details, metadata: {} }) });
}

/**
 * An in-memory stand-in for the few Client methods the API uses, with the real SDK's error
 * types. `hang` makes every call wait forever (Temporal down or slow); `workerDown` makes calls
 * a worker must answer (query, update) wait forever while the server's own calls still work.
 */
export class FakeTemporal {
  readonly workflows = new Map<string, FakeWorkflow>();
  /** Every call made, by name: tests check what a route costs. */
  readonly calls: string[] = [];
  /** The update id of each executeUpdate, as the client sent it (undefined: the client picks one). */
  readonly updateIds: (string | undefined)[] = [];
  /** The run each workflow handle named (undefined: the current run, which the server looks up). */
  readonly handleRuns: (string | undefined)[] = [];
  /** Deadlines handed to withDeadline (epoch ms). */
  readonly deadlines: number[] = [];
  hang = false;
  workerDown = false;
  /** > 0: a busy worker answers queries and updates this many ms late. */
  workerAnswerDelayMs = 0;
  /** > 0: this many updates fail as the server fails them when their workflow task fails (a signal overtook a closing task). */
  failingUpdateTasks = 0;
  /** > 0: a start is created at once but its answer comes back this many ms later (a slow link). */
  startAnswerDelayMs = 0;
  /** What the update 'admission' answers for a refund that credits a sale: its reservation on the sale. */
  reservation: RefundReservation = { admitted: true };
  /** Poller last-access times (epoch ms) describeTaskQueue reports. */
  pollers: number[] = [];

  readonly client: PaymentsClient;

  constructor() {
    // Arrow functions: `this` is the fake in every method below.
    const client = {
      withDeadline: <R>(deadline: number | Date, fn: () => Promise<R>): Promise<R> => {
        this.deadlines.push(Number(deadline));
        return fn();
      },
      workflow: {
        start: async (_wf: unknown, options: StartOptions) => {
          this.calls.push('start');
          if (this.hang) return never();
          // The start lands at the server, but its answer reaches the API only this much later.
          if (this.startAnswerDelayMs > 0) {
            this.startWorkflow(options);
            await new Promise((r) => setTimeout(r, this.startAnswerDelayMs));
            return { ...client.workflow.getHandle(options.workflowId), firstExecutionRunId: `run-${options.workflowId}` };
          }
          this.startWorkflow(options);
          return { ...client.workflow.getHandle(options.workflowId), firstExecutionRunId: `run-${options.workflowId}` };
        },
        executeUpdateWithStart: async (update: { name: string }, opts: { startWorkflowOperation: { options: StartOptions } }) => {
          this.calls.push(`updateWithStart:${update.name}`);
          if (this.hang || this.workerDown) return never();
          this.startWorkflow(opts.startWorkflowOperation.options);
          return this.reservation;
        },
        getHandle: (workflowId: string, runId?: string) => {
          this.handleRuns.push(runId);
          return {
            workflowId,
            describe: async () => {
              this.calls.push('describe');
              if (this.hang) return never();
              const wf = this.get(workflowId);
              return { workflowId, runId: `run-${workflowId}`, status: { name: wf.status }, memo: { ...wf.memo }, historyLength: wf.historyLength ?? (wf.firstTaskPending ? 3 : 25) };
            },
            fetchHistory: async () => {
              this.calls.push('history');
              if (this.hang) return never();
              const wf = this.get(workflowId);
              const started = { eventId: 1, eventType: 1, workflowExecutionStartedEventAttributes: { input: { payloads: [defaultPayloadConverter.toPayload(wf.input)] } } };
              // 7: EVENT_TYPE_WORKFLOW_TASK_COMPLETED
              return { events: wf.firstTaskPending ? [started] : [started, { eventId: 2, eventType: 7 }] };
            },
            query: async (def: { name: string }) => {
              this.calls.push(`query:${def.name}`);
              if (this.hang || this.workerDown) return never();
              await this.busyWorker();
              const wf = this.get(workflowId);
              return def.name === 'view' ? { paymentid: wf.input.paymentid, version: wf.version, payment: this.view(wf) } : this.view(wf);
            },
            signal: async (def: { name: string }) => {
              this.calls.push(`signal:${def.name}`);
              if (this.hang) await never();
              const wf = this.get(workflowId);
              if (wf.status !== 'RUNNING') throw new WorkflowNotFoundError('workflow execution already completed', workflowId, undefined);
              wf.signals.push(def.name);
            },
            executeUpdate: async (def: { name: string }, opts: { args: [TargetState]; updateId?: string }) => {
              this.calls.push(`update:${def.name}`);
              this.updateIds.push(opts.updateId);
              if (this.hang) return never();
              // As the server does: a closed workflow refuses the update at once, with no worker involved.
              const wf = this.get(workflowId);
              if (wf.status !== 'RUNNING') throw new WorkflowNotFoundError('workflow execution already completed', workflowId, undefined);
              if (this.workerDown) return never();
              await this.busyWorker();
              if (this.failingUpdateTasks > 0) {
                this.failingUpdateTasks--;
                throw updateTaskFailed();
              }
              return this.setState(wf, opts.args[0]);
            },
          };
        },
      },
      workflowService: {
        describeTaskQueue: async () => {
          this.calls.push('describeTaskQueue');
          if (this.hang) return never();
          return {
            pollers: this.pollers.map((ms) => ({ identity: 'worker', lastAccessTime: { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 } })),
          };
        },
      },
    };
    this.client = client as unknown as PaymentsClient;
  }

  private async busyWorker(): Promise<void> {
    if (this.workerAnswerDelayMs > 0) await new Promise((r) => setTimeout(r, this.workerAnswerDelayMs));
  }

  /** The workflow of a paymentid. */
  payment(paymentid: string): FakeWorkflow {
    return this.get(`payment-${paymentid}`);
  }

  /** Closes a payment's workflow in a state, writing memo.payment as the real workflow does (unless told not to). */
  close(paymentid: string, state: PaymentStateName, { memo = true } = {}): void {
    const wf = this.payment(paymentid);
    if (wf.state !== state) wf.version++;
    wf.state = state;
    wf.status = 'COMPLETED';
    // The reservation a test wrote into the memo stays, as the workflow's own would.
    if (memo) Object.assign(wf.memo, closingMemo(this.view(wf), 'none', (wf.memo.admission as RefundReservation | undefined) ?? null));
  }

  /** The register's view, built as the workflow builds it, with a message naming the state. */
  view(wf: FakeWorkflow): Payment {
    return paymentView(wf.input, { state: wf.state, message: `state ${wf.state}`, qrcode: null, receiptrow: '', receiptsection: [] });
  }

  private get(workflowId: string): FakeWorkflow {
    const wf = this.workflows.get(workflowId);
    if (!wf) throw new WorkflowNotFoundError('workflow not found', workflowId, undefined);
    return wf;
  }

  private startWorkflow(options: StartOptions): void {
    const existing = this.workflows.get(options.workflowId);
    if (existing) {
      if (existing.status === 'RUNNING' && options.workflowIdConflictPolicy === 'USE_EXISTING') return;
      throw new WorkflowExecutionAlreadyStartedError('Workflow execution already started', options.workflowId, 'paymentWorkflow');
    }
    this.workflows.set(options.workflowId, {
      input: options.args[0],
      memo: { ...options.memo },
      status: 'RUNNING',
      state: 'inprogress',
      lateCancelAllowed: true,
      startOptions: options as unknown as Record<string, unknown>,
      version: 1,
      signals: [],
    });
  }

  /** The workflow's own transition rules, with the late-cancel window reduced to a flag. */
  private setState(wf: FakeWorkflow, target: TargetState): Payment {
    const refused = transitionRefusal(wf.state, target, {
      closed: false,
      lateCancel: () => (wf.lateCancelAllowed ? null : REFUSAL_TEXT.windowPassed),
    });
    if (refused) throw new WorkflowUpdateFailedError('Workflow Update failed', toApplicationFailure(refused));
    if (wf.state !== target) wf.version++;
    wf.state = target;
    return this.view(wf);
  }
}
