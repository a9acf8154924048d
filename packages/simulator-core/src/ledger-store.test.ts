import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createSimulator } from './app';
import { paymentBody, sleep, startSimulator } from './__fixtures__/start';

describe('ledger on disk', () => {
  test('payments survive a restart, and a pending approval due meanwhile completes after it', async () => {
    const a = await startSimulator({ approveDelayMs: 300 });
    const body = paymentBody();
    const { body: p } = await a.create(body);
    await a.close(false);
    const onDisk = JSON.parse(readFileSync(a.ledgerPath, 'utf8'));
    expect(onDisk.payments[body.reference].status).toBe('pending');
    expect(readdirSync(a.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    await sleep(400); // the approval falls due while the simulator is down
    const b = await startSimulator({ approveDelayMs: 300 }, a.dir);
    try {
      const polled = await b.call('GET', `/acquirer/v1/payments/${p.id}?waitMs=2000`);
      expect(polled.body.status).toBe('approved');
      expect((await b.call('GET', `/sim/ledger/${body.reference}`)).body.authorizedMinor).toBe(39800);
    } finally {
      await b.close();
    }
  });

  test('every change is on disk before the answer', async () => {
    const s = await startSimulator({ approveDelayMs: 60_000 });
    try {
      const body = paymentBody();
      await s.create(body);
      const onDisk = JSON.parse(readFileSync(s.ledgerPath, 'utf8'));
      expect(onDisk.payments[body.reference]).toMatchObject({ amountMinor: 39800, status: 'pending' });
    } finally {
      await s.close();
    }
  });

  test('a ledger that is not JSON stops the start instead of being overwritten', async () => {
    const s = await startSimulator();
    await s.close(false);
    writeFileSync(s.ledgerPath, '{"version":1,"paym');
    await expect(createSimulator({ ledgerPath: s.ledgerPath, approveDelayMs: 1 })).rejects.toThrow(/not valid JSON/);
    expect(readFileSync(s.ledgerPath, 'utf8')).toBe('{"version":1,"paym');
    expect(path.basename(s.ledgerPath)).toBe('simulator-ledger.json');
  });

  test('close() answers open long-polls at once', async () => {
    const s = await startSimulator();
    const { body: p } = await s.create({ amountMinor: 10052 });
    const t0 = Date.now();
    const polling = s.call('GET', `/acquirer/v1/payments/${p.id}?waitMs=20000`);
    await sleep(50);
    await s.close();
    expect((await polling).body.status).toBe('pending');
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});
