import type { RetentionPolicy } from '@tinbao/shared/api/retention';
import { z } from 'zod';

const days = (fallback: number) =>
  z.coerce
    .number({ message: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(1, 'must be at least 1 day')
    .max(36_500, 'must be at most 36500 days (100 years)')
    .default(fallback);

/** The retention variables, shared by the api's config and the CLI (which reads nothing else of it). */
export const RETENTION_VARIABLES = {
  /** Days after closing before a closed tip's content is purged. */
  TINBAO_RETENTION_CLOSED_DAYS: days(365),
  /** Days after rejection (or being marked a duplicate) before the tip's content is purged. */
  TINBAO_RETENTION_REJECTED_DAYS: days(90),
};

export const RetentionConfigSchema = z.object(RETENTION_VARIABLES);
export type RetentionConfig = z.output<typeof RetentionConfigSchema>;

export function retentionPolicyOf(config: RetentionConfig): RetentionPolicy {
  return {
    closedDays: config.TINBAO_RETENTION_CLOSED_DAYS,
    rejectedDays: config.TINBAO_RETENTION_REJECTED_DAYS,
  };
}

/** The policy when nothing is configured: 365 days after closing, 90 after rejection or merging. */
export const DEFAULT_RETENTION_POLICY: RetentionPolicy = retentionPolicyOf(RetentionConfigSchema.parse({}));
