export { VippsSim, type VippsAnswerSource } from './vipps-sim';
export { vippsRoutes } from './vipps-routes';
export { vippsSimRoutes } from './vipps-sim-routes';
export { vippsReportRoutes } from './vipps-report-routes';
export { vippsPageRoutes } from './vipps-page-routes';
export { VippsWebhooks, vippsWebhookHeaders, webhookEventType, type VippsWebhookEndpoint, type VippsWebhookFaults } from './vipps-webhooks';
export { vippsCustomerFor, type VippsCustomer } from './vipps-test-amounts';
