export * from './schemas';
export * from './errors';
export * from './money';
export * from './receipt';
export * from './fields';
export * from './client';
export * from './error-descriptions';
export * from './domain';
