export { paced, type ProviderRecord, type ProviderRecords, type RecordPageRequest } from './provider-records';
export { ACQUIRER_RECORD_CALLS_PER_SECOND, createHttpAcquirerRecords } from './http-acquirer-records';
export { createStripeRecords, intentRecord, refundRecord } from './stripe-records';
export { createVippsRecords, holdRecord, ledgerRecord, VIPPS_RECORD_CALLS_PER_SECOND, type KnownPaymentPage, type VippsRecordsOptions } from './vipps-records';
