import { SpiClientError, type ErrorCode, type Payment, type PaymentRequest, type PaymentStateName, type SpiClient, type TargetState } from '@payments/contract';
import { parsePosArgs, type PosCommand } from './args';
import { runRegister, type RegisterDisplay } from './register';

/**
 * A scripted payment service: the customer scans after one poll and approves after
 * `approveAfter` polls; the register's PUTs follow the contract's table.
 */
class FakeSpi implements Pick<SpiClient, 'startPayment' | 'getPayment' | 'setState'> {
  readonly calls: string[] = [];
  request: PaymentRequest | undefined;
  private polls = 0;
  private state: PaymentStateName = 'inprogress';
  private message = 'Starting payment';
  private qrcode: string | null = null;

  constructor(
    private readonly script: {
      approveAfter?: number;
      /** GET numbers (1-based) that answer 503. */
      unavailableOn?: number[];
      /** After this many polls in ready_to_complete the service gives up on the register. */
      ackTimeoutAfter?: number;
      refuseLateCancel?: boolean;
    } = {},
  ) {}

  async startPayment(request: PaymentRequest): Promise<string> {
    this.calls.push('POST');
    this.request = request;
    return 'p-1';
  }

  async getPayment(): Promise<Payment> {
    this.polls++;
    this.calls.push('GET');
    if (this.script.unavailableOn?.includes(this.polls)) throw this.error(503, 'unavailable');
    if (this.state === 'inprogress' && this.polls >= 2) {
      this.qrcode = 'http://wallet/p-1';
      this.message = 'Scan the QR code in your wallet app';
    }
    if (this.state === 'inprogress' && this.polls >= (this.script.approveAfter ?? 3)) this.set('ready_to_complete', 'Payment approved');
    else if (this.state === 'ready_to_complete' && this.script.ackTimeoutAfter !== undefined && this.polls >= (this.script.approveAfter ?? 3) + this.script.ackTimeoutAfter) {
      this.set('cancelled', 'Payment cancelled: the register did not confirm in time, money returned');
    }
    return this.payment();
  }

  async setState(_id: string, target: TargetState): Promise<Payment> {
    this.calls.push(`PUT ${target}`);
    const from = this.state;
    if (target === 'completed') {
      if (from === 'ready_to_complete') this.set('completed', 'Payment completed');
      else if (from !== 'completed') throw this.error(409, 'invalid-state');
    } else if (from === 'completed' && this.script.refuseLateCancel) {
      throw this.error(409, 'reversal-not-possible');
    } else if (from !== 'cancelled') {
      this.set('cancelled', from === 'inprogress' ? 'Payment cancelled' : 'Payment cancelled and reversed');
    }
    return this.payment();
  }

  private set(state: PaymentStateName, message: string) {
    this.state = state;
    this.message = message;
    this.qrcode = null;
  }

  private error(status: number, code: ErrorCode) {
    return new SpiClientError('http', `→ ${status}`, { status, body: { error_code: code, error_data: { message: code }, request_id: 'r' } });
  }

  private payment(): Payment {
    const done = this.state !== 'inprogress';
    return {
      paymentid: 'p-1',
      creditpaymentid: this.request?.creditpaymentid ?? null,
      paymentname: 'Custom Payment',
      paymentstate: {
        state: this.state,
        message: this.message,
        qrcode: this.qrcode,
        receiptrow: done ? 'Wallet payment ref 8F3A21' : '',
        receiptsection: done ? ['Wallet\tSwish', 'Ref\t8F3A21', `Amount\t${this.request?.amount} SEK`] : [],
      },
      amount: this.request?.amount ?? '',
      currencycode: 'SEK',
      storeid: '1',
      storename: 'POS simulator',
      storeexternalid: null,
      posid: 'POS-SIM-1',
      receiptid: 'R1',
      customer: null,
      cartitems: [],
    };
  }
}

/** Records what the register showed, in order. */
function recorder(): RegisterDisplay & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    started: (id) => events.push(`started ${id}`),
    changed: (p) => events.push(`${p.paymentstate.state}: ${p.paymentstate.message}`),
    qrcode: async (payload) => void events.push(`QR ${payload}`),
    action: (state) => events.push(`PUT ${state}`),
    tick: () => events.push('tick'),
    problem: (text) => events.push(`! ${text}`),
    receipt: (p) => events.push(`receipt ${p.paymentstate.receiptsection.join(' | ')}`),
  };
}

const command = (line: string) => parsePosArgs(line.split(' ')) as PosCommand;
let clock = 0;
const run = (spi: FakeSpi, line: string, cancel?: AbortSignal) => {
  const display = recorder();
  clock = 0;
  const done = runRegister({ client: spi, command: command(line), display, cancel, sleep: async (ms) => void (clock += ms), now: () => clock });
  return { display, done };
};

test('sale: messages and the QR code as they change, a tick per quiet poll, PUT completed on ready_to_complete, the receipt → completed', async () => {
  const spi = new FakeSpi({ approveAfter: 4 });
  const { display, done } = run(spi, 'sale 398.00');
  const outcome = await done;
  expect(outcome.state).toBe('completed');
  expect(spi.request).toMatchObject({ amount: '398.00', currencycode: 'SEK', creditpaymentid: null, posid: 'POS-SIM-1' });
  expect(spi.calls).toEqual(['POST', 'GET', 'GET', 'GET', 'GET', 'PUT completed']);
  expect(display.events).toEqual([
    'started p-1',
    'inprogress: Starting payment',
    'inprogress: Scan the QR code in your wallet app',
    'QR http://wallet/p-1',
    'tick',
    'ready_to_complete: Payment approved',
    'PUT completed',
    'completed: Payment completed',
    'receipt Wallet\tSwish | Ref\t8F3A21 | Amount\t398.00 SEK',
  ]);
  expect(clock).toBe(3 * 250); // polled every 250 ms
});

test('refund --credit: a negative amount crediting the sale, completed the same way', async () => {
  const spi = new FakeSpi();
  const outcome = await run(spi, 'refund 129.00 --credit s-1').done;
  expect(spi.request).toMatchObject({ amount: '-129.00', creditpaymentid: 's-1' });
  expect(outcome.state).toBe('completed');
});

test('--cancel-at inprogress: PUT cancelled once the QR code shows → cancelled, never completed', async () => {
  const spi = new FakeSpi({ approveAfter: 10 });
  const { display, done } = run(spi, 'sale 25.00 --cancel-at inprogress');
  expect((await done).state).toBe('cancelled');
  expect(spi.calls).toEqual(['POST', 'GET', 'GET', 'PUT cancelled']);
  expect(display.events.slice(-2)).toEqual(['PUT cancelled', 'cancelled: Payment cancelled']);
});

test('--cancel-at ready: PUT cancelled on ready_to_complete → cancelled (reversed)', async () => {
  const spi = new FakeSpi();
  const { done } = run(spi, 'sale 25.00 --cancel-at ready');
  const outcome = await done;
  expect(outcome).toMatchObject({ state: 'cancelled', payment: { paymentstate: { message: 'Payment cancelled and reversed' } } });
  expect(spi.calls.filter((c) => c.startsWith('PUT'))).toEqual(['PUT cancelled']);
});

test('--cancel-at completed: PUT completed, the receipt, then the late PUT cancelled → cancelled', async () => {
  const spi = new FakeSpi();
  const { display, done } = run(spi, 'sale 25.00 --cancel-at completed');
  expect((await done).state).toBe('cancelled');
  expect(spi.calls.filter((c) => c.startsWith('PUT'))).toEqual(['PUT completed', 'PUT cancelled']);
  expect(display.events.indexOf('PUT cancelled')).toBeGreaterThan(display.events.findIndex((e) => e.startsWith('receipt')));
});

test('--cancel-at completed when the acquirer refuses the reversal: 409 shown, the payment stays completed', async () => {
  const spi = new FakeSpi({ refuseLateCancel: true });
  const { display, done } = run(spi, 'sale 25.54 --cancel-at completed');
  expect((await done).state).toBe('completed');
  expect(display.events).toContain('! PUT cancelled → 409 reversal-not-possible: reversal-not-possible');
});

test('--silent: never acknowledges; polls on until the service reverses it → cancelled', async () => {
  const spi = new FakeSpi({ ackTimeoutAfter: 5 });
  const { done } = run(spi, 'sale 25.00 --silent');
  const outcome = await done;
  expect(outcome.state).toBe('cancelled');
  expect(outcome.payment.paymentstate.message).toMatch(/did not confirm in time/);
  expect(spi.calls.some((c) => c.startsWith('PUT'))).toBe(false);
});

test('a 503 while polling is shown and ridden out', async () => {
  const spi = new FakeSpi({ unavailableOn: [2] });
  const { display, done } = run(spi, 'sale 10.00');
  expect((await done).state).toBe('completed');
  expect(display.events).toContain('! GET → 503 unavailable: unavailable; polling on');
});

test('the cashier presses cancel (Ctrl-C) while the customer scans → PUT cancelled', async () => {
  const spi = new FakeSpi({ approveAfter: 10 });
  const cancel = new AbortController();
  const display = recorder();
  clock = 0;
  const outcome = await runRegister({
    client: spi,
    command: command('sale 10.00'),
    display,
    cancel: cancel.signal,
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
      if (clock >= 750) cancel.abort();
    },
  });
  expect(outcome.state).toBe('cancelled');
  expect(spi.calls.at(-1)).toBe('PUT cancelled');
});

test('a non-transient error (401) ends the run with the SpiClientError', async () => {
  const spi = new FakeSpi();
  spi.startPayment = async () => {
    throw new SpiClientError('http', '→ 401', { status: 401, body: { error_code: 'unauthorized', error_data: { message: 'missing or wrong credentials' }, request_id: 'r' } });
  };
  await expect(run(spi, 'sale 10.00').done).rejects.toMatchObject({ code: 'unauthorized' });
});
