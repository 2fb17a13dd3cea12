import { InvalidProxyOptionError } from '../errors.js';
import { FaultProxy, type FaultProxyOptions, type ProxiedRequest } from './fault-proxy.js';
import {
  type HttpAnswer,
  type JsonErrorStyle,
  jsonAnswer,
  jsonError,
  parseObject,
  withBody,
} from './http-exchange.js';
import { checkRecordLimits, type RecordLimits, recordBytes, type WireRecord } from './record-limits.js';
import { hashKeyOf, openShardsOf, type ShardRange, shardOwning } from './shard-map.js';
import { TokenBucket } from './token-bucket.js';

/** How Kinesis (JSON 1.1) shapes errors: a bare `__type`, no CRC32. */
const KINESIS_STYLE: JsonErrorStyle = {
  contentType: 'application/x-amz-json-1.1',
  typePrefix: '',
  crc32: false,
};

/** Operations metered per shard, throttled with ProvisionedThroughputExceededException. */
const DATA_PLANE = new Set(['PutRecord', 'PutRecords', 'GetRecords']);

/** Operations after which the shard map of a stream may be stale. */
const RESHARDING = new Set(['SplitShard', 'MergeShards', 'UpdateShardCount', 'CreateStream', 'DeleteStream']);

/** Account id in error messages; kinesalite uses the same placeholder. */
const ACCOUNT = '000000000000';

/** Options of {@link KinesisLimitsProxy}; `upstream` is kinesalite's endpoint. */
export interface KinesisLimitsProxyOptions extends FaultProxyOptions {
  /** Clock of the shard token buckets, in ms. Default `Date.now`. */
  now?: () => number;
  /** Write throughput per shard, bytes of data plus partition key per second. Default 1,048,576 (1 MiB). */
  shardBytesPerSecond?: number;
  /** Write throughput per shard, records per second. Default 1,000. */
  shardRecordsPerSecond?: number;
  /** Most bytes of data plus partition key per record. Default 1,048,576. */
  maxRecordBytes?: number;
  /** Most records per PutRecords request. Default 500. */
  maxRequestRecords?: number;
  /** Most bytes per PutRecords request (data plus partition keys). Default 5,242,880 (5 MiB). */
  maxRequestBytes?: number;
}

/** The two buckets of one shard; a record passes only when both hold enough. */
interface ShardMeter {
  bytes: TokenBucket;
  records: TokenBucket;
}

/**
 * A Kinesis endpoint on loopback, in front of kinesalite, that enforces the limits kinesalite does
 * not: per-shard write throughput (bytes and records per second, token buckets on an injectable
 * clock, with per-record `ProvisionedThroughputExceededException` entries in PutRecords answers as
 * AWS gives them), the record and request size limits, and the same injected faults as
 * {@link DynamoFaultProxy}.
 *
 * Records are routed like Kinesis routes them: MD5 of the partition key (or `ExplicitHashKey`) against
 * the hash key ranges of the stream's open shards, learnt with ListShards and relearnt after a reshard
 * that passes through the proxy. Requests that are not JSON (CBOR from other SDKs) are forwarded with
 * faults but without limits.
 *
 * @example
 * const proxy = new KinesisLimitsProxy({ upstream: kinesaliteEndpoint });
 * const client = new KinesisClient({ endpoint: await proxy.start(), requestHandler: new NodeHttpHandler(), ... });
 */
export class KinesisLimitsProxy extends FaultProxy {
  readonly #now: () => number;
  readonly #bytesPerSecond: number;
  readonly #recordsPerSecond: number;
  readonly #limits: RecordLimits;
  readonly #shards = new Map<string, ShardRange[]>();
  readonly #meters = new Map<string, ShardMeter>();

  /** @throws InvalidProxyOptionError when an option is missing or out of range. */
  constructor(options: KinesisLimitsProxyOptions) {
    super(options);
    this.#now = options.now ?? Date.now;
    this.#bytesPerSecond = positive(options, 'shardBytesPerSecond', 1_048_576);
    this.#recordsPerSecond = positive(options, 'shardRecordsPerSecond', 1_000);
    this.#limits = {
      maxRecordBytes: positive(options, 'maxRecordBytes', 1_048_576),
      maxRequestRecords: positive(options, 'maxRequestRecords', 500),
      maxRequestBytes: positive(options, 'maxRequestBytes', 5_242_880),
    };
  }

  protected override throttleAnswer(operation: string): HttpAnswer {
    return DATA_PLANE.has(operation)
      ? jsonError(KINESIS_STYLE, 400, 'ProvisionedThroughputExceededException', 'Rate exceeded.')
      : jsonError(KINESIS_STYLE, 400, 'LimitExceededException', 'Rate exceeded');
  }

  protected override serverErrorAnswer(status: 500 | 503): HttpAnswer {
    return status === 500
      ? jsonError(KINESIS_STYLE, 500, 'InternalFailure', 'Internal service failure.')
      : jsonError(KINESIS_STYLE, 503, 'ServiceUnavailable', 'Service unavailable.');
  }

  protected override async handle(request: ProxiedRequest): Promise<HttpAnswer> {
    if (RESHARDING.has(request.operation)) this.#shards.clear();
    const isJson = (request.headers['content-type'] ?? '').includes('json');
    const parsed = isJson ? parseObject(request.body) : undefined;
    if (parsed === undefined || (request.operation !== 'PutRecord' && request.operation !== 'PutRecords')) {
      return this.forward(request.path, request.headers, request.body);
    }
    const batch = request.operation === 'PutRecords';
    const records: WireRecord[] = batch ? (Array.isArray(parsed.Records) ? parsed.Records : []) : [parsed];
    const violation = checkRecordLimits(records, this.#limits, batch);
    if (violation !== undefined) {
      this.count('limitRejected', request.operation);
      return jsonError(KINESIS_STYLE, 400, violation.type, violation.message);
    }
    const stream = streamOf(parsed);
    const shards = stream === undefined ? [] : await this.#openShards(request, stream);
    const throttled = records.map((record) => this.#admit(record, shards, stream?.value ?? ''));
    const throttledCount = throttled.filter((message) => message !== undefined).length;
    this.count('recordThrottled', request.operation, throttledCount);
    if (!batch) {
      const message = throttled[0];
      if (message !== undefined)
        return jsonError(KINESIS_STYLE, 400, 'ProvisionedThroughputExceededException', message);
      return this.forward(request.path, request.headers, request.body);
    }
    return this.#putAdmitted(request, parsed, records, throttled);
  }

  /** Forwards the admitted records of a PutRecords and answers for all of them, in request order. */
  async #putAdmitted(
    request: ProxiedRequest,
    parsed: Record<string, unknown>,
    records: WireRecord[],
    throttled: (string | undefined)[],
  ): Promise<HttpAnswer> {
    const admitted = records.filter((_, index) => throttled[index] === undefined);
    let upstream: { FailedRecordCount?: number; Records?: unknown[]; [member: string]: unknown } = {
      FailedRecordCount: 0,
      Records: [],
    };
    let answer: HttpAnswer | undefined;
    if (admitted.length > 0) {
      const body = Buffer.from(JSON.stringify({ ...parsed, Records: admitted }));
      answer = await this.forward(request.path, request.headers, body);
      const result = answer.status === 200 ? parseObject(answer.body) : undefined;
      if (result === undefined || !Array.isArray(result.Records)) return answer;
      upstream = result;
    }
    const upstreamRecords = upstream.Records ?? [];
    let next = 0;
    const merged = throttled.map((message) =>
      message === undefined
        ? upstreamRecords[next++]
        : { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: message },
    );
    const payload = {
      ...upstream,
      FailedRecordCount: (upstream.FailedRecordCount ?? 0) + (records.length - admitted.length),
      Records: merged,
    };
    const body = Buffer.from(JSON.stringify(payload));
    return answer === undefined ? jsonAnswer(KINESIS_STYLE, 200, payload) : withBody(answer, body, false);
  }

  /**
   * Takes the record's bytes and one record from its shard's buckets.
   * @returns `undefined` when admitted, otherwise the throttling message AWS gives.
   */
  #admit(record: WireRecord, shards: readonly ShardRange[], stream: string): string | undefined {
    if (typeof record.PartitionKey !== 'string') return undefined;
    let hashKey: bigint;
    try {
      hashKey = hashKeyOf(
        record.PartitionKey,
        typeof record.ExplicitHashKey === 'string' ? record.ExplicitHashKey : undefined,
      );
    } catch {
      return undefined; // the upstream rejects a malformed ExplicitHashKey itself
    }
    const shard = shardOwning(hashKey, shards);
    if (shard === undefined) return undefined;
    const meterKey = `${stream}\u0000${shard.shardId}`;
    let meter = this.#meters.get(meterKey);
    if (meter === undefined) {
      meter = {
        bytes: new TokenBucket(this.#bytesPerSecond, this.#bytesPerSecond, this.#now),
        records: new TokenBucket(this.#recordsPerSecond, this.#recordsPerSecond, this.#now),
      };
      this.#meters.set(meterKey, meter);
    }
    const { total } = recordBytes(record);
    if (meter.bytes.available() < total || meter.records.available() < 1) {
      return `Rate exceeded for shard ${shard.shardId} in stream ${stream} under account ${ACCOUNT}.`;
    }
    meter.bytes.take(total);
    meter.records.take(1);
    return undefined;
  }

  async #openShards(like: ProxiedRequest, stream: StreamRef): Promise<ShardRange[]> {
    const cached = this.#shards.get(stream.value);
    if (cached !== undefined) return cached;
    const headers = { ...like.headers, 'x-amz-target': 'Kinesis_20131202.ListShards' };
    const shards: ShardRange[] = [];
    let page: Record<string, unknown> = { [stream.member]: stream.value };
    for (;;) {
      const answer = await this.forward(like.path, headers, Buffer.from(JSON.stringify(page)));
      const listed = answer.status === 200 ? parseObject(answer.body) : undefined;
      // An unknown stream: let the upstream answer the write with its own ResourceNotFoundException.
      if (listed === undefined) return [];
      shards.push(...openShardsOf(listed));
      if (typeof listed.NextToken !== 'string') break;
      page = { NextToken: listed.NextToken };
    }
    this.#shards.set(stream.value, shards);
    return shards;
  }
}

interface StreamRef {
  member: 'StreamName' | 'StreamARN';
  value: string;
}

function streamOf(request: Record<string, unknown>): StreamRef | undefined {
  if (typeof request.StreamName === 'string') return { member: 'StreamName', value: request.StreamName };
  if (typeof request.StreamARN === 'string') return { member: 'StreamARN', value: request.StreamARN };
  return undefined;
}

type LimitName =
  | 'shardBytesPerSecond'
  | 'shardRecordsPerSecond'
  | 'maxRecordBytes'
  | 'maxRequestRecords'
  | 'maxRequestBytes';

function positive(options: KinesisLimitsProxyOptions, name: LimitName, fallback: number): number {
  const value = options[name] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new InvalidProxyOptionError(name, `must be a positive integer, got ${String(value)}`);
  }
  return value;
}
