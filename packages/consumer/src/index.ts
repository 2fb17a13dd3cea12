/**
 * `@secondrow/consumer`: the Kinesis to DynamoDB consumer as a library. Importing it runs nothing; the
 * deployed Lambda's entry point is src/lambda.ts, bundled by `pnpm bundle`.
 *
 * @packageDocumentation
 */
export { type ConsumerConfig, DEFAULT_CONFIG, type Env, loadConfig } from './config.js';
export {
  ConfigError,
  ConsumerError,
  type ConsumerErrorCode,
  isConsumerError,
  OptionError,
  QuarantineError,
  RecordError,
  type RecordErrorCode,
  ReplayError,
} from './errors.js';
export { EVENT_SOURCE_MAPPING, type EventSourceMappingSettings } from './event-source-mapping.js';
export type { DecodedBatch, FormatLimits, RecordFormat } from './formats/record-part.js';
export {
  createHandler,
  createHandlerFromEnv,
  type HandlerConfig,
  type HandlerDeps,
  type KinesisBatchHandler,
} from './handler.js';
export {
  type ConsumerLogger,
  type ConsumerMetrics,
  type InvocationSummary,
  type LatencyStats,
  latencyStats,
  type ParseCounts,
  publishSummary,
} from './instrumentation.js';
export {
  type AcceptedPart,
  type ParsedRecord,
  type ParseOptions,
  parseRecord,
  type RecordMeta,
  type RecordPart,
  type RejectedPart,
} from './parse-record.js';
export {
  type BadRecordReport,
  type DeadlineContext,
  type DeviceNoter,
  type DeviceRangeNote,
  type FailedRowReport,
  type ProcessDeps,
  type ProcessOptions,
  type ProcessResult,
  processBatch,
  type QuarantineOutcome,
  type QuarantineWriter,
  type SampleWriter,
} from './process-batch.js';
export {
  DEFAULT_MAX_RAW_BYTES,
  Quarantine,
  type QuarantinedRecord,
  type QuarantineEntry,
  type QuarantineOptions,
  quarantineKey,
  type RecordQuarantineEntry,
  type RowQuarantineEntry,
  rowQuarantineKey,
} from './quarantine.js';
export {
  type KinesisBatchInfo,
  parseFailureMessage,
  type ReplayDeps,
  type ReplayHandler,
  type ReplayResult,
  replayFailedBatch,
} from './replay.js';
