/**
 * `@secondrow/simulator`: simulated watches and phones that send accelerometer batches the way the
 * 2015 app did (200-sample batches, a Kinesis recorder flushing every 30 s, at-least-once), with
 * faults and an exact ground truth, plus the end-to-end demo on local Kinesis and DynamoDB.
 *
 * @packageDocumentation
 */

export { type Percentiles, Prng, percentiles } from '@secondrow/devkit';
export {
  type AwsFaults,
  CONSUMER_OPERATIONS,
  checkAwsFaults,
  DEFAULT_AWS_FAULTS,
  NO_AWS_FAULTS,
  toLocalFaultOptions,
} from './aws-faults.js';
export { VirtualClock } from './clock.js';
export {
  BUNDLED_CLIP_PATH,
  type CsvReplayOptions,
  createCsvReplaySource,
  loadAccelCsv,
  medianPeriodMs,
  parseAccelCsv,
} from './csv-source.js';
export { runDemo } from './demo.js';
export {
  DEMO_DEFAULTS,
  DEMO_TRANSPORTS,
  type DemoDefaults,
  type DemoOptions,
  type DemoTransport,
} from './demo-options.js';
export type { CapacityReport, DemoReport, InjectedByKind, PassSummary } from './demo-report.js';
export { DEVICE_ID_REGION, deviceId, deviceIds, isCognitoStyleId } from './device-id.js';
export {
  CsvFormatError,
  InvalidSimulatorOptionError,
  isSimulatorError,
  PutRecordsError,
  SimulatorError,
  type SimulatorErrorCode,
} from './errors.js';
export {
  DEFAULT_FAULT_RATES,
  DEFAULT_FAULT_SHAPE,
  drawClockSkewMs,
  drawOfflineWindow,
  FAULT_NAMES,
  type FaultRates,
  type FaultShape,
  GapInjector,
  type InjectedFaults,
  NO_FAULTS,
  noInjectedFaults,
  type OfflineWindow,
  parseFaultRates,
  reorderInPlace,
} from './faults.js';
export { findGaps, GroundTruth, type Verification, verify } from './ground-truth.js';
export { type IotCostReport, iotCostReport } from './iot-cost.js';
export { KinesisRecordSink } from './kinesis-sink.js';
export { type CeilingOptions, type LocalCeilings, measureLocalCeilings } from './local-ceilings.js';
export {
  createMotionSource,
  MAX_RATE_HZ,
  MOTION_ACTIVITIES,
  type MotionActivity,
  type MotionSourceOptions,
} from './motion-model.js';
export { type BatchPart, payloadBudget, splitBatch } from './mqtt-batches.js';
export {
  type BrokerFaults,
  DEFAULT_BROKER_FAULTS,
  type MqttPassReport,
} from './mqtt-path.js';
export { MqttRecordSink, type MqttSinkOptions, type MqttTrafficStats } from './mqtt-sink.js';
export { OutageMeter, type OutageReport } from './outage.js';
export { type Delivery, type FlushOutcome, Phone, type PhoneOptions } from './phone.js';
export { PipelineProbe, type ProbeLatencies, type StoreTotals } from './pipeline-probe.js';
export {
  perSampleItem,
  perSampleItemCost,
  writeUsdPerDeviceMonth,
} from './pricing.js';
export {
  encodeProducerRecord,
  isoWithOffset,
  PRODUCER_FORMATS,
  type ProducerFormat,
  type RecordContext,
} from './producer-formats.js';
export { createProgressReporter, type ProgressReporter, type ProgressState } from './progress.js';
export {
  DEFAULT_RESOLUTION_G,
  type SensorFormat,
  sensorQuantize,
  toCodecGrid,
  toSteps,
  WATCH_SENSOR,
} from './quantize.js';
export {
  chunkEntries,
  entryBytes,
  MAX_BYTES_PER_CALL,
  MAX_RECORD_BYTES,
  MAX_RECORDS_PER_CALL,
  type RecordEntry,
  type RecordResult,
  type RecordSink,
} from './record-sink.js';
export { formatReport } from './report-text.js';
export type { SampleSource } from './sample-source.js';
export {
  DEFAULT_FLUSH_INTERVAL_MS,
  type DeviceInfo,
  runSimulation,
  type SimulationOptions,
  type SimulationProgress,
  type SimulationResult,
  scheduleFlushes,
} from './simulation.js';
export { formatSourceSpec, parseSourceSpec, SourceFactory, type SourceSpec } from './source-spec.js';
export { WATCH_BATCH_SIZE, Watch, type WatchBatch, type WatchOptions } from './watch.js';
