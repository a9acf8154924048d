import type { Payment } from '@payments/contract';
import { TerminalDisplay } from './terminal-display';

const payment = (state: Payment['paymentstate']['state'], message: string): Payment =>
  ({
    paymentid: 'p-1',
    paymentname: 'Custom Payment',
    amount: '398.00',
    currencycode: 'SEK',
    paymentstate: { state, message, qrcode: null, receiptrow: '', receiptsection: ['Ref\t8F3A21'] },
  }) as Payment;

const screen = (isTTY: boolean) => {
  let text = '';
  const out = { isTTY, write: (s: string) => (text += s) };
  return { display: new TerminalDisplay(out, 32), text: () => text };
};

test('piped: plain lines, the QR code in block characters with its link, no spinner, no escape codes', async () => {
  const { display, text } = screen(false);
  display.changed(payment('inprogress', 'Scan the QR code'), 1200);
  await display.qrcode('http://127.0.0.1:3100/wallet/p-1');
  display.tick(payment('inprogress', 'Scan the QR code'), 1450);
  display.receipt(payment('completed', 'Payment completed'));
  const out = text();
  expect(out).toContain('[  1.2 s] inprogress         Scan the QR code\n');
  expect(out).toMatch(/[█▀▄]{7}/);
  expect(out).toContain('  http://127.0.0.1:3100/wallet/p-1\n');
  expect(out).toContain(`Ref${' '.repeat(23)}8F3A21\n`);
  expect(out).not.toContain('\x1b');
});

test('in a terminal: a spinner line while polling, cleared before the next message', () => {
  const { display, text } = screen(true);
  display.tick(payment('inprogress', 'Scan'), 500);
  expect(text()).toMatch(/\r\x1b\[2K. inprogress · polling every 250 ms · 0.5 s$/);
  display.changed(payment('ready_to_complete', 'Payment approved'), 2000);
  expect(text()).toMatch(/0.5 s\r\x1b\[2K\[  2.0 s\] ready_to_complete  Payment approved\n$/);
});
