import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { validateSamples } from '@secondrow/codec';
import { DeviceRegistry, SampleStore } from '@secondrow/codec/dynamodb';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { type ConsumerConfig, DEFAULT_CONFIG, loadConfig } from './config.js';
import { retriesRegistryNote } from './failure-policy.js';
import {
  type ConsumerLogger,
  type ConsumerMetrics,
  createLogger,
  createMetrics,
  publishSummary,
} from './instrumentation.js';
import {
  type BadRecordReport,
  type DeadlineContext,
  type DeviceNoter,
  type ProcessResult,
  processBatch,
  type QuarantineWriter,
  type SampleWriter,
} from './process-batch.js';
import { Quarantine } from './quarantine.js';

/** The settings {@link createHandler} uses; every field defaults as in {@link loadConfig}. */
export type HandlerConfig = Pick<
  ConsumerConfig,
  | 'resolution'
  | 'range'
  | 'maxSamplesPerRecord'
  | 'maxRecordBytes'
  | 'deadlineMarginMs'
  | 'requirePartitionKeyMatch'
  | 'serviceName'
  | 'metricsNamespace'
>;

/** Dependencies of {@link createHandler}. */
export interface HandlerDeps {
  /** Row store, normally a `SampleStore` over a DynamoDB client created once per container. */
  store: SampleWriter;
  /**
   * Where bad records and rows that can never be stored are kept. Without one, bad records are only logged
   * (with their bytes, base64) and such rows are retried.
   */
  quarantine?: QuarantineWriter | undefined;
  /**
   * Device registry, normally a `DeviceRegistry` on the row table: told each device's stored range after
   * the writes. Its failures are logged and counted, never turned into batch item failures.
   */
  registry?: DeviceNoter | undefined;
  /** Logger; default a Powertools `Logger`. */
  logger?: ConsumerLogger | undefined;
  /** Metrics; default Powertools `Metrics` (EMF on stdout, off with `POWERTOOLS_METRICS_DISABLED=true`); `false` for none. */
  metrics?: ConsumerMetrics | false | undefined;
  /** Limits and names; defaults as in {@link loadConfig}. */
  config?: Partial<HandlerConfig> | undefined;
  /** Clock, epoch ms; for tests. */
  now?: () => number;
  /** Called with the full result of each invocation (tests, the local runner). */
  onResult?: (result: ProcessResult) => void;
}

/** A Kinesis batch handler with partial batch responses. */
export type KinesisBatchHandler = (
  event: KinesisStreamEvent,
  context?: DeadlineContext,
) => Promise<KinesisStreamBatchResponse>;

// A flood of bad records must not flood the log: details for the first ones, a count for the rest.
const MAX_BAD_RECORD_LOGS = 50;
const MAX_LOGGED_RAW_BYTES = 4_096;

/**
 * Builds the Lambda handler around injected dependencies (tests, the local
 * runner). The handler parses, quarantines, writes and answers with
 * `batchItemFailures`; it logs one summary line per invocation and publishes metrics.
 *
 * @param deps - Store, quarantine, logger, metrics and limits.
 * @returns `(event, context) => Promise<KinesisStreamBatchResponse>`.
 * @throws `InvalidOptionError` from the codec when `resolution` or `range` are invalid.
 * @example
 * ```ts
 * const handler = createHandler({ store: new SampleStore({ client, tableName }), quarantine: new Quarantine({ client, tableName }) });
 * const { batchItemFailures } = await handler(event, context);
 * ```
 */
export function createHandler(deps: HandlerDeps): KinesisBatchHandler {
  const config = { ...DEFAULT_CONFIG, ...stripUndefined(deps.config ?? {}) };
  // Fail at creation, not per record, when the pack options themselves are wrong.
  validateSamples([], { resolution: config.resolution, range: config.range });
  const logger = deps.logger ?? createLogger(config.serviceName);
  const metrics =
    deps.metrics === false
      ? undefined
      : (deps.metrics ?? createMetrics(config.metricsNamespace, config.serviceName));
  const options = {
    resolution: config.resolution,
    range: config.range,
    maxSamplesPerRecord: config.maxSamplesPerRecord,
    maxRecordBytes: config.maxRecordBytes,
    deadlineMarginMs: config.deadlineMarginMs,
    requirePartitionKeyMatch: config.requirePartitionKeyMatch ?? false,
    ...(deps.now ? { now: deps.now } : {}),
  };
  return async (event, context) => {
    const result = await processBatch(event, context, {
      store: deps.store,
      quarantine: deps.quarantine,
      registry: deps.registry,
      options,
    });
    logBadRecords(logger, result.badRecords);
    const transient = result.failedRows.filter((f) => f.kind === 'transient');
    if (transient.length > 0) {
      logger.warn('rows not written (transient failures); their records will be retried', {
        failedRows: transient.length,
        examples: transient
          .slice(0, 5)
          .map((f) => ({ deviceId: f.deviceId, startMs: f.startMs, code: f.code })),
        batchItemFailures: result.response.batchItemFailures.length,
      });
    }
    const permanent = result.failedRows.filter((f) => f.kind === 'permanent');
    if (permanent.length > 0) {
      logger.error('rows that can never be stored; kept in the quarantine, or retried when that failed', {
        failedRows: permanent.length,
        examples: permanent.slice(0, 5).map((f) => ({
          deviceId: f.deviceId,
          startMs: f.startMs,
          code: f.code,
          quarantine: f.quarantine,
        })),
      });
    }
    if (result.summary.writeError !== null) {
      logger.error('a store call failed as a whole; its devices were classified by the error', {
        error: result.summary.writeError,
      });
    }
    if (result.registryFailures.length > 0) {
      logger.warn('device registry not updated', {
        devices: result.registryFailures.length,
        // Their records are in batchItemFailures; the others wait for an operator or the device's next write.
        retried: result.registryFailures.filter((f) => retriesRegistryNote(f.error)).length,
        examples: result.registryFailures.slice(0, 5).map((f) => ({
          deviceId: f.deviceId,
          code: (f.error as { code?: unknown } | undefined)?.code,
          error: f.error instanceof Error ? f.error.message : String(f.error),
        })),
      });
    }
    publishSummary(result.summary, logger, metrics);
    deps.onResult?.(result);
    return result.response;
  };
}

function logBadRecords(logger: ConsumerLogger, bad: readonly BadRecordReport[]): void {
  for (const report of bad.slice(0, MAX_BAD_RECORD_LOGS)) {
    // Without a durable quarantine copy, the log line is the only place the bytes survive.
    const keepBytes = report.quarantine === 'none' || report.quarantine === 'failed';
    logger.warn('bad record', {
      shardId: report.shardId,
      sequenceNumber: report.sequenceNumber,
      subSequenceNumber: report.subSequenceNumber,
      code: report.code,
      reason: report.reason,
      index: report.index,
      field: report.field,
      quarantine: report.quarantine,
      ...(keepBytes
        ? {
            rawBase64: Buffer.from(report.raw.subarray(0, MAX_LOGGED_RAW_BYTES)).toString('base64'),
            rawBytes: report.raw.length,
          }
        : {}),
    });
  }
  if (bad.length > MAX_BAD_RECORD_LOGS) {
    logger.warn('more bad records not logged individually', { count: bad.length - MAX_BAD_RECORD_LOGS });
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Builds the production handler from the environment: one DynamoDB client,
 * store, quarantine, device registry (unless `DEVICE_REGISTRY=off`), logger and metrics per container. The client is
 * `new DynamoDBClient({})`, so the standard SDK settings apply (`AWS_REGION`,
 * credentials, `AWS_ENDPOINT_URL_DYNAMODB` for a local server, ...).
 *
 * @param env - Environment; default `process.env`.
 * @throws {@link ConfigError} when the environment is invalid.
 */
export function createHandlerFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): KinesisBatchHandler {
  const config = loadConfig(env);
  const client = new DynamoDBClient({});
  const store = new SampleStore({
    client,
    tableName: config.tableName,
    windowSeconds: config.windowSeconds,
    resolution: config.resolution,
    range: config.range,
    ...(config.ttlSeconds === undefined ? {} : { ttlSeconds: config.ttlSeconds }),
    ...(config.writeMaxAttempts === undefined ? {} : { maxAttempts: config.writeMaxAttempts }),
  });
  return createHandler({
    store,
    quarantine: new Quarantine({ client, tableName: config.quarantineTableName }),
    registry: config.deviceRegistry ? new DeviceRegistry({ client, tableName: config.tableName }) : undefined,
    logger: createLogger(config.serviceName),
    metrics: createMetrics(config.metricsNamespace, config.serviceName),
    config,
  });
}
