import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * Names of the metrics the consumer publishes once per invocation (`publishSummary` of `@secondrow/consumer`,
 * as Powertools EMF, unit Count) that the stack alarms on. The test suite checks them against what
 * `publishSummary` really publishes.
 */
export const CONSUMER_METRIC_NAMES = {
  /** Records reported in `batchItemFailures` (transient failures; Lambda retries them). */
  failedRecords: 'FailedRecords',
  /** Bad records and unstorable rows whose quarantine write failed (their records are retried). */
  quarantineFailures: 'QuarantineFailures',
  /** Rows that can never be stored, kept in the quarantine with their samples (their records are acknowledged). */
  rowsQuarantined: 'RowsQuarantined',
} as const;

/**
 * One of the consumer's metrics as CloudWatch sees it: in the configured namespace, with the one dimension
 * Powertools adds, `service`.
 *
 * @param name - A value of {@link CONSUMER_METRIC_NAMES}.
 * @param namespace - `POWERTOOLS_METRICS_NAMESPACE` of the function.
 * @param service - `POWERTOOLS_SERVICE_NAME` of the function.
 * @returns The 5-minute sum.
 */
export function consumerMetric(name: string, namespace: string, service: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace,
    metricName: name,
    dimensionsMap: { service },
    statistic: 'Sum',
    period: Duration.minutes(5),
  });
}
