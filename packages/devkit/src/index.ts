/**
 * What secondrow's tests, benchmarks and the simulator/demo share, and nothing a published package needs:
 * the real recordings shipped in `data/accel` and their one parser, a seeded PRNG, nearest-rank
 * percentiles, a progress bar, `sleep`, strict number flags, the dated DynamoDB price sheet, and the
 * factories of producer records (JSON v1, 2015 JSON, Avro batches, gzip, KPL aggregates) and of the
 * Kinesis events Lambda delivers, the one Lambda bundling recipe (`bundleLambda`, esbuild), the dated
 * IoT Core price sheet with its 5 KB metering (`iotMonthlyCost`) and the IoT path's topic layout
 * (`IOT_TOPICS`), and the dated Kinesis Data Streams, Lambda and SQS price sheets of the pipeline's cost model.
 *
 * @packageDocumentation
 */
export {
  BYTES_PER_GB,
  DYNAMODB_PRICES,
  HOURS_PER_MONTH,
  ITEM_STORAGE_OVERHEAD_BYTES,
  type Prices,
} from './aws-prices.js';
export {
  CHROMIUM_PATH,
  ChromiumMissingError,
  type LaunchChromiumOptions,
  launchChromium,
  requireChromium,
} from './chromium.js';
export {
  DevkitError,
  type DevkitErrorCode,
  FlagError,
  RecordingFormatError,
  RecordingNotFoundError,
  UsageError,
} from './errors.js';
export { type NumberFlagOptions, parseNumberFlag } from './flags.js';
export {
  IOT_CORE_PRICES,
  type IotCorePrices,
  type IotMonthlyCost,
  type IotUsage,
  iotMeteredUnits,
  iotMonthlyCost,
} from './iot-prices.js';
export { IOT_TOPICS, iotDeviceTopic, iotPartitionKey, iotRuleSql } from './iot-topics.js';
export {
  type KinesisRecordOptions,
  kinesisEvent,
  kinesisRecord,
  lambdaContext,
  SHARD_ID,
  STREAM_ARN,
} from './kinesis-events.js';
export { KINESIS_PRICES, type KinesisPrices } from './kinesis-prices.js';
export { bundleLambda, type LambdaBundle, type LambdaBundleOptions } from './lambda-bundle.js';
export { LAMBDA_PRICES, type LambdaPrices } from './lambda-prices.js';
export { type Percentiles, percentileOf, percentiles } from './percentiles.js';
export { Prng } from './prng.js';
export {
  avroBatch,
  gzip,
  jsonV1,
  kplAggregate,
  legacy2015,
  legacyTimestamp,
  makeSamples,
  sampleKeys,
} from './producer-records.js';
export { ProgressBar, type ProgressBarOptions } from './progress.js';
export {
  listRecordings,
  type ParseRecordingOptions,
  parseRecording,
  type Recording,
  readRecording,
  recordingFiles,
  recordingsDir,
} from './recordings.js';
export { type Sleep, sleep } from './sleep.js';
export { SQS_PRICES, type SqsPrices } from './sqs-prices.js';
