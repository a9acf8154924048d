import * as fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface ProfileSummary {
  file: string;
  sampledS: number;
  /** Share of busy (non-idle) samples, %, by where the code lives. */
  byPlace: { place: string; pct: number }[];
  /** Functions with the most self time, % of busy samples. */
  topFunctions: { fn: string; pct: number }[];
}

/** Where a frame's code lives: a package, Node itself, our code, or V8's own work. */
function placeOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1] as string;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const ours = /\/(apps|packages)\/([^/]+)\//.exec(url);
  if (ours) return `${ours[1]}/${ours[2]}`;
  return url.split('/').slice(-2).join('/');
}

/** Self time of a V8 .cpuprofile, grouped; idle time left out. */
export function summarizeProfile(file: string): ProfileSummary {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; startTime: number; endTime: number };
  const places = new Map<string, number>();
  const fns = new Map<string, number>();
  let busy = 0;
  for (const n of p.nodes) {
    const hits = n.hitCount ?? 0;
    const { functionName, url, lineNumber } = n.callFrame;
    if (functionName === '(idle)') continue;
    busy += hits;
    const place = placeOf(url, functionName);
    places.set(place, (places.get(place) ?? 0) + hits);
    const key = `${functionName || '(anonymous)'} ${url ? `${url.split('/').slice(-2).join('/')}:${lineNumber + 1}` : ''}`.trim();
    fns.set(key, (fns.get(key) ?? 0) + hits);
  }
  const pct = (h: number) => Math.round((h / Math.max(1, busy)) * 1000) / 10;
  const top = (m: Map<string, number>, n: number) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  return {
    file,
    sampledS: Math.round((p.endTime - p.startTime) / 1e5) / 10,
    byPlace: top(places, 15).map(([place, h]) => ({ place, pct: pct(h) })),
    topFunctions: top(fns, 20).map(([fn, h]) => ({ fn, pct: pct(h) })),
  };
}
