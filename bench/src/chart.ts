// A self-contained HTML page (inline SVG, no script, no CDN) with the latency over time and the knee.

export interface Series {
  name: string;
  color: string;
  dashed?: boolean;
  points: [number, number][];
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  logY?: boolean;
  series: Series[];
  /** Horizontal reference lines, e.g. a target. */
  marks?: { y: number; label: string }[];
  /** Vertical lines, e.g. where the measured part starts and ends. */
  xMarks?: { x: number; label: string }[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const W = 900;
const H = 320;
const M = { l: 64, r: 170, t: 30, b: 44 };

/** One chart as an SVG element. */
export function svgChart(c: LineChart): string {
  const all = c.series.flatMap((s) => s.points).filter(([, y]) => Number.isFinite(y));
  const marks = c.marks ?? [];
  const xs = all.map(([x]) => x);
  const ys = [...all.map(([, y]) => y), ...marks.map((m) => m.y)];
  const xMin = Math.min(...xs, 0);
  const xMax = Math.max(...xs, 1);
  const log = c.logY ?? false;
  const yMinRaw = log ? Math.max(0.1, Math.min(...ys.filter((y) => y > 0), 1)) : 0;
  const yMin = log ? 10 ** Math.floor(Math.log10(yMinRaw)) : 0;
  const yMax = log ? 10 ** Math.ceil(Math.log10(Math.max(...ys, 1))) : Math.max(...ys, 1) * 1.1;
  const px = (x: number) => M.l + ((x - xMin) / (xMax - xMin || 1)) * (W - M.l - M.r);
  const py = (y: number) => {
    const f = log ? (Math.log10(Math.max(y, yMin)) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin)) : (y - yMin) / (yMax - yMin);
    return H - M.b - f * (H - M.t - M.b);
  };
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`];
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${M.l}" y="18" font-size="14" font-weight="bold">${esc(c.title)}</text>`);
  // y grid
  const yTicks: number[] = [];
  if (log) for (let v = yMin; v <= yMax * 1.0001; v *= 10) yTicks.push(v);
  else for (let i = 0; i <= 5; i++) yTicks.push(yMin + ((yMax - yMin) * i) / 5);
  for (const v of yTicks) {
    out.push(`<line x1="${M.l}" x2="${W - M.r}" y1="${py(v)}" y2="${py(v)}" stroke="#ddd"/>`);
    out.push(`<text x="${M.l - 6}" y="${py(v) + 4}" text-anchor="end">${+v.toPrecision(3)}</text>`);
  }
  for (let i = 0; i <= 6; i++) {
    const v = xMin + ((xMax - xMin) * i) / 6;
    out.push(`<line x1="${px(v)}" x2="${px(v)}" y1="${M.t}" y2="${H - M.b}" stroke="#eee"/>`);
    out.push(`<text x="${px(v)}" y="${H - M.b + 16}" text-anchor="middle">${Math.round(v)}</text>`);
  }
  out.push(`<text x="${(M.l + W - M.r) / 2}" y="${H - 8}" text-anchor="middle">${esc(c.xLabel)}</text>`);
  out.push(`<text x="14" y="${(M.t + H - M.b) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(M.t + H - M.b) / 2})">${esc(c.yLabel)}</text>`);
  for (const m of marks) {
    out.push(`<line x1="${M.l}" x2="${W - M.r}" y1="${py(m.y)}" y2="${py(m.y)}" stroke="#c00" stroke-dasharray="2 3"/>`);
    out.push(`<text x="${W - M.r - 4}" y="${py(m.y) - 4}" text-anchor="end" fill="#c00">${esc(m.label)}</text>`);
  }
  for (const m of c.xMarks ?? []) {
    out.push(`<line x1="${px(m.x)}" x2="${px(m.x)}" y1="${M.t}" y2="${H - M.b}" stroke="#555" stroke-dasharray="4 4"/>`);
    out.push(`<text x="${px(m.x) + 4}" y="${M.t + 12}" fill="#555">${esc(m.label)}</text>`);
  }
  c.series.forEach((s, i) => {
    const pts = s.points.filter(([, y]) => Number.isFinite(y));
    if (pts.length) {
      const d = pts.map(([x, y], j) => `${j ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join('');
      out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
      if (pts.length < 30) for (const [x, y] of pts) out.push(`<circle cx="${px(x)}" cy="${py(y)}" r="3" fill="${s.color}"/>`);
    }
    const ly = M.t + 14 + i * 18;
    out.push(`<line x1="${W - M.r + 10}" x2="${W - M.r + 34}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    out.push(`<text x="${W - M.r + 40}" y="${ly}">${esc(s.name)}</text>`);
  });
  out.push(`<rect x="${M.l}" y="${M.t}" width="${W - M.l - M.r}" height="${H - M.t - M.b}" fill="none" stroke="#888"/>`);
  out.push('</svg>');
  return out.join('\n');
}

/** The page: a heading, a few lines of context, the charts. */
export function htmlPage(title: string, intro: string[], charts: LineChart[], table: string): string {
  return [
    '<!doctype html><html><head><meta charset="utf-8">',
    `<title>${esc(title)}</title>`,
    '<style>body{font-family:sans-serif;margin:24px;color:#222}pre{background:#f6f6f6;padding:12px;font-size:11px;white-space:pre-wrap}svg{display:block;margin:12px 0}</style>',
    '</head><body>',
    `<h1>${esc(title)}</h1>`,
    ...intro.map((l) => `<p>${esc(l)}</p>`),
    ...charts.map(svgChart),
    `<pre>${esc(table)}</pre>`,
    '</body></html>',
  ].join('\n');
}
