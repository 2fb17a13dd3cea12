import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { QuarantineError } from './errors.js';
import { QUARANTINE_PREFIX } from './formats/device-id.js';

/** Default largest raw payload kept verbatim, bytes; leaves room under DynamoDB's 400 KB item limit. */
export const DEFAULT_MAX_RAW_BYTES = 350_000;

/** A bad record to keep for inspection. */
export interface QuarantineEntry {
  /** Kinesis shard id, e.g. `shardId-000000000000`. */
  shardId: string;
  /** Kinesis sequence number of the (outer) record. */
  sequenceNumber: string;
  /** Position inside a KPL aggregate, when the bad part is one user record of it. */
  subSequenceNumber?: number | undefined;
  /** The bytes as received. */
  raw: Uint8Array;
  /** Human-readable reason (the error message). */
  reason: string;
  /** Stable error code, e.g. `OUT_OF_RANGE`. */
  code: string;
  /** Kinesis arrival time, epoch ms, when known. */
  arrivalMs?: number | undefined;
  /** Stream name or ARN, when known. */
  stream?: string | undefined;
  /** Kinesis partition key, when known. */
  partitionKey?: string | undefined;
  /** Index of the offending sample, when known. */
  index?: number | undefined;
  /** Offending field, when known. */
  field?: string | undefined;
}

/** A quarantined record read back by {@link Quarantine.get}. */
export interface QuarantinedRecord extends Omit<QuarantineEntry, 'raw'> {
  /** The raw bytes (inflated again when they were stored gzip-compressed); only a prefix when `truncated`. */
  raw: Uint8Array;
  /** True when only the first bytes of the record were kept. */
  truncated: boolean;
  /** Size of the original record, bytes. */
  size: number;
  /** SHA-256 of the original record, hex. */
  sha256: string;
  /** When the record was first quarantined, epoch ms. */
  quarantinedAt: number;
}

/**
 * Partition key under which a bad record is quarantined:
 * `quarantine#<shard id>#<sequence number>[#<sub-sequence number>]` (sort key `s = 0`).
 * Deterministic, so retrying a batch writes the same item.
 *
 * @example
 * ```ts
 * quarantineKey('shardId-000000000000', '4959...', 2); // 'quarantine#shardId-000000000000#4959...#2'
 * ```
 */
export function quarantineKey(shardId: string, sequenceNumber: string, subSequenceNumber?: number): string {
  const base = `${QUARANTINE_PREFIX}${shardId}#${sequenceNumber}`;
  return subSequenceNumber === undefined ? base : `${base}#${subSequenceNumber}`;
}

/** Options of {@link Quarantine}. */
export interface QuarantineOptions {
  /** DynamoDB client (created once per container). */
  client: DynamoDBClient;
  /** Table with string partition key `d` and numeric sort key `s` (the rows table by default). */
  tableName: string;
  /** Largest raw payload stored verbatim, bytes (default 350 000). Larger ones are gzipped or truncated. */
  maxRawBytes?: number;
}

/**
 * Keeps bad records, with their raw bytes, in DynamoDB for later inspection.
 * Writes are idempotent: the key is derived from shard and sequence number and
 * the first write wins, so a retried batch does not duplicate or overwrite entries.
 *
 * @example
 * ```ts
 * const quarantine = new Quarantine({ client, tableName: 'samples' });
 * const kept = await quarantine.get('shardId-000000000000', sequenceNumber); // kept?.raw, kept?.reason
 * ```
 */
export class Quarantine {
  readonly tableName: string;
  readonly #client: DynamoDBClient;
  readonly #maxRawBytes: number;

  constructor(options: QuarantineOptions) {
    this.#client = options.client;
    this.tableName = options.tableName;
    this.#maxRawBytes = options.maxRawBytes ?? DEFAULT_MAX_RAW_BYTES;
  }

  /**
   * Stores one bad record. Payloads over `maxRawBytes` are stored gzip-compressed
   * (`enc = gzip`), or, if still too large, as their first bytes with `truncated = true`;
   * `sha256` and `size` always describe the full original.
   *
   * @param entry - The bad record.
   * @param options - `abortSignal` to give up at the invocation's deadline.
   * @returns `'written'`, or `'existing'` when a previous attempt already stored it.
   * @throws {@link QuarantineError} when DynamoDB rejects the write (the record must then be retried).
   */
  async put(
    entry: QuarantineEntry,
    options: { abortSignal?: AbortSignal } = {},
  ): Promise<'written' | 'existing'> {
    const item: Record<string, AttributeValue> = {
      d: { S: quarantineKey(entry.shardId, entry.sequenceNumber, entry.subSequenceNumber) },
      s: { N: '0' },
      reason: { S: entry.reason.slice(0, 2_000) || '(none)' },
      code: { S: entry.code },
      seq: { S: entry.sequenceNumber },
      size: { N: String(entry.raw.length) },
      sha256: { S: createHash('sha256').update(entry.raw).digest('hex') },
      at: { N: String(Date.now()) },
      ...this.#rawAttributes(entry.raw),
    };
    if (entry.shardId) item.shard = { S: entry.shardId };
    if (entry.subSequenceNumber !== undefined) item.sub = { N: String(entry.subSequenceNumber) };
    if (entry.arrivalMs !== undefined && Number.isFinite(entry.arrivalMs))
      item.arrival = { N: String(entry.arrivalMs) };
    if (entry.stream) item.stream = { S: entry.stream };
    if (entry.partitionKey) item.pk = { S: entry.partitionKey };
    if (entry.index !== undefined) item.index = { N: String(entry.index) };
    if (entry.field) item.field = { S: entry.field };
    try {
      await this.#client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(d)',
        }),
        options.abortSignal ? { abortSignal: options.abortSignal } : {},
      );
      return 'written';
    } catch (error) {
      if (
        error instanceof ConditionalCheckFailedException ||
        (error as Error)?.name === 'ConditionalCheckFailedException'
      ) {
        return 'existing';
      }
      throw new QuarantineError(
        `could not quarantine record ${entry.sequenceNumber} of ${entry.shardId}: ${(error as Error)?.message}`,
        { cause: error },
      );
    }
  }

  /**
   * Reads a quarantined record back, inflating gzip-stored bytes.
   *
   * @returns The record, or `undefined` when none is stored under that key.
   * @throws The DynamoDB client's error when the read fails.
   */
  async get(
    shardId: string,
    sequenceNumber: string,
    subSequenceNumber?: number,
  ): Promise<QuarantinedRecord | undefined> {
    const { Item: item } = await this.#client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: { d: { S: quarantineKey(shardId, sequenceNumber, subSequenceNumber) }, s: { N: '0' } },
        ConsistentRead: true,
      }),
    );
    if (item === undefined) return undefined;
    const stored = item.r?.B ?? new Uint8Array();
    return {
      shardId,
      sequenceNumber,
      subSequenceNumber,
      raw: item.enc?.S === 'gzip' ? new Uint8Array(gunzipSync(stored)) : stored,
      truncated: item.truncated?.BOOL === true,
      size: Number(item.size?.N ?? stored.length),
      sha256: item.sha256?.S ?? '',
      reason: item.reason?.S ?? '',
      code: item.code?.S ?? '',
      quarantinedAt: Number(item.at?.N ?? 0),
      arrivalMs: item.arrival?.N === undefined ? undefined : Number(item.arrival.N),
      stream: item.stream?.S,
      partitionKey: item.pk?.S,
      index: item.index?.N === undefined ? undefined : Number(item.index.N),
      field: item.field?.S,
    };
  }

  #rawAttributes(raw: Uint8Array): Record<string, AttributeValue> {
    if (raw.length <= this.#maxRawBytes) return { r: { B: raw } };
    const gzipped = gzipSync(raw);
    if (gzipped.length <= this.#maxRawBytes) return { r: { B: gzipped }, enc: { S: 'gzip' } };
    return { r: { B: raw.subarray(0, this.#maxRawBytes) }, truncated: { BOOL: true } };
  }
}
