/** HTTP plumbing: the server, the edge middleware, the contract's error body, JSON bodies, request metrics and the request log. */
export { createApiServer } from './api-server';
export { edgeMiddleware } from './edge-middleware';
export { assertValid } from './field-error';
export { HttpMetrics } from './http-metrics';
export { maskPhone } from './log-scrub';
export { createLogger } from './logger';
export { parseJsonBody, readJson, readJsonBytes } from './read-json';
export { errorResponse, SpiError } from './spi-error';
