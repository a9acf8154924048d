import { validate } from '@readme/openapi-parser';
import type { TSchema } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';
import pino from 'pino';
import type Router from '@koa/router';
import { loadApiConfig } from '@payments/config';
import { ERROR_CODES, ERROR_STATUS, ErrorBody, Payment, PaymentRequest, SetStateRequest } from '@payments/contract';
import { createApp } from '../app';
import { FakeTemporal } from '../__fixtures__/fake-temporal';
import { startApi, type Api } from '../__fixtures__/harness';
import { buildOpenApi, codesFor, ERROR_STATUSES } from './openapi';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- walking a JSON document

const validateDocument = (doc: Json) => validate(structuredClone(doc) as unknown as Parameters<typeof validate>[0]);

describe('/openapi.json checked by a third-party validator (@readme/openapi-parser)', () => {
  test('the document is valid OpenAPI 3.1, without errors or warnings', async () => {
    const result = await validateDocument(buildOpenApi());
    expect(result.specification).toBe('OpenAPI');
    expect(result.valid ? [] : result.errors.map((e) => e.message)).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  test('the validator does catch a broken document (a $ref to nowhere, a response without a description)', async () => {
    const broken = buildOpenApi() as Json;
    broken.paths['/payments'].post.responses['200'].content['application/json'].schema = { $ref: '#/components/schemas/Nowhere' };
    expect((await validateDocument(broken)).valid).toBe(false);
    const undescribed = buildOpenApi() as Json;
    delete undescribed.paths['/healthz'].get.responses['200'].description;
    expect((await validateDocument(undescribed)).valid).toBe(false);
  });
});

describe('the document describes what the app serves', () => {
  /** Every route of the app's routers: (method, OpenAPI path). */
  function servedRoutes(): string[] {
    const fake = new FakeTemporal();
    const app = createApp({ config: loadApiConfig({}), temporal: { client: fake.client, taskQueue: 'payments' }, logger: pino({ level: 'silent' }) });
    const routes: string[] = [];
    for (const mw of app.middleware as unknown as { router?: Router }[]) {
      for (const layer of mw.router?.stack ?? []) {
        for (const method of layer.methods.filter((m) => m !== 'HEAD')) routes.push(`${method} ${String(layer.path).replace(/:(\w+)/g, '{$1}')}`);
      }
    }
    return routes.sort();
  }

  /** Served but not for integrators: the acquirer's webhook is between the acquirer and us. */
  const NOT_FOR_INTEGRATORS = /^POST \/(callbacks|webhooks)\//;

  test('every route the app serves is in paths, and every path is served — the /payment/{paymentid} alias included', () => {
    const doc = buildOpenApi() as Json;
    const documented = Object.entries(doc.paths as Json)
      .flatMap(([path, item]) => Object.keys(item as Json).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toContain('PUT /payment/{paymentid}');
    expect(documented).toEqual(servedRoutes().filter((r) => !NOT_FOR_INTEGRATORS.test(r)));
  });

  test('request and response schemas are the contract’s TypeBox objects', () => {
    const schemas = (buildOpenApi() as Json).components.schemas;
    const plain = (s: TSchema) => JSON.parse(JSON.stringify(s));
    expect(schemas.PaymentRequest).toEqual(plain(PaymentRequest));
    expect(schemas.Payment).toEqual(plain(Payment));
    expect(schemas.SetStateRequest).toEqual(plain(SetStateRequest));
    expect(schemas.ErrorBody).toEqual(plain(ErrorBody));
  });

  test('SPI operations need Basic auth; operations endpoints none', () => {
    const doc = buildOpenApi() as Json;
    expect(doc.components.securitySchemes.basic).toMatchObject({ type: 'http', scheme: 'basic' });
    expect(doc.security).toEqual([{ basic: [] }]);
    for (const [path, item] of Object.entries(doc.paths as Json)) {
      for (const op of Object.values(item as Json)) {
        if (op.tags[0] === 'SPI') expect(op.security).toBeUndefined();
        else expect([path, op.security]).toEqual([path, []]);
      }
    }
  });

  test('each error status has one response whose error_code is exactly the contract’s codes for it, with an example per code', () => {
    const doc = buildOpenApi() as Json;
    const documentedCodes: string[] = [];
    for (const status of ERROR_STATUSES) {
      const media = doc.components.responses[`Error${status}`].content['application/json'];
      expect(media.schema.allOf[0]).toEqual({ $ref: '#/components/schemas/ErrorBody' });
      expect(media.schema.allOf[1].properties.error_code.enum).toEqual(codesFor(status));
      expect(Object.keys(media.examples)).toEqual(codesFor(status));
      documentedCodes.push(...codesFor(status));
    }
    expect(documentedCodes.sort()).toEqual([...ERROR_CODES].sort());
    // And the operations point at them: a PUT can say 409, a GET cannot.
    expect(doc.paths['/payments/{paymentid}'].put.responses['409']).toEqual({ $ref: '#/components/responses/Error409' });
    expect(doc.paths['/payments/{paymentid}'].get.responses['409']).toBeUndefined();
    expect(doc.paths['/payments'].post.responses['422']).toEqual({ $ref: '#/components/responses/Error422' });
  });

  test('every example in the document fits the contract’s schema for it', () => {
    const doc = buildOpenApi() as Json;
    const checkers: Record<string, Validator> = {
      PaymentRequest: Compile(PaymentRequest),
      Payment: Compile(Payment),
      SetStateRequest: Compile(SetStateRequest),
      ErrorBody: Compile(ErrorBody),
    };
    let checked = 0;
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(visit);
      if (typeof node !== 'object' || node === null) return;
      const media = node as Json;
      const ref: string | undefined = media.schema?.$ref ?? media.schema?.allOf?.[0]?.$ref;
      const name = ref?.split('/').pop();
      if (media.examples && name && checkers[name]) {
        for (const [key, example] of Object.entries(media.examples as Json)) {
          const errors = checkers[name].Errors(example.value).map((e) => `${e.instancePath} ${e.message}`);
          expect([key, errors]).toEqual([key, []]);
          if (name === 'ErrorBody') expect(ERROR_STATUS[example.value.error_code as keyof typeof ERROR_STATUS]).toBeDefined();
          checked++;
        }
      }
      Object.values(media).forEach(visit);
    };
    visit(doc);
    expect(checked).toBeGreaterThan(20);
  });
});

describe('GET /docs', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  test('→ 200 self-contained HTML: no script, nothing fetched from elsewhere, a CSP that forbids both', async () => {
    const res = await api.request('GET', '/docs', { auth: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const html = res.body as string;
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|<img|src=|@import|url\(/i);
    expect(html.match(/href="([^"]+)"/g)?.every((h) => h.startsWith('href="#') || h === 'href="openapi.json"')).toBe(true);
  });

  test('shows every route, the request fields, every error code and a curl line against this server', async () => {
    const html = (await api.request('GET', '/docs', { auth: null })).body as string;
    for (const route of ['POST</span> <code>/payments</code>', 'GET</span> <code>/payments/{paymentid}</code>', 'PUT</span> <code>/payment/{paymentid}</code>']) {
      expect(html).toContain(route);
    }
    for (const field of ['cartitems[].sku', 'paymentstate.receiptsection', 'creditpaymentid', 'error_data.field']) expect(html).toContain(`<code>${field}</code>`);
    for (const code of ERROR_CODES) expect(html).toContain(`<td><code>${code}</code></td><td>${ERROR_STATUS[code]}</td>`);
    expect(html).toContain(`curl -sS -X POST -u demo:demo -H &#39;Content-Type: application/json&#39; -d &#39;{&quot;creditpaymentid&quot;:null`);
    expect(html).toContain(`&quot;${api.url}/payments&quot;`);
    expect(html).toContain(`curl -sS -u demo:demo &quot;${api.url}/payments/$PAYMENTID&quot;`);
  });
});
