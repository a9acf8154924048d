import { SpiError } from '../http';
import { AdmissionControl, WORKER_VIEW_WAIT_MS } from './admission-control';

const auto = { mode: 'auto' as const, pinned: 0, minLimit: 2, maxLimit: 200, targetMs: 250, retryAfterS: 1 };

describe('AdmissionControl', () => {
  it('at the limit a new payment is refused with unavailable before its call runs; PUTs still go', async () => {
    const ac = new AdmissionControl({ ...auto, mode: 'pinned', pinned: 2 });
    const held = [ac.admit('finish'), ac.admit('finish')];
    let ran = false;
    await expect(ac.start('p3', async () => (ran = true), () => false)).rejects.toEqual(expect.any(SpiError));
    expect(ran).toBe(false);
    expect(ac.shed).toBe(1);
    // A PUT finishes a payment already taken in: never refused.
    await expect(ac.run('finish', async () => 'ok', () => false)).resolves.toBe('ok');
    held.forEach((p) => p.done({ dropped: false }));
    await expect(ac.start('p4', async () => 'started', () => false)).resolves.toBe('started');
  });

  it('background work waits for room below half the limit', () => {
    const ac = new AdmissionControl({ ...auto, mode: 'pinned', pinned: 4 });
    expect(ac.hasRoomForBackground()).toBe(true);
    const a = ac.admit('finish');
    const b = ac.admit('finish');
    expect(ac.hasRoomForBackground()).toBe(false);
    a.done({ dropped: false });
    expect(ac.hasRoomForBackground()).toBe(true);
    b.done({ dropped: false });
  });

  it('calls Temporal could not answer lower the limit; off, nothing is refused', async () => {
    let t = 0;
    const ac = new AdmissionControl(auto, () => t);
    const before = ac.currentLimit;
    await expect(
      ac.start('p1', async () => {
        t += 800;
        throw new Error('deadline');
      }, () => true),
    ).rejects.toThrow('deadline');
    expect(ac.currentLimit).toBeLessThan(before);
    expect(ac.startsInFlight).toBe(0);

    const off = new AdmissionControl({ ...auto, mode: 'off' });
    for (let i = 0; i < 1000; i++) void off.start(`p${i}`, () => new Promise<void>(() => {}), () => false);
    expect(off.startsInFlight).toBe(1000);
    expect(off.shed).toBe(0);
  });

  it('with workers pushing views, a start counts until its first view; how long that took does not move the limit, a slow call does', async () => {
    let t = 0;
    const ac = new AdmissionControl({ ...auto, mode: 'auto', minLimit: 2 }, () => t);
    ac.workerViewed('someone-else'); // the first push: workers push views to this instance
    await ac.start('p1', async () => 'started', () => false);
    expect(ac.startsInFlight).toBe(1);
    expect(ac.workInFlight).toBe(1);
    t += 100;
    ac.workerViewed('p1');
    expect(ac.startsInFlight).toBe(0);
    // A first view 900 ms after its start: the customer's and the acquirer's time are in it too.
    await ac.start('p2', async () => 'started', () => false);
    t += 900;
    ac.workerViewed('p2');
    expect(ac.currentLimit).toBe(20);
    // A later view of the same payment is not a second answer.
    ac.workerViewed('p2');
    expect(ac.startsInFlight).toBe(0);
    // A PUT that takes 900 ms, past the 250 ms target: the limit is cut.
    await ac.run('finish', async () => {
      t += 900;
    }, () => false);
    expect(ac.currentLimit).toBe(16);
    expect(Object.fromEntries(ac.cuts)).toEqual({ 'finish/slow': 1 });
  });

  it('a start whose first view never comes stops counting after WORKER_VIEW_WAIT_MS, as dropped: the worker is down or far behind', async () => {
    let t = 0;
    const ac = new AdmissionControl({ ...auto, mode: 'auto', minLimit: 2 }, () => t);
    ac.workerViewed('someone-else');
    for (const id of ['a', 'b', 'c']) await ac.start(id, async () => 'started', () => false);
    expect(ac.workInFlight).toBe(3);
    t += WORKER_VIEW_WAIT_MS - 1;
    expect(ac.workInFlight).toBe(3);
    t += 2;
    expect(ac.workInFlight).toBe(0);
    // Three drops in one round trip cut the limit once.
    expect(ac.currentLimit).toBe(16);
    expect(Object.fromEntries(ac.cuts)).toEqual({ 'first-view/dropped': 1 });
  });

  it('a view that arrives while the start call is still answering ends the start at once', async () => {
    const ac = new AdmissionControl({ ...auto, mode: 'pinned', pinned: 1 });
    ac.workerViewed('someone-else');
    await ac.start('p1', async () => {
      ac.workerViewed('p1'); // the worker was quicker than the start's answer
      return 'started';
    }, () => false);
    expect(ac.startsInFlight).toBe(0);
    await expect(ac.start('p2', async () => 'started', () => false)).resolves.toBe('started');
  });
});
