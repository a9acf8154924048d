/** Bounded in-memory tables: the newest entries kept, the oldest dropped. */
export { ExpiringSet } from './expiring-set';
export { storeNewest } from './newest-first';
