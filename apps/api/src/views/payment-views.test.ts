import type { Payment, PaymentStateName } from '@payments/contract';
import { initialPaymentView } from '@payments/workflow';
import { saleInput } from '../__fixtures__/harness';
import { PaymentViews } from './payment-views';

/** A sale's view in a state, with the message it shows. */
const payment = (state: PaymentStateName, message: string = state): Payment => {
  const view = initialPaymentView(saleInput('p1'));
  return { ...view, paymentstate: { ...view.paymentstate, state, message } };
};

let now = 1_000_000;
const views = () => new PaymentViews({ trustMs: 2000, now: () => now });

describe('PaymentViews: what a poll may be answered with', () => {
  test('a pushed view is the answer until VIEW_TRUST_MS passes without a push or query vouching for it', () => {
    const v = views();
    v.pushed({ paymentid: 'p1', version: 1, payment: payment('inprogress') });
    expect(v.fresh('p1')?.paymentstate.state).toBe('inprogress');
    now += 2001;
    expect(v.fresh('p1')).toBeNull();
    expect(v.last('p1')?.paymentstate.state).toBe('inprogress');
    v.checked({ paymentid: 'p1', version: 1, payment: payment('inprogress') });
    expect(v.fresh('p1')?.paymentstate.state).toBe('inprogress');
  });

  test('pushes arriving out of order: the highest version stays', () => {
    const v = views();
    v.pushed({ paymentid: 'p1', version: 3, payment: payment('ready_to_complete') });
    v.pushed({ paymentid: 'p1', version: 2, payment: payment('inprogress') });
    v.pushed({ paymentid: 'p1', version: 0, payment: payment('inprogress') }); // the API's own seed, after the worker's first push
    expect(v.fresh('p1')?.paymentstate.state).toBe('ready_to_complete');
  });

  test('a query answered after a newer push does not step the view back (the query read the workflow before the push)', () => {
    const v = views();
    v.pushed({ paymentid: 'p1', version: 4, payment: payment('completed') });
    v.checked({ paymentid: 'p1', version: 3, payment: payment('ready_to_complete') });
    expect(v.fresh('p1')?.paymentstate.state).toBe('completed');
    v.checked({ paymentid: 'p1', version: 5, payment: payment('cancelled') });
    expect(v.fresh('p1')?.paymentstate.state).toBe('cancelled');
  });

  test('after a PUT with an unknown outcome a query replaces whatever was held, even a higher version (a push the workflow may not have kept)', () => {
    const v = views();
    v.pushed({ paymentid: 'p1', version: 3, payment: payment('ready_to_complete') });
    v.suspect('p1');
    v.pushed({ paymentid: 'p1', version: 4, payment: payment('completed') });
    v.checked({ paymentid: 'p1', version: 3, payment: payment('ready_to_complete') });
    expect(v.fresh('p1')?.paymentstate.state).toBe('ready_to_complete');
    v.pushed({ paymentid: 'p1', version: 4, payment: payment('cancelled') });
    expect(v.fresh('p1')?.paymentstate.state).toBe('cancelled');
  });

  test('after a PUT with an unknown outcome, nothing held is shown until a query confirms it; the view from before that PUT is the answer when the query cannot be had', () => {
    const v = views();
    v.pushed({ paymentid: 'p1', version: 2, payment: payment('ready_to_complete') });
    v.suspect('p1');
    v.pushed({ paymentid: 'p1', version: 3, payment: payment('completed') });
    v.suspect('p1'); // the register's retry failed too
    expect(v.fresh('p1')).toBeNull();
    expect(v.last('p1')).toBeNull();
    expect(v.beforeFailedPut('p1')?.paymentstate.state).toBe('ready_to_complete');
    v.checked({ paymentid: 'p1', version: 2, payment: payment('ready_to_complete') });
    expect(v.fresh('p1')?.paymentstate.state).toBe('ready_to_complete');
    expect(v.beforeFailedPut('p1')).toBeNull();
  });

  test('an accepted PUT: its answer is held, unless a push in the same state already overtook it', () => {
    const v = views();
    v.pushed({ paymentid: 'p1', version: 2, payment: payment('ready_to_complete') });
    v.updated('p1', payment('completed'));
    expect(v.fresh('p1')?.paymentstate.state).toBe('completed');
    v.pushed({ paymentid: 'p1', version: 4, payment: payment('cancelled', 'reversed') });
    v.updated('p1', payment('cancelled', 'cancelled by the register'));
    expect(v.fresh('p1')?.paymentstate.message).toBe('reversed');
  });

  test('PUT completed and PUT cancelled race: the completed answer arriving last never replaces the cancelled view, in either order', () => {
    for (const order of [['completed', 'cancelled'], ['cancelled', 'completed']] as const) {
      const v = views();
      v.pushed({ paymentid: 'p1', version: 2, payment: payment('ready_to_complete') });
      // The workflow took completed, then the late cancel; the answers reach the API in `order`.
      for (const state of order) v.updated('p1', payment(state));
      expect(v.fresh('p1')?.paymentstate.state).toBe('cancelled');
      v.pushed({ paymentid: 'p1', version: 3, payment: payment('completed') }); // the pushes, late
      expect(v.fresh('p1')?.paymentstate.state).toBe('cancelled');
      v.pushed({ paymentid: 'p1', version: 4, payment: payment('cancelled', 'reversed') });
      expect(v.fresh('p1')?.paymentstate).toMatchObject({ state: 'cancelled', message: 'reversed' });
    }
  });

  test('VIEW_TRUST_MS=0: no view is ever the answer, every poll is a query', () => {
    const v = new PaymentViews({ trustMs: 0, now: () => now });
    v.pushed({ paymentid: 'p1', version: 1, payment: payment('inprogress') });
    expect(v.fresh('p1')).toBeNull();
    expect(v.last('p1')).toBeNull();
  });

  test('revalidate: one check per payment at a time; its answer replaces the view; a failed check leaves it', async () => {
    const v = views();
    v.pushed({ paymentid: 'p1', version: 1, payment: payment('inprogress') });
    let answer!: (view: { paymentid: string; version: number; payment: Payment }) => void;
    let queries = 0;
    const query = () => {
      queries++;
      return new Promise<{ paymentid: string; version: number; payment: Payment }>((r) => (answer = r));
    };
    v.revalidate('p1', query, () => undefined);
    v.revalidate('p1', query, () => undefined);
    expect(queries).toBe(1);
    answer({ paymentid: 'p1', version: 2, payment: payment('ready_to_complete') });
    await new Promise((r) => setImmediate(r));
    expect(v.fresh('p1')?.paymentstate.state).toBe('ready_to_complete');
    const errors: unknown[] = [];
    v.revalidate('p1', () => Promise.reject(new Error('no worker')), (err) => errors.push(err));
    await new Promise((r) => setImmediate(r));
    expect(errors).toHaveLength(1);
    expect(v.last('p1')?.paymentstate.state).toBe('ready_to_complete');
  });

  test('revalidate: at most maxChecks in flight, however many payments wait; the rest are not made (a later poll asks again)', async () => {
    const v = new PaymentViews({ trustMs: 2000, maxChecks: 3, now: () => now });
    const answers: (() => void)[] = [];
    let queries = 0;
    const query = (id: string) => () => {
      queries++;
      return new Promise<{ paymentid: string; version: number; payment: Payment }>((r) => answers.push(() => r({ paymentid: id, version: 2, payment: payment('inprogress') })));
    };
    const started = Array.from({ length: 50 }, (_, i) => v.revalidate(`p${i}`, query(`p${i}`), () => undefined));
    expect(started.filter(Boolean)).toHaveLength(3);
    expect(queries).toBe(3);
    expect(v.checksInFlight).toBe(3);
    answers.forEach((a) => a());
    await new Promise((r) => setImmediate(r));
    expect(v.checksInFlight).toBe(0);
    expect(v.revalidate('p9', query('p9'), () => undefined)).toBe(true);
  });

  test('at capacity the least recently stored payment goes first', () => {
    const v = new PaymentViews({ trustMs: 2000, capacity: 2, now: () => now });
    for (const id of ['a', 'b', 'c']) v.pushed({ paymentid: id, version: 1, payment: { ...payment('inprogress'), paymentid: id } });
    expect(v.size).toBe(2);
    expect(v.last('a')).toBeNull();
    expect(v.last('c')).not.toBeNull();
  });
});
