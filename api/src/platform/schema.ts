/**
 * Every table, gathered for Drizzle (queries, drizzle-kit): each feature declares its own
 * tables beside its code (`tips/schema.ts`, `units/schema.ts`, …); this module only collects them.
 */
export * from '../admin-units/schema';
export * from '../audit/schema';
export * from '../auth/schema';
export * from '../questions/schema';
export * from '../routing/schema';
export * from '../tips/schema';
export * from '../units/schema';
export * from '../users/schema';
export { bytea } from './columns';
