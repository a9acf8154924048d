import * as fs from 'node:fs';
import * as path from 'node:path';
import { SCHEMAS, declares } from './index';
import { TEMPORAL_CONNECTION_VARIABLES } from './temporal';

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** Where the service and its scripts read the environment: every source file but tests. */
const SOURCES = ['apps/*/src', 'packages/*/src', 'packages/contract/examples', 'packages/tooling', 'scripts', 'temporal', 'bench/src'];
/** The operating system's and terminals' own names, read as every program does. */
const STANDARD = new Set(['PATH', 'HOME', 'XDG_CACHE_HOME', 'NO_COLOR', 'FORCE_COLOR']);

function files(pattern: string): string[] {
  const [base = '', rest] = pattern.split('/*/');
  const dirs = rest === undefined ? [path.join(ROOT, base)] : fs.readdirSync(path.join(ROOT, base)).map((d) => path.join(ROOT, base, d, rest));
  const walk = (dir: string): string[] =>
    !fs.existsSync(dir)
      ? []
      : fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
          const p = path.join(dir, e.name);
          if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' || e.name === '__fixtures__' ? [] : walk(p);
          return /\.(ts|mjs|js)$/.test(e.name) && !/\.test\.(ts|mjs)$/.test(e.name) ? [p] : [];
        });
  return dirs.flatMap(walk);
}

/** `process.env.X`, `env.X`, `env['X']`, and names handed to a reader: `(env, 'X'`, `FromEnv('X'`. */
const READS = [/\benv\.([A-Z][A-Z0-9_]*)\b/g, /\benv\[['"]([A-Z][A-Z0-9_]*)['"]\]/g, /\(\s*(?:process\.)?env\s*,\s*['"]([A-Z][A-Z0-9_]*)['"]/g, /FromEnv\(\s*['"]([A-Z][A-Z0-9_]*)['"]/g];

function namesRead(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of SOURCES.flatMap(files)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const re of READS) {
      for (const m of text.matchAll(re)) {
        const name = m[1] ?? '';
        found.set(name, [...(found.get(name) ?? []), path.relative(ROOT, file)]);
      }
    }
  }
  return found;
}

const declared = SCHEMAS.flatMap((s) => s.variables);

test('every environment variable read in apps/, packages/, scripts/, temporal/ and bench/ is declared in packages/config', () => {
  const read = namesRead();
  expect(read.size).toBeGreaterThan(40); // the grep finds the reads at all
  const undeclared = [...read].filter(([name]) => !STANDARD.has(name) && !declares(declared, name)).map(([name, where]) => `${name} (${[...new Set(where)].join(', ')})`);
  expect(undeclared).toEqual([]);
});

test('every declared variable is read somewhere (no declaration outlives its use)', () => {
  const read = namesRead();
  const sources = fs.readdirSync(__dirname).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  const partText = sources.map((f) => fs.readFileSync(path.join(__dirname, f), 'utf8')).join('\n');
  /** Read by name (a script, temporal-connection), through its declaration (`X.read(`), or handed whole to @temporalio/envconfig. */
  const used = (name: string) =>
    read.has(name) || new RegExp(`\\b${name}\\.read\\(`).test(partText) || TEMPORAL_CONNECTION_VARIABLES.some((v) => v.name === name);
  expect(declared.filter((v) => !used(v.name)).map((v) => v.name)).toEqual([]);
});
