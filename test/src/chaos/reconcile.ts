// Payment by payment: what the register was told, the workflow's final state, and the money the
// acquirer's ledger shows moved (sale: captured − reversed; refund: refunded − reversed). The
// workflows and the ledger are matched by the service's own reconciliation (matchPeriod, the
// rules the reconciliation workflow runs); what the registers believed is checked on top.
import type { Client } from '@temporalio/client';
import { matchPeriod, paymentFact, paymentWorkflowId, type PaymentFact, type ProviderRecord } from '@payments/workflow';
import type { LedgerEntry } from '../support/register';
import { sleep } from '../support/system';
import type { RegisterRecord } from './registers';

/** One payment's disagreement, in a line an engineer can follow up. */
export interface Mismatch {
  paymentid: string | null;
  what: string;
}

export interface Reconciliation {
  /** Distinct payments: those the registers know, and those no register learnt of (lost answers). */
  payments: number;
  orphans: number;
  /**
   * Payments no register learnt of that reached the acquirer or the terminal anyway (a ledger
   * entry, or a collection, reversal or confirmation the workflow asked for): each one is a
   * wallet request or a card terminal prompt that nobody at the till is looking at. Must be 0.
   */
  orphansAtAcquirer: number;
  mismatches: Mismatch[];
  /** Money the registers believe moved, and money the ledger shows moved, in minor units. */
  expectedMinor: number;
  ledgerMinor: number;
}

interface WorkflowEnd {
  status: string;
  state: string | undefined;
  fact: PaymentFact;
}

/** A chaos run's payments all fall in this period. */
const WHOLE_RUN = { from: '0000-01-01T00:00:00.000Z', to: '9999-12-31T23:59:59.999Z' };

/** A ledger entry as GET /sim/ledger answers it, with the fields the reconciliation reads. */
type FullLedgerEntry = LedgerEntry & { id?: string; merchant?: string; currencycode?: string; events: { type: string; at?: string }[] };

/** The simulated acquirer's entry as the reconciliation's provider record (what GET /acquirer/v1/records answers). */
function ledgerRecord(reference: string, e: FullLedgerEntry): ProviderRecord {
  const held = e.status === 'approved' && !e.confirmed && e.reversal !== 'done' ? Math.max(0, e.authorizedMinor - e.voidedMinor) : 0;
  return {
    provider: 'simulator',
    id: e.id ?? reference,
    reference,
    merchant: e.merchant ?? '',
    kind: e.kind === 'refund' ? 'refund' : 'sale',
    currencycode: e.currencycode ?? '',
    amountMinor: e.amountMinor ?? 0,
    createdAt: e.events[0]?.at ?? WHOLE_RUN.from,
    heldMinor: held,
    capturedMinor: e.capturedMinor,
    refundedMinor: e.refundedMinor,
    reversedMinor: e.reversedMinor,
    voidedMinor: e.voidedMinor,
  };
}

/** Waits until no payment workflow on the queue runs any more; false when some still run at the deadline. */
export async function settle(client: Client, taskQueue: string, timeoutMs: number, log: (line: string) => void): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  let last = -1;
  for (;;) {
    let running: number;
    try {
      running = (await client.workflow.count(`TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`)).count;
    } catch {
      running = -1; // Temporal busy: look again
    }
    if (running === 0) return true;
    if (running !== last) log(`[chaos] settling: ${running} workflows still running`);
    last = running;
    if (Date.now() > until) return false;
    await sleep(2000);
  }
}

/** How every payment workflow on the queue ended, keyed by paymentid. */
async function workflowEnds(client: Client, taskQueue: string): Promise<Map<string, WorkflowEnd>> {
  const ends = new Map<string, WorkflowEnd>();
  for await (const wf of client.workflow.list({ query: `TaskQueue = '${taskQueue}' AND WorkflowType = 'paymentWorkflow'` })) {
    const fact = paymentFact(wf);
    ends.set(fact.paymentid, { status: wf.status.name, state: fact.state, fact });
  }
  return ends;
}

const net = (m: LedgerEntry | undefined) => (m ? (m.kind === 'refund' ? m.refundedMinor : m.capturedMinor) - m.reversedMinor : 0);
const count = (m: LedgerEntry | undefined, type: string) => m?.events.filter((e) => e.type === type).length ?? 0;

/**
 * The rule: a payment whose register was told `completed` (and did not later cancel it) keeps
 * its amount moved and ends completed; every other payment — cancelled, refused, silent, or one
 * no register ever heard of — ends cancelled with nothing moved. Money moves at most once.
 */
export async function reconcile(
  records: readonly RegisterRecord[],
  ledger: Record<string, LedgerEntry>,
  client: Client,
  taskQueue: string,
): Promise<Reconciliation> {
  const ends = await workflowEnds(client, taskQueue);
  // The service's reconciliation over the same workflows and books: each flag is a mismatch.
  const matching = matchPeriod(
    [...ends.values()].map((e) => e.fact),
    Object.entries(ledger).map(([reference, e]) => ledgerRecord(reference, e as FullLedgerEntry)),
    WHOLE_RUN,
  );
  const mismatches: Mismatch[] = matching.flags.map((f) => ({ paymentid: f.paymentid, what: `reconciliation flags ${f.kind}: ${f.evidence}` }));
  const known = new Map<string, RegisterRecord>();
  let expectedMinor = 0;
  let ledgerMinor = 0;

  const check = (paymentid: string, expected: number, label: string) => {
    const money = ledger[paymentid];
    const moved = net(money);
    const end = ends.get(paymentid);
    const expectedState = expected > 0 ? 'completed' : 'cancelled';
    const problems: string[] = [];
    if (moved !== expected) problems.push(`ledger net ${moved}, expected ${expected}`);
    for (const type of ['captured', 'refunded', 'reversed', 'created']) {
      if (count(money, type) > 1) problems.push(`${count(money, type)} '${type}' events`);
    }
    if (!end) problems.push('no workflow');
    else {
      if (end.status !== 'COMPLETED') problems.push(`workflow ${end.status}`);
      if (end.state !== expectedState) problems.push(`workflow ended ${end.state}, expected ${expectedState}`);
    }
    if (problems.length > 0) mismatches.push({ paymentid, what: `${label}: ${problems.join('; ')}` });
    expectedMinor += expected;
    ledgerMinor += moved;
  };

  for (const r of records) {
    const label = `${r.flow} ${r.receiptid} (${r.kind} ${r.amountMinor}, register saw ${r.outcome})`;
    // A POST never answered leaves no belief to check: whatever it started is checked below as
    // a payment no register learnt of. A PUT or GET never answered leaves the register unsure.
    if (r.paymentid === null) continue;
    if (r.unanswered) mismatches.push({ paymentid: r.paymentid, what: `${label}: no definitive answer to ${r.unanswered}` });
    if (known.has(r.paymentid)) {
      mismatches.push({ paymentid: r.paymentid, what: `${label}: the same paymentid answered for two register payments` });
      continue;
    }
    known.set(r.paymentid, r);
    check(r.paymentid, r.outcome === 'completed' ? r.amountMinor : 0, label);
  }

  // Payments no register learnt of: a POST whose answer was lost (then retried without a key,
  // or given up). Nothing may stay moved for them.
  const orphans = new Set([...ends.keys(), ...Object.keys(ledger)].filter((id) => !known.has(id)));
  let orphansAtAcquirer = 0;
  for (const id of orphans) {
    check(id, 0, 'a payment no register learnt of');
    const asked = await acquirerOrTerminalCalls(client, id);
    if (ledger[id] || asked.length > 0) {
      orphansAtAcquirer++;
      mismatches.push({ paymentid: id, what: `a payment no register learnt of reached the acquirer or terminal: ${ledger[id] ? 'in the ledger; ' : ''}${asked.join(', ')}` });
    }
  }

  return { payments: known.size + orphans.size, orphans: orphans.size, orphansAtAcquirer, mismatches, expectedMinor, ledgerMinor };
}

/** Activities between a workflow and another (a refund's reservation on its sale) ask nothing of acquirer or terminal. */
const INTERNAL_ACTIVITIES = new Set(['reserveRefund', 'finishRefund']);

/** The acquirer and terminal calls a payment's workflow scheduled, by activity type (none for a workflow that does not exist). */
async function acquirerOrTerminalCalls(client: Client, paymentid: string): Promise<string[]> {
  let history;
  try {
    history = await client.workflow.getHandle(paymentWorkflowId(paymentid)).fetchHistory();
  } catch {
    return [];
  }
  return (history.events ?? [])
    .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
    .filter((name): name is string => !!name && !INTERNAL_ACTIVITIES.has(name));
}
