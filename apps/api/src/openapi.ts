import type { TSchema } from '@sinclair/typebox';
import { D, ERROR_STATUS, ErrorBody, Payment, PaymentIdParam, PaymentRequest, SetStateRequest, type ErrorCode } from '@payments/contract';

/** TypeBox schemas are JSON Schema; a JSON round trip drops TypeBox's symbol keys. */
const plain = (schema: TSchema): Record<string, unknown> => JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });

/** Error responses by status, each listing the codes it carries. */
function errors(...statuses: number[]) {
  const byStatus: Record<string, { description: string; content: unknown }> = {};
  for (const status of statuses) {
    const codes = (Object.keys(ERROR_STATUS) as ErrorCode[]).filter((c) => ERROR_STATUS[c] === status);
    byStatus[String(status)] = { description: `Error: ${codes.join(', ')}`, content: json(ref('ErrorBody')) };
  }
  return byStatus;
}

const paymentIdParameter = { name: 'paymentid', in: 'path', required: true, schema: ref('PaymentId') };

const putPayment = (summary: string) => ({
  summary,
  security: [{ basic: [] }],
  parameters: [paymentIdParameter],
  requestBody: { required: true, content: json(ref('SetStateRequest')) },
  responses: { '200': { description: 'The payment after the change', content: json(ref('Payment')) }, ...errors(400, 401, 404, 409, 413, 500, 503) },
});

/** The OpenAPI 3.1 document of the SPI, built from the same TypeBox schemas that validate requests. */
export function buildOpenApi(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 'Sitoo Custom Payment SPI', version: '1.0.0', description: 'The payment service Sitoo POS calls.' },
    components: {
      securitySchemes: { basic: { type: 'http', scheme: 'basic' } },
      schemas: {
        PaymentRequest: plain(PaymentRequest),
        Payment: plain(Payment),
        SetStateRequest: plain(SetStateRequest),
        ErrorBody: plain(ErrorBody),
        PaymentId: plain(PaymentIdParam),
      },
    },
    paths: {
      '/payments': {
        post: {
          summary: 'Start a payment (a sale, or a refund when the amount is negative)',
          security: [{ basic: [] }],
          parameters: [
            { name: D.idempotencyKey, in: 'header', required: false, schema: { type: 'string', minLength: 1, maxLength: 128 } },
          ],
          requestBody: { required: true, content: json(ref('PaymentRequest')) },
          responses: {
            '200': { description: 'The new paymentid, as a bare JSON string', content: json({ type: 'string' }) },
            ...errors(400, 401, 413, 422, 500, 503),
          },
        },
      },
      '/payments/{paymentid}': {
        get: {
          summary: 'Read a payment (the register polls this)',
          security: [{ basic: [] }],
          parameters: [paymentIdParameter],
          responses: { '200': { description: 'The payment', content: json(ref('Payment')) }, ...errors(401, 404, 500, 503) },
        },
        put: putPayment('Complete or cancel a payment'),
      },
      '/payment/{paymentid}': { put: putPayment('Alias of PUT /payments/{paymentid}, as Sitoo\'s overview writes it') },
      '/healthz': { get: { summary: 'Liveness', security: [], responses: { '200': { description: 'The process runs' } } } },
      '/readyz': {
        get: {
          summary: 'Readiness: Temporal answers and a worker polls the task queue',
          security: [],
          responses: { '200': { description: 'Ready' }, '503': { description: 'Not ready' } },
        },
      },
    },
  };
}
