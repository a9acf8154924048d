import type { Schema } from './schema';
import type { Variable } from './variable';

/** Table-safe: pipes escaped; outside `code` spans, < as &lt; so that `<NAME>` is not taken for HTML. */
const cell = (s: string) =>
  s
    .split('`')
    .map((part, i) => (i % 2 === 0 ? part.replace(/</g, '&lt;') : part))
    .join('`')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');
const defaultOf = (v: Variable) => (v.defaultText === '' || v.defaultText === '—' ? '—' : v.defaultIsProse ? v.defaultText : `\`${v.defaultText}\``);

/**
 * docs/configuration.md: every variable once, under the first part that declares it, with its
 * default, rule, meaning, readers and whether it is a secret. Written by `npm run docs:config`;
 * a test fails when the committed file differs, so it cannot go stale.
 */
export function configurationReference(schemas: readonly Schema<unknown>[]): string {
  const readersOf = (v: Variable) => schemas.filter((s) => s.variables.some((w) => w.name === v.name)).map((s) => s.reader);
  const seen = new Set<string>();
  const sections: string[] = [];
  const header = ['| variable | default | value | meaning | read by | secret |', '|---|---|---|---|---|---|'];
  const row = (v: Variable) =>
    `| \`${v.name}\` | ${cell(defaultOf(v))} | ${cell(v.rule)} | ${cell(v.meaning)} | ${readersOf(v).join(', ')} | ${v.secret ? 'yes' : ''} |`;
  const nodeEnv = schemas.flatMap((s) => s.variables).find((v) => v.name === 'NODE_ENV');
  if (nodeEnv) {
    seen.add(nodeEnv.name);
    sections.push(['## every process', '', ...header, row(nodeEnv), ''].join('\n'));
  }
  for (const schema of schemas) {
    for (const part of schema.parts) {
      const fresh = part.variables.filter((v) => !seen.has(v.name));
      if (fresh.length === 0) continue;
      for (const v of fresh) seen.add(v.name);
      sections.push([`## ${part.name}`, '', ...header, ...fresh.map(row), ''].join('\n'));
    }
  }
  return [
    '# Configuration reference',
    '',
    '<!-- Generated from packages/config by `npm run docs:config`; do not edit by hand (a test compares it). -->',
    '',
    'Every environment variable the service and its scripts read. Each process parses its own',
    'schema once at start, built from the shared parts below, and asks only for what it uses; a bad',
    'value stops it with one line naming the variable (`configuration error: PORT: must be between 0',
    'and 65535, got 70000`, exit code 78). An empty value counts as unset, except `VIEW_PUSH_URLS`',
    '(empty: no pushes).',
    '',
    '| reader | what it is |',
    '|---|---|',
    ...schemas.map((s) => `| ${s.reader} | ${cell(s.about)} |`),
    '',
    ...sections,
  ].join('\n');
}
