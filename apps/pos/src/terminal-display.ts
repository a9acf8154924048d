import * as QRCode from 'qrcode';
import type { Payment, TargetState } from '@payments/contract';
import type { PosCommand } from './args';
import { formatReceipt } from './receipt';
import type { Outcome, RegisterDisplay } from './register';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Where the display writes: a terminal (spinner, ANSI QR code) or a pipe (plain lines). */
export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1).padStart(5)} s`;

/** Draws the QR code for a terminal (black on white with ANSI colours) or, piped, with plain block characters. */
export function renderQr(payload: string, tty: boolean): Promise<string> {
  if (tty) return QRCode.toString(payload, { type: 'terminal', small: true });
  return QRCode.toString(payload, { type: 'utf8', margin: 2 }); // qrcode 1.5's utf8 renderer fails on an odd margin
}

/** The register's screen in a terminal: one line per change, the QR code, a spinner while polling, the printed receipt. */
export class TerminalDisplay implements RegisterDisplay {
  private spinning = false;
  private frame = 0;

  constructor(
    private readonly out: Output,
    private readonly width: number,
  ) {}

  private line(text = ''): void {
    this.clearSpinner();
    this.out.write(`${text}\n`);
  }

  clearSpinner(): void {
    if (!this.spinning) return;
    this.out.write('\r\x1b[2K');
    this.spinning = false;
  }

  banner(command: PosCommand): void {
    const what = command.kind === 'refund' ? `refund ${command.amount.replace(/^-/, '')}` : `sale ${command.amount}`;
    this.line(`Sitoo POS simulator · ${command.url} as ${command.user}`);
    this.line(`${what} ${command.currencycode} on register ${command.posid}${command.creditpaymentid ? `, crediting ${command.creditpaymentid}` : ''}`);
  }

  started(paymentid: string): void {
    this.line(`payment ${paymentid} started`);
  }

  changed(payment: Payment, elapsedMs: number): void {
    const { state, message } = payment.paymentstate;
    this.line(`[${seconds(elapsedMs)}] ${state.padEnd(18)} ${message}`);
  }

  async qrcode(payload: string): Promise<void> {
    const drawing = await renderQr(payload, this.out.isTTY === true);
    this.line('Scan with the wallet app (or open the link):');
    this.clearSpinner();
    this.out.write(drawing.endsWith('\n') ? drawing : `${drawing}\n`);
    this.line(`  ${payload}`);
  }

  action(state: TargetState, why: string): void {
    this.line(`→ PUT ${state} (${why})`);
  }

  tick(payment: Payment, elapsedMs: number): void {
    if (this.out.isTTY !== true) return;
    this.frame = (this.frame + 1) % SPINNER.length;
    this.out.write(`\r\x1b[2K${SPINNER[this.frame]} ${payment.paymentstate.state} · polling every 250 ms · ${seconds(elapsedMs).trim()}`);
    this.spinning = true;
  }

  problem(text: string): void {
    this.line(`! ${text}`);
  }

  receipt(payment: Payment): void {
    this.line();
    for (const l of formatReceipt(payment, this.width)) this.line(l);
    this.line();
  }

  done(outcome: Outcome): void {
    this.line(outcome.state === 'completed' ? 'COMPLETED' : `CANCELLED: ${outcome.payment.paymentstate.message}`);
  }
}
