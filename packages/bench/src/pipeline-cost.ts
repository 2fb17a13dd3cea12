import {
  BYTES_PER_GB,
  HOURS_PER_MONTH,
  type IotCorePrices,
  iotMonthlyCost,
  type KinesisPrices,
  type LambdaPrices,
  type Prices,
  type SqsPrices,
} from '@secondrow/devkit';
import { deviceHoursPerMonth } from './cost.js';

/** Producer record formats the pipeline model compares. */
export type ProducerFormatName = 'json-2015' | 'json-v1' | 'avro' | 'gzip-json-v1';

/** Kinesis capacity modes. */
export type StreamMode = 'provisioned' | 'on-demand';

/** How records reach the stream: the phone's PutRecords, or MQTT to an IoT Core Basic Ingest rule. */
export type IngestPath = 'kinesis' | 'iot-basic-ingest';

/** Every price sheet the model reads (each dated, with its source). */
export interface PipelinePrices {
  dynamodb: Prices;
  kinesis: KinesisPrices;
  lambda: LambdaPrices;
  sqs: SqsPrices;
  iot: IotCorePrices;
}

/**
 * What the bench measured locally for one producer format written with one row layout, per device. The
 * Kinesis and Lambda figures depend on the format; the DynamoDB figures on the layout.
 */
export interface MeasuredInputs {
  format: ProducerFormatName;
  /** Bench layout name (`per-sample` for the 2015 items, `per-second-avro`, `window-avro-N`). */
  layout: string;
  /** Row window, s; undefined for the one-item-per-sample layout. */
  windowSeconds: number | undefined;
  /** Producer records per device-second (one record per phone batch). */
  recordsPerDeviceSecond: number;
  /** Mean record bytes, measured on the encoded records. */
  meanRecordBytes: number;
  /** Mean PUT payload units per record (each record rounded up to 25 KB chunks). */
  putPayloadUnitsPerRecord: number;
  /** Mean bytes per record as on-demand bills them (each record rounded up to 1 KB). */
  onDemandBilledBytesPerRecord: number;
  /** Handler CPU time per record, ms, measured with no I/O. */
  handlerCpuMsPerRecord: number;
  /** DynamoDB write requests (items put) per device-second. */
  itemWritesPerDeviceSecond: number;
  /** DynamoDB write units per device-second, as the store or dynalite reported them. */
  wruPerDeviceSecond: number;
  /** Read units the write path spends per device-second (the store reads rows back to merge them). */
  writePathRruPerDeviceSecond: number;
  /** Read units of one Query over a device-hour (eventually consistent). */
  rruPerDeviceHour: number;
  /** Stored bytes per device-day, 100 B per-item overhead included. */
  storageBytesPerDeviceDay: number;
  /** Write requests the writer keeps in flight (SampleStore 16; the 2015 Lambda's async.queue 8). */
  writeConcurrency: number;
}

/** How the fleet uses the pipeline: the assumptions printed with every dollar figure. */
export interface PipelineAssumptions {
  /** Devices streaming at once (streams and shards are shared by the fleet). */
  fleet: number;
  /** Hours per day a device streams. */
  activeHoursPerDay: number;
  /** Days rows are kept (DynamoDB TTL); storage is the steady state of that many days. */
  retentionDays: number;
  /** Queries per device-hour of data over its life. */
  readsPerDeviceHour: number;
  /** Kinesis retention, hours (beyond 24 is extended retention). */
  streamRetentionHours: number;
  /** Lambda event source mapping: records per invocation at most. */
  batchSize: number;
  /** Lambda event source mapping: seconds records are gathered before an invocation. */
  batchingWindowSeconds: number;
  /** Lambda memory, MB. */
  lambdaMemoryMb: number;
  /** Assumed wall time of one round of DynamoDB write requests from Lambda, ms (not measured locally). */
  dynamodbRoundTripMs: number;
  /** Assumed fraction of invocations whose batch ends on the on-failure queue. */
  failedBatchFraction: number;
  /** Bytes of the MQTT topic a device publishes to (`$aws/rules/<rule>/<device>`). */
  iotTopicBytes: number;
}

/** One configuration of the pipeline: record format, row layout, stream mode, ingest path. */
export interface PipelineConfig {
  format: ProducerFormatName;
  layout: string;
  stream: StreamMode;
  ingest: IngestPath;
}

/** Keys of the line items, in the order bars stack them. */
export const LINE_ITEM_KEYS = [
  'kinesisShardHours',
  'kinesisPutUnits',
  'kinesisStreamHours',
  'kinesisDataIn',
  'kinesisDataOut',
  'kinesisRetention',
  'iotCore',
  'lambdaRequests',
  'lambdaDuration',
  'dynamodbWrites',
  'dynamodbReads',
  'dynamodbStorage',
  'sqsOnFailure',
] as const;

/** A line item of the bill. */
export type LineItemKey = (typeof LINE_ITEM_KEYS)[number];

/** What each line item is, for people. */
export const LINE_ITEM_LABELS: Readonly<Record<LineItemKey, string>> = Object.freeze({
  kinesisShardHours: 'Kinesis shard-hours',
  kinesisPutUnits: 'Kinesis PUT payload units',
  kinesisStreamHours: 'Kinesis on-demand stream-hours',
  kinesisDataIn: 'Kinesis on-demand data in',
  kinesisDataOut: 'Kinesis on-demand data out',
  kinesisRetention: 'Kinesis extended retention',
  iotCore: 'IoT Core (Basic Ingest)',
  lambdaRequests: 'Lambda requests',
  lambdaDuration: 'Lambda GB-seconds',
  dynamodbWrites: 'DynamoDB writes',
  dynamodbReads: 'DynamoDB reads',
  dynamodbStorage: 'DynamoDB storage',
  sqsOnFailure: 'SQS on-failure queue',
});

/** USD per device-month of each line item. */
export type LineItems = Record<LineItemKey, number>;

/** The cost of one configuration, with the quantities behind it. */
export interface PipelineCost {
  config: PipelineConfig;
  /** USD per device-month, each line item. */
  usdPerDeviceMonth: LineItems;
  /** Sum of the line items, USD per device-month. */
  totalUsdPerDeviceMonth: number;
  /** The whole fleet's bill, USD per month. */
  totalUsdPerFleetMonth: number;
  /** USD a device adds to each later month's storage bill when rows are kept without TTL. */
  storageGrowthUsdPerDeviceMonthWithoutTtl: number;
  quantities: {
    /** Device-hours a device streams in a month. */
    deviceHoursPerMonth: number;
    /** Records per device-month. */
    recordsPerDeviceMonth: number;
    /** Provisioned shards the fleet needs (the binding limit's count, at least 1). */
    shards: number;
    /** Which shard limit binds: `records/s` or `MB/s`. */
    bindingLimit: 'records/s' | 'MB/s';
    /** Shards Lambda polls (provisioned: `shards`; on-demand: at least its initial 4). */
    shardsPolled: number;
    /** GB per device-month an on-demand stream bills in (and out). */
    onDemandGbPerDeviceMonth: number;
    /** Lambda invocations per device-month. */
    invocationsPerDeviceMonth: number;
    /** Records per invocation. */
    recordsPerInvocation: number;
    /** Billed ms per invocation (CPU + DynamoDB waits, rounded up to 1 ms). */
    billedMsPerInvocation: number;
    /** DynamoDB write units per device-month. */
    writeUnitsPerDeviceMonth: number;
    /** DynamoDB read units per device-month (Queries + the write path's reads). */
    readUnitsPerDeviceMonth: number;
    /** Stored GB per device at the steady state of the retention (TTL). */
    storedGbPerDevice: number;
  };
}

/**
 * Shards a provisioned stream needs for `recordsPerSecond` and `bytesPerSecond` of writes: the larger of the
 * two limits' counts, at least one.
 */
export function shardsFor(
  recordsPerSecond: number,
  bytesPerSecond: number,
  prices: Pick<KinesisPrices, 'shardRecordsPerSecond' | 'shardBytesPerSecond'>,
): { shards: number; bindingLimit: 'records/s' | 'MB/s' } {
  const byRecords = recordsPerSecond / prices.shardRecordsPerSecond;
  const byBytes = bytesPerSecond / prices.shardBytesPerSecond;
  return {
    shards: Math.max(1, Math.ceil(Math.max(byRecords, byBytes) - 1e-9)),
    bindingLimit: byBytes > byRecords ? 'MB/s' : 'records/s',
  };
}

/**
 * Lambda invocations per second on one shard receiving `recordsPerSecond`: a batch leaves when it is full
 * (`batchSize` records) or when the batching window ends, and never holds less than one record.
 */
export function invocationsPerShardSecond(
  recordsPerSecond: number,
  batchSize: number,
  batchingWindowSeconds: number,
): number {
  if (recordsPerSecond <= 0) return 0;
  // A window of 0 still polls about once a second per shard.
  const windowRate = 1 / Math.max(1, batchingWindowSeconds);
  return Math.min(recordsPerSecond, Math.max(windowRate, recordsPerSecond / batchSize));
}

const sumItems = (items: LineItems): number => LINE_ITEM_KEYS.reduce((sum, key) => sum + items[key], 0);

/**
 * Every line item of one configuration, USD per device-month and per fleet-month, from the measured inputs
 * and the price sheets. The fleet shares the stream: shards, stream-hours and Lambda batches are sized for
 * all devices streaming at once and split evenly between them.
 */
export function pipelineCost(
  config: PipelineConfig,
  inputs: MeasuredInputs,
  usage: PipelineAssumptions,
  prices: PipelinePrices,
): PipelineCost {
  const { kinesis, lambda, dynamodb, sqs } = prices;
  const fleet = Math.max(1, usage.fleet);
  const hours = deviceHoursPerMonth(usage);
  const seconds = hours * 3600;
  const records = inputs.recordsPerDeviceSecond * seconds;
  const fleetRecordsPerSecond = fleet * inputs.recordsPerDeviceSecond;
  const { shards, bindingLimit } = shardsFor(
    fleetRecordsPerSecond,
    fleetRecordsPerSecond * inputs.meanRecordBytes,
    kinesis,
  );
  const items: LineItems = Object.fromEntries(LINE_ITEM_KEYS.map((k) => [k, 0])) as LineItems;
  const extendedHours = Math.max(0, usage.streamRetentionHours - 24);
  const onDemandGb = (records * inputs.onDemandBilledBytesPerRecord) / BYTES_PER_GB;
  if (config.stream === 'provisioned') {
    items.kinesisShardHours = (shards * HOURS_PER_MONTH * kinesis.shardHourUsd) / fleet;
    items.kinesisPutUnits =
      (records * inputs.putPayloadUnitsPerRecord * kinesis.putPayloadUnitsUsdPerMillion) / 1e6;
    if (extendedHours > 0)
      items.kinesisRetention = (shards * HOURS_PER_MONTH * kinesis.extendedRetentionShardHourUsd) / fleet;
  } else {
    items.kinesisStreamHours = (HOURS_PER_MONTH * kinesis.onDemandStreamHourUsd) / fleet;
    items.kinesisDataIn = onDemandGb * kinesis.onDemandIngestUsdPerGb;
    items.kinesisDataOut = onDemandGb * kinesis.onDemandRetrievalUsdPerGb;
    // Data kept beyond 24 h: a month's data spread over the month's hours, times the extra hours kept.
    items.kinesisRetention =
      (onDemandGb / HOURS_PER_MONTH) * extendedHours * kinesis.onDemandExtendedRetentionUsdPerGbMonth;
  }
  if (config.ingest === 'iot-basic-ingest') {
    items.iotCore = iotMonthlyCost(
      {
        messagesPerMonth: records,
        payloadBytes: inputs.meanRecordBytes,
        topicBytes: usage.iotTopicBytes,
        connectedMinutesPerMonth: hours * 60,
        basicIngest: true,
        actionsPerMessage: 1,
      },
      prices.iot,
    ).total;
  }
  const shardsPolled =
    config.stream === 'provisioned' ? shards : Math.max(kinesis.onDemandInitialShards, shards);
  const perShardRecords = fleetRecordsPerSecond / shardsPolled;
  const perShardInvocations = invocationsPerShardSecond(
    perShardRecords,
    usage.batchSize,
    usage.batchingWindowSeconds,
  );
  const invocations = (perShardInvocations * shardsPolled * seconds) / fleet;
  const recordsPerInvocation = perShardInvocations > 0 ? perShardRecords / perShardInvocations : 0;
  const writesPerRecord =
    inputs.recordsPerDeviceSecond > 0 ? inputs.itemWritesPerDeviceSecond / inputs.recordsPerDeviceSecond : 0;
  const writeRounds = Math.ceil((recordsPerInvocation * writesPerRecord) / inputs.writeConcurrency);
  const billedMs = Math.ceil(
    recordsPerInvocation * inputs.handlerCpuMsPerRecord + writeRounds * usage.dynamodbRoundTripMs,
  );
  items.lambdaRequests = (invocations * lambda.requestsUsdPerMillion) / 1e6;
  items.lambdaDuration = invocations * (billedMs / 1000) * (usage.lambdaMemoryMb / 1024) * lambda.gbSecondUsd;
  const writeUnits = inputs.wruPerDeviceSecond * seconds;
  const readUnits =
    inputs.rruPerDeviceHour * usage.readsPerDeviceHour * hours + inputs.writePathRruPerDeviceSecond * seconds;
  items.dynamodbWrites = (writeUnits * dynamodb.onDemandWriteUsdPerMillion) / 1e6;
  items.dynamodbReads = (readUnits * dynamodb.onDemandReadUsdPerMillion) / 1e6;
  const storedGb = (inputs.storageBytesPerDeviceDay * usage.retentionDays) / BYTES_PER_GB;
  items.dynamodbStorage = storedGb * dynamodb.storageUsdPerGbMonth;
  // Each failed batch: the mapping's SendMessage, then the replay's ReceiveMessage and DeleteMessage, each
  // one 64 KB chunk (the failure record names the batch; it does not carry the records).
  items.sqsOnFailure =
    (invocations * usage.failedBatchFraction * 3 * sqs.standardRequestsUsdPerMillion) / 1e6;
  const total = sumItems(items);
  return {
    config,
    usdPerDeviceMonth: items,
    totalUsdPerDeviceMonth: total,
    totalUsdPerFleetMonth: total * fleet,
    storageGrowthUsdPerDeviceMonthWithoutTtl:
      ((inputs.storageBytesPerDeviceDay * (HOURS_PER_MONTH / 24)) / BYTES_PER_GB) *
      dynamodb.storageUsdPerGbMonth,
    quantities: {
      deviceHoursPerMonth: hours,
      recordsPerDeviceMonth: records,
      shards,
      bindingLimit,
      shardsPolled,
      onDemandGbPerDeviceMonth: onDemandGb,
      invocationsPerDeviceMonth: invocations,
      recordsPerInvocation,
      billedMsPerInvocation: billedMs,
      writeUnitsPerDeviceMonth: writeUnits,
      readUnitsPerDeviceMonth: readUnits,
      storedGbPerDevice: storedGb,
    },
  };
}
