import { formatMinor } from '@payments/contract';
import { answerRow, customerPage, escapeHtml as escape, type Outcome } from './customer-page';
import type { LedgerPayment } from './state';

/** What the customer reads once the request is no longer pending. */
function finalText(rec: LedgerPayment): Outcome {
  if (rec.status === 'approved') {
    if (rec.reversal === 'done') return { title: 'Money returned to you', tone: 'info' };
    return { title: rec.kind === 'sale' ? 'Paid' : 'Refund received', tone: 'ok' };
  }
  if (rec.status === 'declined') return { title: 'Declined', tone: 'bad' };
  if (rec.status === 'cancelled') return { title: 'Cancelled by the shop', tone: 'info' };
  return { title: 'Expired', tone: 'info' };
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f3f4f6;color:#111827}
main{max-width:420px;margin:0 auto;padding:24px 16px}
.card{background:#fff;border-radius:16px;padding:24px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
.brand{font-weight:700;color:#4f46e5;letter-spacing:.02em}.muted{color:#6b7280;font-size:14px}
.amount{font-size:40px;font-weight:700;margin:8px 0 4px}.row{display:flex;gap:12px;margin-top:24px}
form{flex:1}button{width:100%;padding:16px;border:0;border-radius:12px;font-size:18px;font-weight:600;cursor:pointer}
.approve{background:#16a34a;color:#fff}.decline{background:#e5e7eb;color:#111827}
.state{margin-top:24px;padding:16px;border-radius:12px;font-size:20px;font-weight:600;text-align:center}
.ok{background:#dcfce7;color:#166534}.bad{background:#fee2e2;color:#991b1b}.info{background:#e0e7ff;color:#3730a3}`;

/** The customer's wallet screen for one request: plain HTML forms, usable without JavaScript. */
export function renderWalletPage(rec: LedgerPayment): string {
  const pending = rec.status === 'pending';
  const sale = rec.kind === 'sale';
  const amount = `${formatMinor(rec.amountMinor, rec.currencycode)} ${rec.currencycode}`;
  const base = `/wallet/${encodeURIComponent(rec.id)}`;
  return customerPage({
    title: `${sale ? 'Pay' : 'Refund'} ${amount} · SimPay`,
    style: STYLE,
    refresh: pending,
    card: `<div class="brand">SimPay</div>
<p class="muted">${sale ? 'Payment request from' : 'Refund from'}</p>
<h1 style="margin:0;font-size:22px">${escape(rec.merchant)}</h1>
<div class="amount">${escape(amount)}</div>
<p class="muted">Ref ${escape(rec.receipt.reference)} · register ${escape(rec.posid)}</p>
${answerRow({ open: pending, declineAction: `${base}/decline`, approve: { action: `${base}/approve`, className: 'approve', label: sale ? 'Pay' : 'Accept' }, outcome: () => finalText(rec) })}`,
  });
}

/** The page for a request the simulator does not know. */
export function renderNotFoundPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Not found · SimPay</title><style>${STYLE}</style></head>
<body><main><div class="card"><div class="brand">SimPay</div><div class="state bad">No such payment request</div></div></main></body></html>`;
}
