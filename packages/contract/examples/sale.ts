// A sale the way Sitoo POS runs it, against a running service (`npm start` at the repository root):
//   npm run example:sale -w @payments/contract            (398.00 SEK, the dev credential demo/demo)
//   SPI_URL=https://payments.example.com SPI_USER=shop SPI_PASSWORD=… npm run example:sale -w @payments/contract -- 129.00
import { createSpiClient, SpiClientError, type PaymentRequest } from '@payments/contract';

async function main(): Promise<number> {
  const spi = createSpiClient({
    baseUrl: process.env.SPI_URL ?? 'http://127.0.0.1:3000',
    username: process.env.SPI_USER ?? 'demo',
    password: process.env.SPI_PASSWORD ?? 'demo',
  });

  const amount = process.argv[2] ?? '398.00';
  const request: PaymentRequest = {
    creditpaymentid: null,
    paymentname: 'Custom Payment',
    amount,
    currencycode: 'SEK',
    storeid: '1',
    storename: 'Example store',
    posid: 'EXAMPLE-REGISTER-1',
    receiptid: `EXAMPLE-${Date.now()}`,
    cartitems: [{ sku: 'EXAMPLE-1', productname: 'Example item', quantity: 1, total: amount }],
  };

  // The same key on a retry of this POST gives back the same paymentid instead of a second payment.
  const paymentid = await spi.startPayment(request, { idempotencyKey: request.receiptid });
  console.log(`payment ${paymentid} started`);

  let lastMessage = '';
  const settled = await spi.waitForState(paymentid, ['ready_to_complete', 'cancelled'], {
    onPoll: (p) => {
      if (p.paymentstate.message === lastMessage) return;
      lastMessage = p.paymentstate.message;
      console.log(`${p.paymentstate.state}: ${lastMessage}${p.paymentstate.qrcode ? `  (QR: ${p.paymentstate.qrcode})` : ''}`);
    },
  });
  if (settled.paymentstate.state === 'cancelled') return 1;

  // Acknowledge within 3 minutes, or the service reverses the payment.
  const done = await spi.setState(paymentid, 'completed');
  console.log(`${done.paymentstate.state}: ${done.paymentstate.message}`);
  for (const line of done.paymentstate.receiptsection) {
    const [title, value] = line.includes('\t') ? line.split('\t', 2) : ['', line];
    console.log(`  ${(title ?? '').padEnd(12)} ${value ?? ''}`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof SpiClientError) console.error(`SPI call failed (${err.reason} ${err.status} ${err.code ?? ''}): ${err.message}`);
    else console.error(err);
    process.exit(2);
  },
);
