import type { AcquirerPayment } from '@payments/adapters';
import { toCollectUpdate } from './collect-update';
import { COLLECT_TEXT } from './texts';

const pending: AcquirerPayment = {
  id: 'pi_1',
  reference: 'p1',
  kind: 'sale',
  method: 'wallet',
  amountMinor: 1000,
  currencycode: 'SEK',
  status: 'pending',
  approvedAt: null,
  reversal: 'none',
  confirmed: false,
  lateReversalAllowed: true,
  declineReason: null,
  qrUrl: 'https://qr.example.test/p1',
  receipt: { scheme: 'Swish', reference: 'P1', last4: null },
};

test("a wallet QR shows the provider's own instruction when it gives one (Swish, Vipps MobilePay)", () => {
  expect(toCollectUpdate({ ...pending, prompt: 'Scan the QR code with the Swish app' })).toMatchObject({
    status: 'pending',
    message: 'Scan the QR code with the Swish app',
    qrcode: 'https://qr.example.test/p1',
  });
});

test('without one, the generic instruction for paying or for receiving a refund', () => {
  expect(toCollectUpdate(pending)).toMatchObject({ message: COLLECT_TEXT.scanToPay });
  expect(toCollectUpdate({ ...pending, kind: 'refund' })).toMatchObject({ message: COLLECT_TEXT.scanToReceive });
});
