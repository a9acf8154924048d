import type { Context } from 'koa';
import { StripeWireError } from './stripe-wire-error';

/** A form value as Stripe's clients encode it: strings, nested by `a[b]`, listed by `a[0]` or `a[]`. */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type Form = Record<string, FormValue>;

const BODY_LIMIT = 64 * 1024;

/** Parses `application/x-www-form-urlencoded` with Stripe's bracket nesting (`metadata[paymentid]=…`). */
export function parseForm(text: string): Form {
  const root: Form = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey);
    if (!match) throw new StripeWireError(400, 'invalid_request_error', `Invalid parameter name: ${rawKey}`, { param: rawKey });
    const path = [match[1] as string, ...[...(match[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] as string)];
    let node: Record<string, FormValue> | FormValue[] = root;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i] as string;
      const last = i === path.length - 1;
      const nextIsList = !last && /^\d*$/.test(path[i + 1] as string);
      if (Array.isArray(node)) {
        const index = seg === '' ? node.length : Number(seg);
        if (last) node[index] = value;
        else node = (node[index] ??= nextIsList ? [] : {}) as Record<string, FormValue> | FormValue[];
      } else {
        if (last) node[seg] = value;
        else node = (node[seg] ??= nextIsList ? [] : {}) as Record<string, FormValue> | FormValue[];
      }
    }
  }
  return root;
}

/** The request's parameters: the form body of a POST, the query string of a GET. */
export async function readParams(ctx: Context): Promise<Form> {
  if (ctx.method === 'GET' || ctx.method === 'DELETE') return parseForm(ctx.querystring);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > BODY_LIMIT) throw new StripeWireError(400, 'invalid_request_error', 'Request body too large');
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const type = ctx.get('content-type');
  if (text !== '' && !type.startsWith('application/x-www-form-urlencoded')) {
    throw new StripeWireError(400, 'invalid_request_error', 'Invalid request: bodies must be application/x-www-form-urlencoded');
  }
  return parseForm(text);
}

/** Field readers that answer Stripe's `parameter_missing` / `parameter_invalid_*` errors. */
export const param = {
  string(form: Form, name: string): string {
    const v = form[name];
    if (v === undefined || v === '') throw new StripeWireError(400, 'invalid_request_error', `Missing required param: ${name}.`, { code: 'parameter_missing', param: name });
    if (typeof v !== 'string') throw new StripeWireError(400, 'invalid_request_error', `Invalid string: ${name}`, { code: 'parameter_invalid_string', param: name });
    return v;
  },
  optionalString(form: Form, name: string): string | null {
    return form[name] === undefined ? null : param.string(form, name);
  },
  integer(form: Form, name: string): number {
    const v = param.string(form, name);
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v)) || Number(v) < 1) {
      throw new StripeWireError(400, 'invalid_request_error', `Invalid positive integer: ${name}`, { code: 'parameter_invalid_integer', param: name });
    }
    return Number(v);
  },
  list(form: Form, name: string): string[] {
    const v = form[name];
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new StripeWireError(400, 'invalid_request_error', `Invalid array: ${name}`, { param: name });
    return v as string[];
  },
  metadata(form: Form): Record<string, string> {
    const v = form.metadata;
    if (v === undefined || v === '') return {};
    if (typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) {
      throw new StripeWireError(400, 'invalid_request_error', 'Invalid object: metadata', { param: 'metadata' });
    }
    return v as Record<string, string>;
  },
};
