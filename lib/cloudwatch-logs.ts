/**
 * CloudWatch Logs retention: the periods the service accepts and the one default every log group of the
 * stack uses unless the stack config says otherwise.
 */

/** Retention periods CloudWatch Logs accepts (days; PutRetentionPolicy API reference, `retentionInDays`). */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** A retention period CloudWatch Logs accepts. */
export type LogRetentionDays = (typeof LOG_RETENTION_DAYS)[number];

/** The retention of every log group the stack creates unless `logRetentionDays` is set (days). */
export const DEFAULT_LOG_RETENTION_DAYS = 30;

/** True for a period CloudWatch Logs accepts. */
export function isLogRetention(days: number): days is LogRetentionDays {
    return (LOG_RETENTION_DAYS as readonly number[]).includes(days);
}
