/** For operators and integrators: readiness, metrics, the OpenAPI document and its /docs page. */
export { opsRouter } from './ops-router';
export { createReadinessCheck } from './readiness';
