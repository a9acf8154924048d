import { formatMinor } from '@payments/contract';
import { answerRow, customerPage, escapeHtml as escape, type Outcome } from '../customer-page';
import type { VippsPaymentRecord } from './vipps-state';

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#fff3ec;color:#1f2937}
main{max-width:420px;margin:0 auto;padding:24px 16px}
.card{background:#fff;border-radius:16px;padding:24px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
.brand{font-weight:800;color:#ff5b24;letter-spacing:.02em}.muted{color:#6b7280;font-size:14px}
.amount{font-size:40px;font-weight:700;margin:8px 0 4px}.row{display:flex;gap:12px;margin-top:24px}
form{flex:1}button{width:100%;padding:16px;border:0;border-radius:12px;font-size:18px;font-weight:600;cursor:pointer}
.approve{background:#ff5b24;color:#fff}.decline{background:#e5e7eb;color:#111827}
.state{margin-top:24px;padding:16px;border-radius:12px;font-size:20px;font-weight:600;text-align:center}
.ok{background:#dcfce7;color:#166534}.bad{background:#fee2e2;color:#991b1b}.info{background:#e0e7ff;color:#3730a3}`;

function finalText(rec: VippsPaymentRecord): Outcome {
  switch (rec.state) {
    case 'AUTHORIZED':
      return rec.refunded > 0 ? { title: 'Money returned to you', tone: 'info' } : { title: 'Paid', tone: 'ok' };
    case 'ABORTED':
      return { title: 'You declined', tone: 'bad' };
    case 'EXPIRED':
      return { title: 'Expired', tone: 'info' };
    case 'TERMINATED':
      return { title: 'Cancelled by the shop', tone: 'info' };
    case 'CREATED':
      return { title: 'Waiting', tone: 'info' };
  }
}

/** "The app" for one payment, behind the QR: plain HTML forms, usable without JavaScript. */
export function renderVippsAppPage(rec: VippsPaymentRecord, token: string): string {
  const pending = rec.state === 'CREATED';
  const amount = `${formatMinor(rec.value, rec.currency)} ${rec.currency}`;
  const q = `?token=${encodeURIComponent(token)}`;
  return customerPage({
    title: `Pay ${amount} · Vipps MobilePay (simulated)`,
    style: STYLE,
    refresh: pending,
    card: `<div class="brand">Vipps MobilePay <span class="muted">simulated</span></div>
<p class="muted">Payment request from sales unit</p>
<h1 style="margin:0;font-size:22px">${escape(rec.msn)}</h1>
<div class="amount">${escape(amount)}</div>
${rec.paymentDescription ? `<p>${escape(rec.paymentDescription)}</p>` : ''}
<p class="muted">Ref ${escape(rec.reference)}</p>
${answerRow({ open: pending, declineAction: `/vipps/landing/decline${q}`, approve: { action: `/vipps/landing/approve${q}`, className: 'approve', label: 'Approve' }, outcome: () => finalText(rec) })}`,
  });
}

/** The page for a token the simulator does not know. */
export function renderVippsNotFoundPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Not found · Vipps MobilePay (simulated)</title><style>${STYLE}</style></head>
<body><main><div class="card"><div class="brand">Vipps MobilePay</div><div class="state bad">No such payment</div></div></main></body></html>`;
}

/**
 * What the QR image URL answers: an SVG card that links to the page, not a scannable QR code
 * (the simulator has no QR encoder; ask for qrFormat TEXT/TARGETURL and draw the code yourself).
 */
export function renderVippsQrSvg(target: string): string {
  const t = escape(target);
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="320" height="320" viewBox="0 0 320 320">
<rect width="320" height="320" rx="16" fill="#ff5b24"/>
<a xlink:href="${t}" href="${t}"><text x="160" y="150" text-anchor="middle" font-family="sans-serif" font-size="22" fill="#fff">Open in "the app"</text></a>
<text x="160" y="190" text-anchor="middle" font-family="sans-serif" font-size="11" fill="#fff">simulated QR: target URL as a link</text>
</svg>`;
}
