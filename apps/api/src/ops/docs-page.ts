import { ERROR_CODES, ERROR_DESCRIPTIONS, ERROR_STATUS } from '@payments/contract';

// GET /docs: the OpenAPI document rendered server-side into one self-contained HTML page — no
// script, no CDN, no font or image from elsewhere — so it works where registers and their
// integrators have no internet, and the page can't drift from /openapi.json: it is drawn from it.

type Json = Record<string, unknown>;

const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Escaped text with Markdown's `code` spans. */
const inline = (s: string) => esc(s).replace(/`([^`]+)`/g, '<code>$1</code>');

/** The tiny Markdown of the document's descriptions: paragraphs, `code`, and pipe tables. */
function markdown(text: unknown): string {
  if (typeof text !== 'string' || text === '') return '';
  return text
    .split(/\n\s*\n/)
    .map((block) => {
      const lines = block.split('\n');
      if (lines.every((l) => l.trim().startsWith('|'))) {
        const cells = (l: string) => l.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
        const [head = '', , ...rows] = lines;
        return `<table><thead><tr>${cells(head).map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead><tbody>${rows
          .map((r) => `<tr>${cells(r).map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`)
          .join('')}</tbody></table>`;
      }
      return `<p>${inline(lines.join(' '))}</p>`;
    })
    .join('\n');
}

/** Follows a local `$ref` (`#/components/...`) inside the document. */
function resolve(doc: Json, node: unknown): Json {
  let current = node;
  for (let depth = 0; isObject(current) && typeof current.$ref === 'string' && depth < 10; depth++) {
    let target: unknown = doc;
    for (const part of current.$ref.replace(/^#\//, '').split('/')) target = isObject(target) ? target[part] : undefined;
    current = target;
  }
  return isObject(current) ? current : {};
}

const refName = (node: unknown): string | undefined => (isObject(node) && typeof node.$ref === 'string' ? node.$ref.split('/').pop() : undefined);

/** A schema's type in a few words: `string | null`, `array of object`, `"completed"`. */
function typeOf(doc: Json, node: unknown): string {
  const s = resolve(doc, node);
  if ('const' in s) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (Array.isArray(s.anyOf)) return [...new Set(s.anyOf.map((m) => typeOf(doc, m)))].join(' | ');
  if (s.type === 'array') return `array of ${typeOf(doc, s.items)}`;
  return typeof s.type === 'string' ? s.type : 'any';
}

/** Constraints worth telling an integrator: lengths, patterns, limits, an example. */
function notes(doc: Json, node: unknown): string {
  const s = resolve(doc, node);
  const n: string[] = [];
  if (typeof s.description === 'string') n.push(s.description);
  if (typeof s.minLength === 'number' || typeof s.maxLength === 'number') n.push(`length ${s.minLength ?? 0}–${s.maxLength ?? '∞'}`);
  if (typeof s.maxItems === 'number') n.push(`at most ${s.maxItems} items`);
  if (typeof s.pattern === 'string') n.push(`pattern ${s.pattern}`);
  if (Array.isArray(s.examples) && s.examples.length > 0) n.push(`e.g. ${JSON.stringify(s.examples[0])}`);
  if (s.additionalProperties === true) n.push('other fields accepted');
  return n.join('; ');
}

interface FieldRow {
  path: string;
  type: string;
  required: boolean;
  notes: string;
}

/** Every field of an object schema, nested ones as `cartitems[].sku`, for the fields tables. */
function fields(doc: Json, node: unknown, prefix = '', depth = 0): FieldRow[] {
  const s = resolve(doc, node);
  if (depth > 5) return [];
  if (Array.isArray(s.anyOf)) {
    const objects = s.anyOf.map((m) => resolve(doc, m)).filter((m) => m.type === 'object' && isObject(m.properties));
    if (objects.length === 1) return fields(doc, objects[0], prefix, depth);
  }
  if (s.type === 'array') return fields(doc, s.items, `${prefix}[]`, depth + 1);
  if (!isObject(s.properties)) return [];
  const required = new Set(asArray(s.required));
  const rows: FieldRow[] = [];
  for (const [name, child] of Object.entries(s.properties)) {
    const path = prefix === '' ? name : `${prefix}.${name}`;
    rows.push({ path, type: typeOf(doc, child), required: required.has(name), notes: notes(doc, child) });
    rows.push(...fields(doc, child, path, depth + 1));
  }
  return rows;
}

function fieldsTable(doc: Json, schema: unknown): string {
  const s = resolve(doc, schema);
  const forms = asArray(s.anyOf);
  if (forms.length > 0 && forms.every((m) => resolve(doc, m).type === 'object')) {
    return forms.map((m, i) => `<p class="alt">Form ${i + 1} of ${forms.length}:</p>${fieldsTable(doc, m)}`).join('');
  }
  const rows = fields(doc, schema);
  if (rows.length === 0) return `<p>A JSON ${esc(typeOf(doc, schema))}${notes(doc, schema) ? ` (${esc(notes(doc, schema))})` : ''}.</p>`;
  return `<table class="fields"><thead><tr><th>field</th><th>type</th><th></th><th>notes</th></tr></thead><tbody>${rows
    .map(
      (r) =>
        `<tr><td><code>${esc(r.path)}</code></td><td>${esc(r.type)}</td><td>${r.required ? '<span class="req">required</span>' : ''}</td><td>${esc(r.notes)}</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

function examplesHtml(media: Json): string {
  const examples = isObject(media.examples) ? media.examples : {};
  return Object.entries(examples)
    .map(([name, e]) => {
      const ex = isObject(e) ? e : {};
      return `<details><summary>Example: ${esc(ex.summary ?? name)}</summary><pre>${esc(JSON.stringify(ex.value, null, 2))}</pre></details>`;
    })
    .join('');
}

const BASE = '__SPI_BASE_URL__';

/** A curl line a person can paste, for the SPI's operations. */
function curl(method: string, path: string, operation: Json, doc: Json): string | undefined {
  const secured = !Array.isArray(operation.security) || operation.security.length > 0;
  const url = `${BASE}${path.replace('{paymentid}', '$PAYMENTID')}`;
  const parts = [`curl -sS${method === 'GET' ? '' : ` -X ${method}`}`];
  if (secured) parts.push('-u demo:demo');
  const body = resolve(doc, operation.requestBody);
  const media = isObject(body.content) ? resolve(doc, body.content['application/json']) : {};
  const first = isObject(media.examples) ? Object.values(media.examples)[0] : undefined;
  if (isObject(first)) {
    parts.push(`-H 'Content-Type: application/json'`);
    parts.push(`-d '${JSON.stringify(first.value).replace(/'/g, `'\\''`)}'`);
  }
  parts.push(`"${url}"`);
  return parts.join(' ');
}

function operationHtml(doc: Json, path: string, method: string, operation: Json): string {
  const id = typeof operation.operationId === 'string' ? operation.operationId : `${method}-${path}`;
  const params = asArray(operation.parameters).map((p) => resolve(doc, p));
  const body = resolve(doc, operation.requestBody);
  const bodyMedia = isObject(body.content) ? resolve(doc, body.content['application/json']) : undefined;
  const responses = isObject(operation.responses) ? operation.responses : {};
  const secured = !Array.isArray(operation.security) || operation.security.length > 0;

  const parts = [
    `<section class="op" id="${esc(id)}">`,
    `<h3><span class="method ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3>`,
    `<p class="summary">${esc(operation.summary ?? '')}${secured ? ' <span class="auth">Basic auth</span>' : ''}</p>`,
    markdown(operation.description),
  ];
  if (params.length > 0) {
    parts.push(
      `<h4>Parameters</h4><table><thead><tr><th>name</th><th>in</th><th></th><th>notes</th></tr></thead><tbody>${params
        .map(
          (p) =>
            `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${p.required ? '<span class="req">required</span>' : ''}</td><td>${inline(
              [p.description, notes(doc, p.schema)].filter(Boolean).join('; '),
            )}</td></tr>`,
        )
        .join('')}</tbody></table>`,
    );
  }
  if (bodyMedia) parts.push(`<h4>Request body (JSON)</h4>`, fieldsTable(doc, bodyMedia.schema), examplesHtml(bodyMedia));

  parts.push('<h4>Responses</h4><table class="responses"><thead><tr><th>status</th><th>what</th></tr></thead><tbody>');
  for (const [status, r] of Object.entries(responses)) {
    const response = resolve(doc, r);
    const content = isObject(response.content) ? response.content : {};
    const media = Object.entries(content)[0];
    const schemaName = media && isObject(media[1]) ? (refName(media[1].schema) ?? (isObject(media[1].schema) && Array.isArray(media[1].schema.allOf) ? refName(media[1].schema.allOf[0]) : undefined)) : undefined;
    parts.push(
      `<tr><td><b>${esc(status)}</b></td><td>${markdown(response.description)}${schemaName ? `<p class="schema">body: <a href="#schema-${esc(schemaName)}">${esc(schemaName)}</a></p>` : ''}${
        status.startsWith('2') && media && isObject(media[1]) ? examplesHtml(media[1]) : ''
      }</td></tr>`,
    );
  }
  parts.push('</tbody></table>');
  const line = curl(method.toUpperCase(), path, operation, doc);
  if (line && secured) parts.push(`<h4>Try it</h4><pre class="curl">${esc(line)}</pre>`);
  parts.push('</section>');
  return parts.join('\n');
}

const METHODS = ['get', 'post', 'put', 'delete', 'patch'] as const;

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#fafbfc}
header{background:#1d2330;color:#fff;padding:1.5rem 2rem}header h1{margin:0 0 .25rem}header p{margin:.25rem 0;color:#c9d1e0}
main{display:grid;grid-template-columns:16rem 1fr;gap:2rem;padding:1.5rem 2rem;max-width:84rem}
main>div{min-width:0}
nav{position:sticky;top:1rem;align-self:start;font-size:14px}nav ul{list-style:none;padding:0;margin:0 0 1rem}nav li{margin:.2rem 0}
nav a{color:#1d2330;text-decoration:none}nav a:hover{text-decoration:underline}
section.op{background:#fff;border:1px solid #dfe3ea;border-radius:8px;padding:1rem 1.25rem;margin:0 0 1.5rem}
h2{border-bottom:2px solid #dfe3ea;padding-bottom:.25rem;margin-top:2rem}h3{margin:.25rem 0}h4{margin:1rem 0 .4rem}
.method{display:inline-block;min-width:3.5rem;text-align:center;border-radius:4px;color:#fff;font-size:13px;padding:.1rem .4rem}
.get{background:#2f7d4f}.post{background:#2a5fb0}.put{background:#a4660f}.delete{background:#a3262b}
.summary{margin:.25rem 0 .5rem;font-weight:600}.auth,.req{font-size:12px;font-weight:600;border-radius:3px;padding:0 .3rem}
.auth{background:#eef1f6;color:#445}.req{color:#a3262b}
table{border-collapse:collapse;width:100%;margin:.25rem 0 .75rem;font-size:14px}th,td{border-bottom:1px solid #e6e9ef;text-align:left;vertical-align:top;padding:.3rem .5rem}
th{background:#f3f5f8}td p{margin:.1rem 0}code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f1f3f6;padding:0 .2rem;border-radius:3px}
pre{background:#1d2330;color:#e8ecf3;padding:.75rem;border-radius:6px;overflow:auto;font-size:13px}
pre.curl{white-space:pre-wrap;word-break:break-all}
details{margin:.25rem 0}summary{cursor:pointer;color:#2a5fb0}.schema{font-size:13px;color:#556}.alt{font-weight:600;margin:.5rem 0 0}
@media (max-width:60rem){main{grid-template-columns:1fr}nav{position:static}}
`;

/** Renders the OpenAPI document as a page; `__SPI_BASE_URL__` in curl lines is left for the caller to fill in. */
export function renderDocsPage(doc: Json): string {
  const info = isObject(doc.info) ? doc.info : {};
  const paths = isObject(doc.paths) ? doc.paths : {};
  const ops: { path: string; method: string; op: Json; tag: string }[] = [];
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (isObject(op)) ops.push({ path, method, op, tag: String(asArray(op.tags)[0] ?? 'Other') });
    }
  }
  const tags = [...new Set(ops.map((o) => o.tag))];
  const schemas = isObject(doc.components) && isObject(doc.components.schemas) ? doc.components.schemas : {};
  const schemaSections = Object.keys(schemas).map((name) => `<section class="op" id="schema-${esc(name)}"><h3>${esc(name)}</h3>${fieldsTable(doc, schemas[name])}</section>`);
  const errorRows = ERROR_CODES.map((c) => `<tr><td><code>${esc(c)}</code></td><td>${ERROR_STATUS[c]}</td><td>${esc(ERROR_DESCRIPTIONS[c])}</td></tr>`);

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(info.title)} ${esc(info.version)}</title><style>${STYLE}</style></head>
<body><header><h1>${esc(info.title)}</h1><p>Version ${esc(info.version)} · OpenAPI ${esc(doc.openapi)} · <a style="color:#9cc3ff" href="openapi.json">openapi.json</a></p></header>
<main><nav>${tags
    .map(
      (t) =>
        `<b>${esc(t)}</b><ul>${ops
          .filter((o) => o.tag === t)
          .map((o) => `<li><a href="#${esc(o.op.operationId ?? '')}">${esc(o.method.toUpperCase())} ${esc(o.path)}</a></li>`)
          .join('')}</ul>`,
    )
    .join('')}<b>Reference</b><ul><li><a href="#errors">Error codes</a></li>${Object.keys(schemas)
    .map((n) => `<li><a href="#schema-${esc(n)}">${esc(n)}</a></li>`)
    .join('')}</ul></nav>
<div><section class="op"><h2 style="margin-top:0">Overview</h2>${markdown(info.description)}
<p>Base URL: <code>${BASE}</code>. Authentication: HTTP Basic, e.g. <code>curl -u demo:demo</code> with the development credential. In the examples, <code>$PAYMENTID</code> is the id <code>POST /payments</code> answered.</p></section>
${tags.map((t) => `<h2>${esc(t)}</h2>${ops.filter((o) => o.tag === t).map((o) => operationHtml(doc, o.path, o.method, o.op)).join('\n')}`).join('\n')}
<h2 id="errors">Error codes</h2><section class="op"><p>Every error answer has the <a href="#schema-ErrorBody">ErrorBody</a>; its <code>request_id</code> is also the <code>X-Request-Id</code> header. 5xx messages are fixed texts.</p>
<table><thead><tr><th>error_code</th><th>HTTP</th><th>meaning</th></tr></thead><tbody>${errorRows.join('')}</tbody></table></section>
<h2>Schemas</h2>${schemaSections.join('\n')}
</div></main></body></html>
`;
}

/** Fills the page's base URL placeholder, escaped. */
export function withBaseUrl(page: string, baseUrl: string): string {
  return page.split(BASE).join(esc(baseUrl));
}
