import { startSimulator } from './__fixtures__/start';

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let s: Sim;

beforeEach(async () => {
  s = await startSimulator({ approveDelayMs: 60_000 });
});
afterEach(async () => {
  await s.close();
});

describe('wallet page', () => {
  test('GET /wallet/:id shows the merchant, the amount and Approve/Decline forms', async () => {
    const { body: p } = await s.create({ merchant: 'Café <Nord>' });
    const page = await s.call('GET', `/wallet/${p.id}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.text).toContain('Café &lt;Nord&gt;');
    expect(page.text).toContain('398.00 SEK');
    expect(page.text).toContain(`action="/wallet/${p.id}/approve"`);
    expect(page.text).toContain(`action="/wallet/${p.id}/decline"`);
    expect(page.text).not.toContain('<script');
  });

  test('POST approve → 303 back to the page, the payment approved and its amount authorized', async () => {
    const { body: p } = await s.create();
    const res = await s.call('POST', `/wallet/${p.id}/approve`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/wallet/${p.id}`);
    expect((await s.call('GET', `/acquirer/v1/payments/${p.id}`)).body.status).toBe('approved');
    expect((await s.call('GET', `/sim/ledger/${p.reference}`)).body).toMatchObject({ authorizedMinor: 39800, capturedMinor: 0 });
    const page = await s.call('GET', `/wallet/${p.id}`);
    expect(page.text).toContain('Paid');
    expect(page.text).not.toContain('<form');
  });

  test('POST decline → declined; a later approve changes nothing', async () => {
    const { body: p } = await s.create();
    await s.call('POST', `/wallet/${p.id}/decline`);
    await s.call('POST', `/wallet/${p.id}/approve`);
    expect((await s.call('GET', `/acquirer/v1/payments/${p.id}`)).body.status).toBe('declined');
    expect((await s.call('GET', `/sim/ledger/${p.reference}`)).body.capturedMinor).toBe(0);
  });

  test('an unknown request → 404 page', async () => {
    const page = await s.call('GET', '/wallet/nope');
    expect(page.status).toBe(404);
    expect(page.text).toContain('No such payment request');
  });
});
