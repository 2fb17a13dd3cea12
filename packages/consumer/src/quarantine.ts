import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import type { Sample } from '@secondrow/codec';
import { OptionError, QuarantineError } from './errors.js';
import { QUARANTINE_PREFIX } from './formats/device-id.js';

/** Default largest raw payload kept verbatim, bytes; leaves room under DynamoDB's 400 KB item limit. */
export const DEFAULT_MAX_RAW_BYTES = 350_000;

// The head item of an entry is kept small (see Quarantine): text fields are cut to these lengths.
const MAX_REASON_CHARS = 400;
const MAX_SHORT_TEXT_CHARS = 256;
// Contributing records listed with a quarantined row's bytes; the count is kept in full.
const MAX_ROW_RECORDS = 500;

/** A bad record to keep for inspection (`kind: 'record'`, the default). */
export interface RecordQuarantineEntry {
  /** Entry kind; omitted means `'record'`. */
  kind?: 'record' | undefined;
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

/**
 * Valid samples of one device and window that the store can never write (`kind: 'row'`): an incompatible
 * stored item, a row that cannot be encoded. Kept as a JSON v1 record (`{"deviceId", "samples"}`), so
 * they can be sent to the stream again once the cause is fixed.
 */
export interface RowQuarantineEntry {
  kind: 'row';
  /** Device (the row's partition key). */
  deviceId: string;
  /** Window start, epoch ms; the first sample's time when the window is unknown (a store call that threw). */
  startMs: number;
  /** Window length, s, when known. */
  windowSeconds?: number | undefined;
  /** The samples the invocation tried to add to that row. */
  samples: readonly Sample[];
  /** Human-readable reason (the store's or codec's error message). */
  reason: string;
  /** Stable error code of the store or codec, e.g. `INCOMPATIBLE_ITEM`. */
  code: string;
  /** Kinesis records that contributed samples (shard and sequence number), kept with the raw bytes. */
  records: readonly { shardId: string; sequenceNumber: string }[];
  /** Stream name, when known. */
  stream?: string | undefined;
}

/** What {@link Quarantine.put} keeps: a bad record or a row that cannot be stored. */
export type QuarantineEntry = RecordQuarantineEntry | RowQuarantineEntry;

/** A quarantined entry read back by {@link Quarantine.get} or {@link Quarantine.getByKey}. */
export interface QuarantinedRecord extends Omit<RecordQuarantineEntry, 'raw' | 'kind'> {
  /** What was kept: a bad record, or the samples of a row that cannot be stored. */
  kind: 'record' | 'row';
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
  /** For rows: the device, window start (ms), window length (s) and sample count. */
  row?: { deviceId: string; startMs: number; windowSeconds: number | undefined; samples: number } | undefined;
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

/**
 * Partition key of a quarantined row: `quarantine#row#<device>#<start ms>#<digest>`, the digest being the
 * first 16 hex digits of the SHA-256 of its JSON v1 bytes. A retried batch fails with the same samples and
 * finds its entry; another batch's samples for the same window get an entry of their own.
 *
 * @param entry - The row entry.
 */
export function rowQuarantineKey(entry: RowQuarantineEntry): string {
  return rowKey(entry, rowRecordBytes(entry));
}

function rowKey(entry: RowQuarantineEntry, raw: Uint8Array): string {
  const digest = createHash('sha256').update(raw).digest('hex').slice(0, 16);
  return `${QUARANTINE_PREFIX}row#${entry.deviceId}#${entry.startMs}#${digest}`;
}

/** The row's samples as a JSON v1 record, the form the consumer reads back from the stream. */
function rowRecordBytes(entry: RowQuarantineEntry): Uint8Array {
  return Buffer.from(
    JSON.stringify({ deviceId: entry.deviceId, samples: entry.samples.map((s) => [s.t, s.x, s.y, s.z]) }),
  );
}

/** Options of {@link Quarantine}. */
export interface QuarantineOptions {
  /** DynamoDB client (created once per container). */
  client: DynamoDBClient;
  /** Table with string partition key `d` and numeric sort key `s` (the rows table by default). */
  tableName: string;
  /** Largest raw payload stored verbatim, bytes (default 350 000). Larger ones are gzipped or truncated. */
  maxRawBytes?: number;
  /** Clock for `quarantinedAt`, epoch ms. Default `Date.now`. */
  now?: () => number;
}

/**
 * Keeps bad records and rows that cannot be stored, with their raw bytes, in DynamoDB for later inspection.
 *
 * Each entry is two items under one partition key: a head (`s = 0`: reason, code, key facts; at most
 * about 3.5 KB, since every text in it is cut short) and a body (`s = 1`: the raw bytes, up to
 * `maxRawBytes`, about 342 write units at the default). Writes are idempotent and first-wins, and a
 * retried batch does not pay for the raw bytes again:
 * - the put first reads the head (strongly consistent `GetItem`, key only): an existing entry costs
 *   **1 read unit** (the head is under 4 KB) and no write;
 * - otherwise it writes the body (unconditional, same bytes on every attempt) and then the head with
 *   `attribute_not_exists(d)`. DynamoDB bills a failed conditional write at the size of the item it
 *   checked, so the only failure possible here (a writer racing between the read and the put) costs the
 *   head's size, **at most 4 write units**, never the body's. A single-item entry would make every retry a
 *   failed conditional put billed at up to `maxRawBytes` (hundreds of write units).
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
  readonly #now: () => number;

  /** @throws {@link OptionError} when `maxRawBytes` is not an integer from 1 to {@link DEFAULT_MAX_RAW_BYTES}. */
  constructor(options: QuarantineOptions) {
    const maxRawBytes = options.maxRawBytes ?? DEFAULT_MAX_RAW_BYTES;
    if (!Number.isSafeInteger(maxRawBytes) || maxRawBytes < 1 || maxRawBytes > DEFAULT_MAX_RAW_BYTES) {
      throw new OptionError(
        'maxRawBytes',
        `maxRawBytes must be an integer from 1 to ${DEFAULT_MAX_RAW_BYTES}, got ${maxRawBytes}`,
      );
    }
    this.#client = options.client;
    this.tableName = options.tableName;
    this.#maxRawBytes = maxRawBytes;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Stores one entry. Payloads over `maxRawBytes` are stored gzip-compressed (`enc = gzip`), or, if still
   * too large, as their first bytes with `truncated = true`; `sha256` and `size` always describe the full
   * original. A row entry's payload is its samples as a JSON v1 record.
   *
   * @param entry - The bad record or row.
   * @param options - `abortSignal` to give up at the invocation's deadline.
   * @returns `'written'`, or `'existing'` when a previous attempt already stored it.
   * @throws {@link QuarantineError} `QUARANTINE_FAILED` when DynamoDB rejects a request (the records must then be retried).
   */
  async put(
    entry: QuarantineEntry,
    options: { abortSignal?: AbortSignal } = {},
  ): Promise<'written' | 'existing'> {
    const raw = entry.kind === 'row' ? rowRecordBytes(entry) : entry.raw;
    const key =
      entry.kind === 'row'
        ? rowKey(entry, raw)
        : quarantineKey(entry.shardId, entry.sequenceNumber, entry.subSequenceNumber);
    const send = { ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}) };
    const describe =
      entry.kind === 'row'
        ? `row ${entry.deviceId}@${entry.startMs}`
        : `record ${entry.sequenceNumber} of ${entry.shardId}`;
    try {
      const { Item: existing } = await this.#client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { d: { S: key }, s: { N: '0' } },
          ProjectionExpression: 'd',
          ConsistentRead: true,
          ReturnConsumedCapacity: 'TOTAL',
        }),
        send,
      );
      if (existing !== undefined) return 'existing';
      if (raw.length > 0) {
        await this.#client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: {
              d: { S: key },
              s: { N: '1' },
              ...this.#rawAttributes(raw),
              // At most MAX_ROW_RECORDS (about 40 KB), so the body stays under the 400 KB item limit.
              ...(entry.kind === 'row'
                ? {
                    records: { S: JSON.stringify(entry.records.slice(0, MAX_ROW_RECORDS)) },
                    recordCount: { N: String(entry.records.length) },
                  }
                : {}),
            },
            ReturnConsumedCapacity: 'TOTAL',
          }),
          send,
        );
      }
      await this.#client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { d: { S: key }, s: { N: '0' }, ...this.#head(entry, raw) },
          ConditionExpression: 'attribute_not_exists(d)',
          ReturnValuesOnConditionCheckFailure: 'NONE',
          ReturnConsumedCapacity: 'TOTAL',
        }),
        send,
      );
      return 'written';
    } catch (error) {
      if (
        error instanceof ConditionalCheckFailedException ||
        (error as Error)?.name === 'ConditionalCheckFailedException'
      ) {
        return 'existing';
      }
      throw new QuarantineError(`could not quarantine ${describe}: ${(error as Error)?.message}`, {
        cause: error,
      });
    }
  }

  /**
   * Reads a quarantined record back, inflating gzip-stored bytes.
   *
   * @returns The record, or `undefined` when none is stored under that key.
   * @throws The DynamoDB client's error when the read fails.
   */
  get(
    shardId: string,
    sequenceNumber: string,
    subSequenceNumber?: number,
  ): Promise<QuarantinedRecord | undefined> {
    return this.getByKey(quarantineKey(shardId, sequenceNumber, subSequenceNumber));
  }

  /**
   * Reads any entry back by its partition key ({@link quarantineKey}, {@link rowQuarantineKey}).
   *
   * @returns The entry, or `undefined` when none is stored under that key.
   * @throws The DynamoDB client's error when the read fails.
   */
  async getByKey(key: string): Promise<QuarantinedRecord | undefined> {
    const { Items: items = [] } = await this.#client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'd = :d',
        ExpressionAttributeValues: { ':d': { S: key } },
        ConsistentRead: true,
      }),
    );
    const head = items.find((item) => item.s?.N === '0');
    if (head === undefined) return undefined;
    // Entries written before the head/body split hold their bytes in the head.
    const body = items.find((item) => item.s?.N === '1') ?? head;
    const stored = body.r?.B ?? new Uint8Array();
    const kind = head.kind?.S === 'row' ? 'row' : 'record';
    return {
      kind,
      shardId: head.shard?.S ?? '',
      sequenceNumber: head.seq?.S ?? '',
      subSequenceNumber: head.sub?.N === undefined ? undefined : Number(head.sub.N),
      raw: body.enc?.S === 'gzip' ? new Uint8Array(gunzipSync(stored)) : stored,
      truncated: body.truncated?.BOOL === true,
      size: Number(head.size?.N ?? stored.length),
      sha256: head.sha256?.S ?? '',
      reason: head.reason?.S ?? '',
      code: head.code?.S ?? '',
      quarantinedAt: Number(head.at?.N ?? 0),
      arrivalMs: head.arrival?.N === undefined ? undefined : Number(head.arrival.N),
      stream: head.stream?.S,
      partitionKey: head.pk?.S,
      index: head.index?.N === undefined ? undefined : Number(head.index.N),
      field: head.field?.S,
      row:
        kind === 'row'
          ? {
              deviceId: head.device?.S ?? '',
              startMs: Number(head.start?.N ?? 0),
              windowSeconds: head.window?.N === undefined ? undefined : Number(head.window.N),
              samples: Number(head.n?.N ?? 0),
            }
          : undefined,
    };
  }

  #head(entry: QuarantineEntry, raw: Uint8Array): Record<string, AttributeValue> {
    const item: Record<string, AttributeValue> = {
      kind: { S: entry.kind ?? 'record' },
      reason: { S: entry.reason.slice(0, MAX_REASON_CHARS) || '(none)' },
      code: { S: entry.code.slice(0, MAX_SHORT_TEXT_CHARS) || '(none)' },
      size: { N: String(raw.length) },
      sha256: { S: createHash('sha256').update(raw).digest('hex') },
      at: { N: String(this.#now()) },
    };
    if (entry.stream) item.stream = { S: entry.stream.slice(0, MAX_SHORT_TEXT_CHARS) };
    if (entry.kind === 'row') {
      item.device = { S: entry.deviceId };
      item.start = { N: String(entry.startMs) };
      if (entry.windowSeconds !== undefined) item.window = { N: String(entry.windowSeconds) };
      item.n = { N: String(entry.samples.length) };
      const first = entry.records[0];
      if (first !== undefined) {
        item.shard = { S: first.shardId.slice(0, MAX_SHORT_TEXT_CHARS) };
        item.seq = { S: first.sequenceNumber.slice(0, MAX_SHORT_TEXT_CHARS) };
      }
      return item;
    }
    item.seq = { S: entry.sequenceNumber };
    if (entry.shardId) item.shard = { S: entry.shardId };
    if (entry.subSequenceNumber !== undefined) item.sub = { N: String(entry.subSequenceNumber) };
    if (entry.arrivalMs !== undefined && Number.isFinite(entry.arrivalMs))
      item.arrival = { N: String(entry.arrivalMs) };
    if (entry.partitionKey) item.pk = { S: entry.partitionKey.slice(0, MAX_SHORT_TEXT_CHARS) };
    if (entry.index !== undefined) item.index = { N: String(entry.index) };
    if (entry.field) item.field = { S: entry.field.slice(0, MAX_SHORT_TEXT_CHARS) };
    return item;
  }

  #rawAttributes(raw: Uint8Array): Record<string, AttributeValue> {
    if (raw.length <= this.#maxRawBytes) return { r: { B: raw } };
    const gzipped = gzipSync(raw);
    if (gzipped.length <= this.#maxRawBytes) return { r: { B: gzipped }, enc: { S: 'gzip' } };
    return { r: { B: raw.subarray(0, this.#maxRawBytes) }, truncated: { BOOL: true } };
  }
}
