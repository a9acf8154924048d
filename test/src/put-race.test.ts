// A cashier's cancel meeting the till's automatic completion: at ready_to_complete the register
// sends PUT completed and PUT cancelled at the same moment, in either order. The cancel wins
// either way (a cancel at ready_to_complete, or a late cancel of the completed payment), so
// from the moment both PUTs have answered, every GET answers cancelled, as the workflow says,
// and the ledger shows no money kept.
import type { Client } from '@temporalio/client';
import { statusQuery, paymentWorkflowId } from '@payments/workflow';
import { Register, fullLedger, paymentRequest, type LedgerEntry, type Reply } from './support/register';
import { System, eventually, sleep } from './support/system';
import { connectTemporal } from './support/temporal';

jest.setTimeout(240_000);

const ROUNDS = 20;

let system: System;
let pos: Register;
let temporal: { client: Client; close: () => Promise<void> };

beforeAll(async () => {
  system = await System.start({ env: { ACK_TIMEOUT_MS: '300000', LATE_CANCEL_WINDOW_MS: '300000', SIM_APPROVE_DELAY_MS: '100' } });
  pos = new Register(system.apiUrl);
  temporal = await connectTemporal(system.temporalAddress, system.env.TEMPORAL_NAMESPACE);
});
afterAll(async () => {
  await temporal?.close();
  await system?.stop();
});

/** Both PUTs at once; `gapMs` after the first, the second. */
async function race(id: string, first: 'completed' | 'cancelled', gapMs: number): Promise<Record<string, Reply>> {
  const second = first === 'completed' ? 'cancelled' : 'completed';
  const a = pos.put(id, first);
  await sleep(gapMs);
  const b = pos.put(id, second);
  const [ra, rb] = await Promise.all([a, b]);
  return { [first]: ra, [second]: rb };
}

/** Money the payer is out of: captured and not given back, or held and not released. */
const kept = (m: LedgerEntry) => m.capturedMinor - m.reversedMinor - m.refundedMinor + (m.authorizedMinor - m.capturedMinor - m.voidedMinor);

test.each(['completed', 'cancelled'] as const)(
  'PUT %s and the other PUT at the same moment, many rounds → both answered (200, or 409 for a completed the cancel beat); every GET after both answers cancelled, as the workflow says; no money kept',
  async (first) => {
    const ids = await Promise.all(Array.from({ length: ROUNDS }, (_, i) => pos.startRetryingShed(paymentRequest(`${first === 'completed' ? 1 : 2}${i}.00`))));
    for (const id of ids) await pos.until(id, ['ready_to_complete'], 60_000);
    const lateCancels: string[] = [];
    for (const [i, id] of ids.entries()) {
      const replies = await race(id, first, i % 2); // 0–1 ms apart
      expect(replies.cancelled!.status).toBe(200);
      expect(replies.cancelled!.body).toMatchObject({ paymentstate: { state: 'cancelled' } });
      if (replies.completed!.status === 200) {
        expect(replies.completed!.body).toMatchObject({ paymentstate: { state: 'completed' } });
        lateCancels.push(id);
      } else {
        expect(replies.completed!.status).toBe(409);
        expect(replies.completed!.body).toMatchObject({ error_code: 'invalid-state' });
      }
      // From now on the register has been told cancelled: no GET may answer an older state.
      for (let k = 0; k < 6; k++) {
        const get = await pos.get(id);
        expect({ id, poll: k, status: get.status, state: get.body.paymentstate?.state }).toEqual({ id, poll: k, status: 200, state: 'cancelled' });
        await sleep(50);
      }
      const status = await temporal.client.workflow.getHandle(paymentWorkflowId(id)).query(statusQuery);
      expect(status.state).toBe('cancelled');
    }
    console.log(`${first} first: ${lateCancels.length} of ${ROUNDS} completed, then cancelled late; the others cancelled at ready_to_complete`);

    const ledger = await eventually(() => fullLedger(system.simUrl), (l) => ids.every((id) => l[id]?.reversal === 'done'), 60_000, 250);
    for (const id of ids) expect({ id, kept: kept(ledger[id]!) }).toEqual({ id, kept: 0 });
  },
);
