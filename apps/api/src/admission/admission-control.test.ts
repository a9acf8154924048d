import { SpiError } from '../http';
import { AdmissionControl } from './admission-control';

const auto = { mode: 'auto' as const, pinned: 0, minLimit: 2, maxLimit: 200, targetMs: 250, retryAfterS: 1 };

describe('AdmissionControl', () => {
  it('at the limit a new payment is refused with unavailable before its call runs; PUTs still go', async () => {
    const ac = new AdmissionControl({ ...auto, mode: 'pinned', pinned: 2 });
    const held = [ac.admit('start'), ac.admit('start')];
    let ran = false;
    await expect(ac.run('start', async () => (ran = true), () => false)).rejects.toEqual(expect.any(SpiError));
    expect(ran).toBe(false);
    expect(ac.shed).toBe(1);
    // A PUT finishes a payment already taken in: never refused.
    await expect(ac.run('finish', async () => 'ok', () => false)).resolves.toBe('ok');
    held.forEach((p) => p.done({ dropped: false }));
    await expect(ac.run('start', async () => 'started', () => false)).resolves.toBe('started');
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
      ac.run('start', async () => {
        t += 800;
        throw new Error('deadline');
      }, () => true),
    ).rejects.toThrow('deadline');
    expect(ac.currentLimit).toBeLessThan(before);

    const off = new AdmissionControl({ ...auto, mode: 'off' });
    const permits = Array.from({ length: 1000 }, () => off.admit('start'));
    expect(off.callsInFlight).toBe(1000);
    permits.forEach((p) => p.done({ dropped: false }));
    expect(off.callsInFlight).toBe(0);
  });
});
