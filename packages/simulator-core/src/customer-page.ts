/** Text made safe inside HTML and its attributes. */
export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** How a request ended, in the customer's words, and the colour it is shown in. */
export interface Outcome {
  title: string;
  tone: 'ok' | 'bad' | 'info';
}

/**
 * The foot of a customer's page: Decline and the approving button as two plain forms (usable
 * without JavaScript) while the request can be answered; how it ended once it cannot.
 */
export function answerRow(options: { open: boolean; declineAction: string; approve: { action: string; className: string; label: string }; outcome: () => Outcome }): string {
  const { approve } = options;
  if (!options.open) {
    const t = options.outcome();
    return `<div class="state ${t.tone}">${escapeHtml(t.title)}</div>`;
  }
  return `<div class="row">
  <form method="post" action="${options.declineAction}"><button class="decline" type="submit">Decline</button></form>
  <form method="post" action="${approve.action}"><button class="${approve.className}" type="submit">${approve.label}</button></form>
</div>`;
}

/** A customer's page: reloads itself every 5 s while `refresh`, so the outcome shows without a tap. */
export function customerPage(options: { title: string; style: string; refresh: boolean; card: string }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
${options.refresh ? '<meta http-equiv="refresh" content="5">' : ''}
<title>${escapeHtml(options.title)}</title>
<style>${options.style}</style></head>
<body><main><div class="card">
${options.card}
</div></main></body></html>`;
}
