// Relative links in the repository's Markdown: every one must name a file or folder that exists
// and, for a link into a Markdown file, a heading that exists there. Links to the web and to
// other schemes are left alone.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** One link that leads nowhere: the file it is in (from the root), its line, the link and why. */
export interface BrokenLink {
  file: string;
  line: number;
  link: string;
  problem: string;
}

/** Reads a file's text, or undefined when it does not exist. */
export type ReadText = (file: string) => string | undefined;

/** Every Markdown file git knows of or would add (tracked, or new and not ignored), from the root. */
export function markdownFiles(root: string): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', '*.md'], { cwd: root, encoding: 'utf8' });
  const files = out.split('\n').filter((f) => f !== '' && !f.split('/').includes('node_modules'));
  return [...new Set(files)].filter((f) => fs.existsSync(path.join(root, f))).sort();
}

/** The links of a Markdown text with their line numbers, outside fenced code blocks and code spans. */
export function linksIn(text: string): { line: number; link: string }[] {
  const links: { line: number; link: string }[] = [];
  let fence: string | undefined;
  text.split('\n').forEach((raw, i) => {
    const opening = /^\s*(`{3,}|~{3,})/.exec(raw)?.[1];
    if (fence !== undefined) {
      if (opening !== undefined && opening[0] === fence[0] && opening.length >= fence.length) fence = undefined;
      return;
    }
    if (opening !== undefined) {
      fence = opening;
      return;
    }
    const line = raw.replace(/(`+)[^`]*?\1/g, '');
    for (const m of line.matchAll(/\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+"[^"]*")?\s*\)/g)) links.push({ line: i + 1, link: m[1]!.replace(/^<|>$/g, '') });
    const definition = /^\s{0,3}\[[^\]]+\]:\s*(\S+)/.exec(line);
    if (definition) links.push({ line: i + 1, link: definition[1]!.replace(/^<|>$/g, '') });
  });
  return links;
}

/** The anchors GitHub gives a Markdown text's headings (and its explicit `<a id>`/`<a name>`). */
export function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | undefined;
  for (const raw of text.split('\n')) {
    const opening = /^\s*(`{3,}|~{3,})/.exec(raw)?.[1];
    if (fence !== undefined) {
      if (opening !== undefined && opening[0] === fence[0] && opening.length >= fence.length) fence = undefined;
      continue;
    }
    if (opening !== undefined) {
      fence = opening;
      continue;
    }
    for (const m of raw.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]!);
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(raw)?.[1];
    if (heading === undefined) continue;
    const slug = heading
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** Whether a link leaves the repository (a URL with a scheme, or a protocol-relative one). */
const external = (link: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith('//');

/**
 * The broken relative links of the given Markdown files (paths from `root`, `/` separators).
 * `exists` and `read` are the file system's unless a test hands in its own.
 */
export function brokenLinks(
  files: string[],
  io: { exists: (file: string) => boolean; read: ReadText },
): BrokenLink[] {
  const broken: BrokenLink[] = [];
  const anchorCache = new Map<string, Set<string> | undefined>();
  const anchors = (file: string) => {
    if (!anchorCache.has(file)) {
      const text = io.read(file);
      anchorCache.set(file, text === undefined ? undefined : anchorsOf(text));
    }
    return anchorCache.get(file);
  };
  for (const file of files) {
    const text = io.read(file);
    if (text === undefined) continue;
    for (const { line, link } of linksIn(text)) {
      if (external(link)) continue;
      const hash = link.indexOf('#');
      const target = decodeURI(hash === -1 ? link : link.slice(0, hash));
      const anchor = hash === -1 ? undefined : decodeURIComponent(link.slice(hash + 1));
      const resolved = target === '' ? file : path.posix.normalize(target.startsWith('/') ? target.slice(1) : path.posix.join(path.posix.dirname(file), target));
      if (resolved.startsWith('../')) {
        broken.push({ file, line, link, problem: 'points outside the repository' });
      } else if (!io.exists(resolved)) {
        broken.push({ file, line, link, problem: `${resolved} does not exist` });
      } else if (anchor && resolved.endsWith('.md') && !anchors(resolved)?.has(anchor)) {
        broken.push({ file, line, link, problem: `${resolved} has no heading #${anchor}` });
      }
    }
  }
  return broken;
}

/** The file system under `root`, as `brokenLinks` reads it. */
export function fileSystemAt(root: string): { exists: (file: string) => boolean; read: ReadText } {
  return {
    exists: (file) => fs.existsSync(path.join(root, file)),
    read: (file) => {
      const full = path.join(root, file);
      return fs.existsSync(full) && fs.statSync(full).isFile() ? fs.readFileSync(full, 'utf8') : undefined;
    },
  };
}
