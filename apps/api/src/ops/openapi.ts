import type { TSchema } from 'typebox';
import {
  D,
  ERROR_CODES,
  ERROR_DESCRIPTIONS,
  ERROR_STATUS,
  ErrorBody,
  PAYMENT_STATES,
  Payment,
  PaymentIdParam,
  PaymentRequest,
  SetStateRequest,
  type ErrorCode,
} from '@payments/contract';
import * as ex from './openapi-examples';

/** TypeBox schemas are JSON Schema; a JSON round trip drops TypeBox's own (non-enumerable `~kind`…) keys. */
const plain = (schema: TSchema): Record<string, unknown> => JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;

const ref = (kind: 'schemas' | 'parameters' | 'responses' | 'headers', name: string) => ({ $ref: `#/components/${kind}/${name}` });
const json = (schema: unknown, examples?: Record<string, { summary: string; value: unknown }>) => ({
  'application/json': { schema, ...(examples ? { examples } : {}) },
});

/** The HTTP statuses the SPI answers errors with, each with the error codes it carries. */
export const ERROR_STATUSES = [...new Set(Object.values(ERROR_STATUS))].sort((a, b) => a - b);
export const codesFor = (status: number): ErrorCode[] => ERROR_CODES.filter((c) => ERROR_STATUS[c] === status);

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  404: 'Not found',
  409: 'Conflict with the payment’s state',
  413: 'Payload too large',
  422: 'Refused',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Unavailable',
};

/** One reusable response per error status: the ErrorBody, its error_code narrowed to that status's codes, an example per code. */
function errorResponse(status: number) {
  const codes = codesFor(status);
  const examples = Object.fromEntries(codes.map((c) => [c, { summary: ERROR_DESCRIPTIONS[c], value: ex.errorExample(c) }]));
  return {
    description: `${STATUS_TEXT[status] ?? 'Error'}: ${codes.map((c) => `\`${c}\``).join(', ')}`,
    headers: {
      'X-Request-Id': ref('headers', 'XRequestId'),
      ...(status === 401 ? { 'WWW-Authenticate': { description: 'Basic realm="sitoo-payments"', schema: { type: 'string' } } } : {}),
    },
    content: json({ allOf: [ref('schemas', 'ErrorBody'), { properties: { error_code: { enum: codes } } }] }, examples),
  };
}

const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [String(s), ref('responses', `Error${s}`)]));

/** Sitoo's optional register headers, logged and never required. */
const registerHeaders = [ref('parameters', 'StoreId'), ref('parameters', 'StaffId'), ref('parameters', 'RegisterId')];

const paymentExamples = {
  inprogress: { summary: 'The customer is to scan the QR code', value: ex.PAYMENT_INPROGRESS },
  ready_to_complete: { summary: 'Approved: the register must PUT completed within 3 minutes', value: ex.PAYMENT_READY },
  completed: { summary: 'Acknowledged by the register', value: ex.PAYMENT_COMPLETED },
  cancelled: { summary: 'Cancelled (and reversed)', value: ex.PAYMENT_CANCELLED },
};

const putPayment = (operationId: string, summary: string, description: string) => ({
  operationId,
  tags: ['SPI'],
  summary,
  description,
  parameters: [ref('parameters', 'PaymentId'), ...registerHeaders],
  requestBody: {
    required: true,
    content: json(ref('schemas', 'SetStateRequest'), {
      completed: { summary: 'Acknowledge a ready_to_complete payment', value: ex.SET_STATE_COMPLETED },
      cancelled: { summary: 'Cancel (reverses when money has moved)', value: ex.SET_STATE_CANCELLED },
      bare: { summary: 'The bare form, also accepted', value: ex.SET_STATE_BARE },
    }),
  },
  responses: {
    '200': {
      description: 'The payment after the change',
      headers: { 'X-Request-Id': ref('headers', 'XRequestId') },
      content: json(ref('schemas', 'Payment'), { completed: paymentExamples.completed, cancelled: paymentExamples.cancelled }),
    },
    ...errors(400, 401, 404, 409, 413, 429, 500, 503),
  },
});

const PUT_DESCRIPTION = [
  'The register sets the state. Transitions (current state → PUT):',
  '',
  '| current | PUT completed | PUT cancelled |',
  '|---|---|---|',
  '| inprogress | 409 `invalid-state` | stops the payment → cancelled |',
  '| ready_to_complete | → completed | reverses → cancelled |',
  '| completed | 200, no change | inside the late-cancel window: reverses → cancelled; otherwise 409 `reversal-not-possible` |',
  '| cancelled | 409 `invalid-state` | 200, no change |',
].join('\n');

const INFO_DESCRIPTION = [
  'The external payment system Sitoo POS calls through the Custom Payment SPI.',
  '',
  'A register POSTs a payment, polls GET about every 250 ms to show `paymentstate.message` and draw',
  '`paymentstate.qrcode`, and once the state is `ready_to_complete` PUTs `completed` within 3 minutes;',
  'otherwise the service reverses the payment and sets `cancelled`. Every answer comes within 1 s;',
  'when the service cannot answer in time it says `503 unavailable` rather than hang.',
  '',
  'Every SPI route needs HTTP Basic authentication with a credential of this service (one per merchant).',
  'Another merchant’s payment answers 404, exactly as an unknown one. Errors carry the `ErrorBody`;',
  'its `request_id` is also sent as the `X-Request-Id` header.',
  '',
  'Receipts: `receiptrow` prints under the payment row; each `receiptsection` line prints in two',
  'columns when it holds a tab — the title before the first tab (at most 12 characters), the value after it.',
].join('\n');

/** The OpenAPI 3.1 document of the SPI, built from the same TypeBox schemas that validate requests. */
export function buildOpenApi(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 'Sitoo Custom Payment SPI', version: '1.0.0', summary: 'The payment service Sitoo POS calls.', description: INFO_DESCRIPTION },
    servers: [{ url: '/', description: 'This service: the origin that serves this document' }],
    security: [{ basic: [] }],
    tags: [
      { name: 'SPI', description: 'The routes Sitoo POS calls, behind Basic auth.' },
      { name: 'Operations', description: 'Unauthenticated endpoints for probes, metrics and documentation.' },
    ],
    components: {
      securitySchemes: { basic: { type: 'http', scheme: 'basic', description: 'A credential of this service, never the merchant’s Sitoo API credential.' } },
      schemas: {
        PaymentRequest: plain(PaymentRequest),
        Payment: plain(Payment),
        SetStateRequest: plain(SetStateRequest),
        ErrorBody: plain(ErrorBody),
        PaymentId: plain(PaymentIdParam),
        PaymentStateName: { type: 'string', enum: [...PAYMENT_STATES] },
        ErrorCode: { type: 'string', enum: [...ERROR_CODES] },
        Readiness: {
          type: 'object',
          required: ['ready', 'temporal', 'workers'],
          properties: {
            ready: { type: 'boolean' },
            temporal: { type: 'string', enum: ['up', 'down'] },
            workers: { type: 'integer', minimum: 0, description: 'Workers seen polling the task queue within the last minute' },
            draining: { type: 'boolean', enum: [true], description: 'The API is stopping (SIGTERM): take it out of the load balancer; it still answers for API_DRAIN_MS' },
          },
        },
      },
      parameters: {
        PaymentId: { name: 'paymentid', in: 'path', required: true, description: 'The paymentid POST /payments answered.', schema: ref('schemas', 'PaymentId') },
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description: 'Makes POST /payments idempotent: the same key and body again answer the same paymentid; the same key with another body is 422 `idempotency-conflict`.',
          schema: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[\\x20-\\x7E]+$' },
        },
        StoreId: { name: 'Store-ID', in: 'header', required: false, description: 'Sent by newer Sitoo SPIs (URL-encoded); logged only.', schema: { type: 'string' } },
        StaffId: { name: 'Staff-ID', in: 'header', required: false, description: 'Sent by newer Sitoo SPIs (URL-encoded); logged only.', schema: { type: 'string' } },
        RegisterId: { name: 'Register-ID', in: 'header', required: false, description: 'Sent by newer Sitoo SPIs (URL-encoded); logged only.', schema: { type: 'string' } },
      },
      headers: {
        XRequestId: { description: 'The request id, also in every error body; quote it when reporting a problem.', schema: { type: 'string' } },
      },
      responses: Object.fromEntries(ERROR_STATUSES.map((s) => [`Error${s}`, errorResponse(s)])),
    },
    paths: {
      '/payments': {
        post: {
          operationId: 'startPayment',
          tags: ['SPI'],
          summary: 'Start a payment: a sale, or a refund when the amount is negative',
          description:
            'Unknown extra fields are accepted and ignored. `amount` is a plain decimal string with no more decimals than the currency allows; zero is refused. A refund with `creditpaymentid` credits that sale; all refunds of a sale together never exceed it.',
          parameters: [ref('parameters', 'IdempotencyKey'), ...registerHeaders],
          requestBody: {
            required: true,
            content: json(ref('schemas', 'PaymentRequest'), {
              sale: { summary: 'A sale', value: ex.SALE_REQUEST },
              refund: { summary: 'A refund of part of a sale', value: ex.REFUND_REQUEST },
            }),
          },
          responses: {
            '200': {
              description: 'The new paymentid, as a bare JSON string',
              headers: { 'X-Request-Id': ref('headers', 'XRequestId') },
              content: json({ type: 'string', minLength: 1, maxLength: 128 }, { paymentid: { summary: 'The new paymentid', value: ex.PAYMENT_INPROGRESS.paymentid } }),
            },
            ...errors(400, 401, 413, 422, 429, 500, 503),
          },
        },
      },
      '/payments/{paymentid}': {
        get: {
          operationId: 'getPayment',
          tags: ['SPI'],
          summary: 'Read a payment: what the register shows and prints (polled)',
          description: `\`paymentstate.${D.message}\` is always present; \`paymentstate.${D.qrcode}\` is set while the customer must scan and null otherwise.`,
          parameters: [ref('parameters', 'PaymentId'), ...registerHeaders],
          responses: {
            '200': { description: 'The payment', headers: { 'X-Request-Id': ref('headers', 'XRequestId') }, content: json(ref('schemas', 'Payment'), paymentExamples) },
            ...errors(401, 404, 429, 500, 503),
          },
        },
        put: putPayment('setPaymentState', 'Complete or cancel a payment', PUT_DESCRIPTION),
      },
      '/payment/{paymentid}': {
        put: putPayment('setPaymentStateSingular', 'Alias of PUT /payments/{paymentid}', 'Sitoo’s overview writes the singular `/payment/`; it behaves exactly as PUT /payments/{paymentid}.'),
      },
      '/healthz': {
        get: {
          operationId: 'health',
          tags: ['Operations'],
          summary: 'Liveness: 200 while the process runs',
          security: [],
          responses: { '200': { description: 'The process runs', content: json({ type: 'object', properties: { status: { const: 'ok' } } }) } },
        },
      },
      '/readyz': {
        get: {
          operationId: 'readiness',
          tags: ['Operations'],
          summary: 'Readiness: Temporal answers and a worker polls the task queue',
          security: [],
          responses: {
            '200': { description: 'Ready', content: json(ref('schemas', 'Readiness')) },
            '503': { description: 'Not ready: Temporal is down, no worker polls, or the API is draining before it stops', content: json(ref('schemas', 'Readiness')) },
          },
        },
      },
      '/metrics': {
        get: {
          operationId: 'metrics',
          tags: ['Operations'],
          summary: 'Prometheus metrics (text exposition format)',
          security: [],
          responses: { '200': { description: 'The metrics', content: { 'text/plain': { schema: { type: 'string' } } } } },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'openapi',
          tags: ['Operations'],
          summary: 'This document',
          security: [],
          responses: { '200': { description: 'The OpenAPI 3.1 document', content: json({ type: 'object' }) } },
        },
      },
      '/docs': {
        get: {
          operationId: 'docs',
          tags: ['Operations'],
          summary: 'This document as a readable page (self-contained HTML)',
          security: [],
          responses: { '200': { description: 'The page', content: { 'text/html': { schema: { type: 'string' } } } } },
        },
      },
    },
  };
}
