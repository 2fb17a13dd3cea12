/**
 * The device registry: which devices have rows in a table, and the time range of each, listed without
 * scanning the rows.
 *
 * Layout. One small item per device in the row table itself, all in one partition:
 * `d` = {@link REGISTRY_PARTITION} (`#registry`), `s` = a negative number derived from the device id
 * (`-(1 + the first 120 bits of SHA-256(UTF-8 device id))`), `i` = the device id, `f` = first data time,
 * `l` = last data time bound (epoch ms). Listing is one paged `Query` on that partition.
 *
 * Why not a sparse global secondary index: a GSI doubles the cost of every registry write (the table write
 * plus the index's replicated write), so 20 new devices would cost 40 write units where the demo's budget
 * (1 % of ~2,465) is 24; it needs a table change on existing deployments; and its key attribute would have
 * to avoid every attribute other items already use (the consumer's quarantine items carry `r` as binary,
 * which a string-keyed index on `r` would refuse). One partition needs none of that: it takes up to 1,000
 * writes/s and 3,000 reads/s, i.e. millions of devices at one write per device per interval.
 *
 * Why the keys cannot collide. Row items always have `s` >= 0 (window starts of non-negative sample times);
 * registry items always have `s` < 0. So no device id, not even `#registry` itself, can make a row and a
 * registry item share a key, and no device id needs to be rejected. Two devices share a registry key only
 * if their SHA-256 digests share 120 bits (about 2^60 devices for an even chance); the item keeps the full
 * id in `i` and every write is conditional on it, so even that fails loudly (`INCOMPATIBLE_ITEM`) rather
 * than merging two devices.
 *
 * Writes. `f` only decreases and `l` only increases: every write is a `PutItem` of the widened range,
 * conditional on the stored range lying inside it (`attribute_not_exists(d) OR (i = :i AND f >= :f AND
 * l <= :l)`). Racing writers therefore converge to the union; a loser re-reads and retries. `f` is exact
 * (the earliest time noted). `l` gets headroom: when a note passes the stored `l`, the new `l` is the
 * note's last time plus `intervalMs`, so a device that keeps streaming is written once per `intervalMs`
 * of data (default one hour), not once per batch. `lastMs` is therefore an upper bound: every noted time
 * lies in `[firstMs, lastMs]`, and `lastMs` is at most `intervalMs` past the latest noted time (exact
 * with `intervalMs: 0`). The instance remembers each device's range it saw stored (which can only have
 * grown since), so a note inside it sends nothing; a device it does not know yet is read first (one
 * strongly consistent `GetItem`, 1 read unit) so that a new container does not pay a failed write.
 *
 * Cost, in write units (one per write; the item is about 100 bytes for a 46-character Cognito id):
 * 1 per new device, then 1 per `intervalMs` of its data, plus 1 per note that moves `f` earlier, plus
 * 1 per failed conditional write when instances race on one device. A device streaming 50 Hz into 1 s
 * rows costs 3,600 row write units per hour and 1 registry write: 0.03 %. At the demo's settings
 * (20 devices × 120 s) it is 20 write units, 0.8 % of ~2,465 (measured in tests/integration/device-registry).
 *
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  type GetItemCommandOutput,
  PutItemCommand,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { InvalidOptionError, ItemError } from '../errors.js';
import { readUnits, type SizedItem, writeUnits } from '../item-size.js';
import { describeError, storeErrorFromSdk } from './classify-error.js';
import { runBounded } from './run-bounded.js';
import { StoreError } from './store-errors.js';
import { checkTableTarget } from './table-target.js';

/** Partition key `d` of every registry item. Row items of a device named so cannot collide (their `s` is >= 0). */
export const REGISTRY_PARTITION = '#registry';

/**
 * Attribute names of a registry item, one letter each like a row item's: `d` (S, {@link REGISTRY_PARTITION}),
 * `s` (N, negative, from the device id), `i` (S, device id), `f` (N, first time, epoch ms),
 * `l` (N, last time bound, epoch ms).
 */
export const REGISTRY_ATTRIBUTES = {
  partition: 'd',
  sortKey: 's',
  deviceId: 'i',
  firstMs: 'f',
  lastMs: 'l',
} as const;

/** Largest sample time the registry accepts, epoch ms (2^52, as the producer batch's `sentAt`). */
const MAX_TIME_MS = 2 ** 52;
const DEFAULT_INTERVAL_MS = 3_600_000;

/** Options of {@link DeviceRegistry}. */
export interface DeviceRegistryOptions {
  /**
   * DynamoDB client. Registry requests keep the client's own retries (the SDK's `maxAttempts`) and no loop
   * of their own: a note that fails is made again by its caller (the consumer has Lambda deliver the
   * device's records again when the failure passes, and the device's next write notes it anyway).
   */
  client: DynamoDBClient;
  /** The row table (keys `d`, `s`), 3 to 255 of `a-z A-Z 0-9 _ - .`. No index or schema change is needed. */
  tableName: string;
  /**
   * Headroom added to a device's last time when it is written, in ms, an integer >= 0. Default 3,600,000
   * (one hour): a streaming device costs one registry write per hour of data, and `lastMs` is at most this
   * far past its latest sample. 0 keeps `lastMs` exact and writes whenever a note extends the range.
   */
  intervalMs?: number;
  /** Conditional-write attempts per device when racing other writers, a positive integer. Default 5. */
  maxAttempts?: number;
  /** Devices noted concurrently by {@link DeviceRegistry.noteMany}, a positive integer. Default 8. */
  concurrency?: number;
}

/** A device and the time range it has data for. */
export interface DeviceRange {
  /** Device id (the rows' partition key). */
  deviceId: string;
  /** Earliest sample time noted, epoch ms (exact). */
  firstMs: number;
  /**
   * Upper bound of the sample times noted, epoch ms: at least the latest one and at most `intervalMs`
   * (of the writer that set it) past it. It can lie in the future while the device streams.
   */
  lastMs: number;
}

/** Options of {@link DeviceRegistry.note} and {@link DeviceRegistry.noteMany}. */
export interface NoteOptions {
  /** Aborts the registry's requests (e.g. at the Lambda's deadline); the notes then fail with `DEADLINE_EXCEEDED`. */
  abortSignal?: AbortSignal;
}

/** A device that could not be noted; the next note of it tries again. */
export interface FailedNote {
  /** The device not noted. */
  deviceId: string;
  /** Why; `retryable` as the store's (the next note retries either way). */
  error: StoreError;
}

/** What a {@link DeviceRegistry.note} or {@link DeviceRegistry.noteMany} call did. */
export interface NoteReport {
  /** Devices whose range is now stored (written now, or found covered). */
  noted: number;
  /** Of those, devices that needed no write (inside the range already stored). */
  unchanged: number;
  /** Successful `PutItem`s. */
  writes: number;
  /**
   * Write units consumed: those DynamoDB reported for successful writes, plus `writeUnitsEstimated`.
   */
  writeUnits: number;
  /** Part of `writeUnits` estimated for failed conditional writes (billed by AWS but not reported). */
  writeUnitsEstimated: number;
  /** Read units of the strongly consistent `GetItem`s. */
  readUnits: number;
  /** Requests sent (`GetItem` and `PutItem`, failed ones included). */
  requests: number;
  /** Devices not noted, with why. */
  failed: FailedNote[];
}

/** Options of {@link DeviceRegistry.list}. */
export interface ListDevicesOptions {
  /** Registry items read by this call (DynamoDB `Limit`), a positive integer. Default: a 1 MB page. */
  limit?: number;
  /** `cursor` of the previous page; omitted for the first page. */
  cursor?: string;
  /** Strongly consistent read. Default false (eventually consistent, half the read units). */
  consistentRead?: boolean;
}

/** One page of {@link DeviceRegistry.list}. */
export interface DevicePage {
  /** Devices of this page, in no meaningful order (by a hash of the id), each once over all pages. */
  devices: DeviceRange[];
  /** Pass to the next call to continue; undefined on the last page. */
  cursor: string | undefined;
}

/** A report with every count at zero. */
function emptyNoteReport(): NoteReport {
  return {
    noted: 0,
    unchanged: 0,
    writes: 0,
    writeUnits: 0,
    writeUnitsEstimated: 0,
    readUnits: 0,
    requests: 0,
    failed: [],
  };
}

function addNoteReport(total: NoteReport, part: NoteReport): NoteReport {
  total.noted += part.noted;
  total.unchanged += part.unchanged;
  total.writes += part.writes;
  total.writeUnits += part.writeUnits;
  total.writeUnitsEstimated += part.writeUnitsEstimated;
  total.readUnits += part.readUnits;
  total.requests += part.requests;
  total.failed.push(...part.failed);
  return total;
}

/**
 * The registry item key of `deviceId`: partition {@link REGISTRY_PARTITION} and a negative sort key, so it
 * never equals a row item's key (whose `s` is >= 0). Distinct ids get distinct keys unless their SHA-256
 * digests share their first 120 bits.
 *
 * @returns `{ d: { S: '#registry' }, s: { N: '-…' } }`.
 */
export function registryKey(deviceId: string): Record<string, AttributeValue> {
  const digest = createHash('sha256').update(deviceId, 'utf8').digest();
  // 120 bits: at most 37 decimal digits, inside DynamoDB's 38-digit numbers.
  const value = BigInt(`0x${digest.subarray(0, 15).toString('hex')}`) + 1n;
  return {
    [REGISTRY_ATTRIBUTES.partition]: { S: REGISTRY_PARTITION },
    [REGISTRY_ATTRIBUTES.sortKey]: { N: `-${value}` },
  };
}

/** The range stored after a note of `[firstMs, lastMs]` on `stored`, or undefined when `stored` covers it. */
export function widenRange(
  stored: { firstMs: number; lastMs: number } | undefined,
  firstMs: number,
  lastMs: number,
  intervalMs: number,
): { firstMs: number; lastMs: number } | undefined {
  if (stored === undefined) return { firstMs, lastMs: lastMs + intervalMs };
  if (firstMs >= stored.firstMs && lastMs <= stored.lastMs) return undefined;
  return {
    firstMs: Math.min(stored.firstMs, firstMs),
    lastMs: lastMs > stored.lastMs ? lastMs + intervalMs : stored.lastMs,
  };
}

/**
 * Lists the devices of a row table and the time range each has data for, without scanning the rows:
 * one small registry item per device in the same table (see the module documentation for the layout,
 * the write rules and their cost). The writer calls {@link DeviceRegistry.noteMany} with what it stored;
 * readers call {@link DeviceRegistry.list} or {@link DeviceRegistry.get}.
 *
 * @example
 * ```ts
 * const registry = new DeviceRegistry({ client, tableName: 'samples' });
 * await registry.note('watch-42', 1_700_000_000_000, 1_700_000_059_980);
 * let cursor: string | undefined;
 * do {
 *   const page = await registry.list({ limit: 100, ...(cursor === undefined ? {} : { cursor }) });
 *   for (const { deviceId, firstMs, lastMs } of page.devices) console.log(deviceId, firstMs, lastMs);
 *   cursor = page.cursor;
 * } while (cursor !== undefined);
 * ```
 */
export class DeviceRegistry {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly intervalMs: number;
  private readonly maxAttempts: number;
  private readonly concurrency: number;
  /** Per device, a range the table was seen to hold; the stored range can only have grown since. */
  private readonly known = new Map<string, { firstMs: number; lastMs: number }>();

  /**
   * Checks every option now.
   *
   * @throws {InvalidOptionError} naming the first invalid option (`client`, `tableName`, `intervalMs`,
   *   `maxAttempts`, `concurrency`).
   */
  constructor(options: DeviceRegistryOptions) {
    checkTableTarget(options, 'DeviceRegistry');
    const { client, tableName } = options;
    const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    if (!Number.isSafeInteger(intervalMs) || intervalMs < 0) {
      throw new InvalidOptionError(
        'intervalMs',
        `intervalMs must be an integer >= 0, got ${String(intervalMs)}`,
      );
    }
    this.client = client;
    this.tableName = tableName;
    this.intervalMs = intervalMs;
    this.maxAttempts = positiveInteger('maxAttempts', options.maxAttempts ?? 5);
    this.concurrency = positiveInteger('concurrency', options.concurrency ?? 8);
  }

  /**
   * Records that `deviceId` has data from `firstMs` to `lastMs`. Sends nothing when the range this instance
   * saw stored covers it; otherwise widens the stored range (see the class documentation).
   *
   * @param deviceId - the rows' partition key, a non-empty string.
   * @param firstMs - earliest sample time stored, integer epoch ms >= 0.
   * @param lastMs - latest sample time stored, integer epoch ms, `firstMs` to 2^52.
   * @returns what was sent; `noted` is 1.
   * @throws {ItemError} `INVALID_ITEM` for a bad device id or times (nothing is sent).
   * @throws {StoreError} when the registry could not be updated: `THROTTLED`, `UNAVAILABLE`, `DYNAMODB_ERROR`
   *   (retryable as the store's), `DEADLINE_EXCEEDED` when `abortSignal` aborted, `CONFLICT_RETRIES_EXHAUSTED`
   *   after `maxAttempts` lost races, `INCOMPATIBLE_ITEM` when the registry key holds another device or a
   *   malformed item.
   */
  async note(
    deviceId: string,
    firstMs: number,
    lastMs: number,
    options: NoteOptions = {},
  ): Promise<NoteReport> {
    checkNote(deviceId, firstMs, lastMs, 'note');
    return this.noteOne(deviceId, firstMs, lastMs, options.abortSignal);
  }

  /**
   * Notes several devices (entries of one device are merged first), at most `concurrency` at a time.
   * Never throws a store failure: devices that could not be noted are in `failed`, and the instance does
   * not remember them, so the next note of them tries again.
   *
   * @throws {ItemError} `INVALID_ITEM` naming the entry when an entry is invalid (checked before anything is sent).
   */
  async noteMany(
    entries: readonly { deviceId: string; firstMs: number; lastMs: number }[],
    options: NoteOptions = {},
  ): Promise<NoteReport> {
    const byDevice = new Map<string, { firstMs: number; lastMs: number }>();
    entries.forEach(({ deviceId, firstMs, lastMs }, index) => {
      checkNote(deviceId, firstMs, lastMs, `entry ${index}`);
      const range = byDevice.get(deviceId);
      if (range === undefined) byDevice.set(deviceId, { firstMs, lastMs });
      else {
        range.firstMs = Math.min(range.firstMs, firstMs);
        range.lastMs = Math.max(range.lastMs, lastMs);
      }
    });
    const reports = await runBounded([...byDevice], this.concurrency, async ([deviceId, range]) => {
      try {
        return await this.noteOne(deviceId, range.firstMs, range.lastMs, options.abortSignal);
      } catch (error) {
        const report = emptyNoteReport();
        const storeError =
          error instanceof StoreError ? error : storeErrorFromSdk(error, `Could not note device ${deviceId}`);
        report.failed.push({ deviceId, error: storeError });
        return report;
      }
    });
    return reports.reduce(addNoteReport, emptyNoteReport());
  }

  /**
   * One page of registered devices with their ranges (a `Query` of the registry partition).
   *
   * @throws {InvalidOptionError} for a bad `limit`, `cursor` or `consistentRead`.
   * @throws {StoreError} `THROTTLED`, `UNAVAILABLE` or `DYNAMODB_ERROR` when the query fails;
   *   `INCOMPATIBLE_ITEM` when a registry item is malformed.
   */
  async list(options: ListDevicesOptions = {}): Promise<DevicePage> {
    const { limit, cursor, consistentRead } = options;
    if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 1)) {
      throw new InvalidOptionError('limit', `limit must be a positive integer, got ${String(limit)}`);
    }
    if (consistentRead !== undefined && typeof consistentRead !== 'boolean') {
      throw new InvalidOptionError('consistentRead', 'consistentRead must be a boolean');
    }
    if (cursor !== undefined && (typeof cursor !== 'string' || !/^-[1-9][0-9]{0,37}$/.test(cursor))) {
      throw new InvalidOptionError('cursor', `cursor is not one list() returned: ${JSON.stringify(cursor)}`);
    }
    const { partition, sortKey } = REGISTRY_ATTRIBUTES;
    let page: QueryCommandOutput;
    try {
      page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#d = :d AND #s < :zero',
          ExpressionAttributeNames: { '#d': partition, '#s': sortKey },
          ExpressionAttributeValues: { ':d': { S: REGISTRY_PARTITION }, ':zero': { N: '0' } },
          ConsistentRead: consistentRead ?? false,
          ...(limit === undefined ? {} : { Limit: limit }),
          ...(cursor === undefined
            ? {}
            : { ExclusiveStartKey: { [partition]: { S: REGISTRY_PARTITION }, [sortKey]: { N: cursor } } }),
        }),
      );
    } catch (error) {
      throw storeErrorFromSdk(error, 'Query of the device registry failed');
    }
    const devices = (page.Items ?? []).map((item) => parseRegistryItem(item));
    const next = page.LastEvaluatedKey?.[sortKey];
    return { devices, cursor: next !== undefined && 'N' in next ? next.N : undefined };
  }

  /**
   * The registered range of one device, or undefined when it was never noted.
   *
   * @param options - `consistentRead` (default false).
   * @throws {ItemError} `INVALID_ITEM` when `deviceId` is not a non-empty string.
   * @throws {StoreError} as {@link DeviceRegistry.list}; `INCOMPATIBLE_ITEM` also when the device's registry
   *   key holds another device.
   */
  async get(deviceId: string, options: { consistentRead?: boolean } = {}): Promise<DeviceRange | undefined> {
    checkDeviceId(deviceId, 'deviceId');
    const stored = await this.read(deviceId, options.consistentRead ?? false, undefined, emptyNoteReport());
    return stored === undefined ? undefined : { deviceId, ...stored };
  }

  private async noteOne(
    deviceId: string,
    firstMs: number,
    lastMs: number,
    signal: AbortSignal | undefined,
  ): Promise<NoteReport> {
    const report = emptyNoteReport();
    let stored = this.known.get(deviceId);
    if (stored !== undefined && widenRange(stored, firstMs, lastMs, this.intervalMs) === undefined) {
      report.noted = 1;
      report.unchanged = 1;
      return report;
    }
    // A device this instance has not seen: read it, so a new container does not pay a failed write.
    if (stored === undefined) stored = await this.read(deviceId, true, signal, report);
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const target = widenRange(stored, firstMs, lastMs, this.intervalMs);
      if (target === undefined) {
        this.remember(deviceId, stored);
        report.noted = 1;
        report.unchanged = 1;
        return report;
      }
      const item: Record<string, AttributeValue> = {
        ...registryKey(deviceId),
        [REGISTRY_ATTRIBUTES.deviceId]: { S: deviceId },
        [REGISTRY_ATTRIBUTES.firstMs]: { N: String(target.firstMs) },
        [REGISTRY_ATTRIBUTES.lastMs]: { N: String(target.lastMs) },
      };
      report.requests += 1;
      try {
        const out = await this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: item,
            // The stored range must lie inside the new one: f only decreases, l only increases.
            ConditionExpression: 'attribute_not_exists(#d) OR (#i = :i AND #f >= :f AND #l <= :l)',
            ExpressionAttributeNames: { '#d': 'd', '#i': 'i', '#f': 'f', '#l': 'l' },
            ExpressionAttributeValues: {
              ':i': { S: deviceId },
              ':f': { N: String(target.firstMs) },
              ':l': { N: String(target.lastMs) },
            },
            ReturnConsumedCapacity: 'TOTAL',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
          signal === undefined ? {} : { abortSignal: signal },
        );
        report.writes += 1;
        report.writeUnits += out.ConsumedCapacity?.CapacityUnits ?? writeUnits(item as SizedItem);
        this.remember(deviceId, target);
        report.noted = 1;
        return report;
      } catch (error) {
        if (!(error instanceof Error) || error.name !== 'ConditionalCheckFailedException') {
          throw this.failure(error, signal, `Could not note device ${deviceId}`);
        }
        // Another writer widened the range past ours (or the key holds another device): billed, not reported.
        const returned = (error as { Item?: Record<string, AttributeValue> }).Item;
        const failedUnits = writeUnits((returned ?? item) as SizedItem);
        report.writeUnits += failedUnits;
        report.writeUnitsEstimated += failedUnits;
        stored =
          returned === undefined
            ? await this.read(deviceId, true, signal, report)
            : checkOwner(deviceId, parseRegistryItem(returned));
      }
    }
    throw new StoreError(
      'CONFLICT_RETRIES_EXHAUSTED',
      `Device registry entry of ${deviceId} changed on each of ${this.maxAttempts} attempts`,
    );
  }

  private async read(
    deviceId: string,
    consistent: boolean,
    signal: AbortSignal | undefined,
    report: NoteReport,
  ): Promise<{ firstMs: number; lastMs: number } | undefined> {
    report.requests += 1;
    let out: GetItemCommandOutput;
    try {
      out = await this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: registryKey(deviceId),
          ConsistentRead: consistent,
          ReturnConsumedCapacity: 'TOTAL',
        }),
        signal === undefined ? {} : { abortSignal: signal },
      );
    } catch (error) {
      throw this.failure(error, signal, `Could not read the registry entry of ${deviceId}`);
    }
    report.readUnits += out.ConsumedCapacity?.CapacityUnits ?? readUnits(0, consistent);
    if (out.Item === undefined) return undefined;
    const { firstMs, lastMs } = checkOwner(deviceId, parseRegistryItem(out.Item));
    return { firstMs, lastMs };
  }

  private remember(deviceId: string, range: { firstMs: number; lastMs: number } | undefined): void {
    if (range !== undefined) this.known.set(deviceId, { firstMs: range.firstMs, lastMs: range.lastMs });
  }

  private failure(error: unknown, signal: AbortSignal | undefined, message: string): StoreError {
    if (signal?.aborted) {
      return new StoreError('DEADLINE_EXCEEDED', `${message}: aborted (${describeError(error)})`, {
        cause: error,
      });
    }
    return storeErrorFromSdk(error, message);
  }
}

function checkDeviceId(deviceId: unknown, what: string): asserts deviceId is string {
  if (typeof deviceId !== 'string' || deviceId.length === 0) {
    throw new ItemError('INVALID_ITEM', `${what} must be a non-empty string`);
  }
}

function checkNote(deviceId: unknown, firstMs: unknown, lastMs: unknown, label: string): void {
  checkDeviceId(deviceId, `${label}: deviceId`);
  if (!isTime(firstMs) || !isTime(lastMs) || firstMs > lastMs) {
    throw new ItemError(
      'INVALID_ITEM',
      `${label} (${deviceId}): firstMs and lastMs must be integer epoch ms, 0 <= firstMs <= lastMs <= 2^52, got ${String(firstMs)} and ${String(lastMs)}`,
    );
  }
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_TIME_MS;
}

/** The device range of a registry item. @throws {StoreError} `INCOMPATIBLE_ITEM` when malformed. */
function parseRegistryItem(item: Record<string, AttributeValue>): DeviceRange {
  const deviceId = (item[REGISTRY_ATTRIBUTES.deviceId] as { S?: unknown } | undefined)?.S;
  const first = Number((item[REGISTRY_ATTRIBUTES.firstMs] as { N?: unknown } | undefined)?.N);
  const last = Number((item[REGISTRY_ATTRIBUTES.lastMs] as { N?: unknown } | undefined)?.N);
  if (typeof deviceId !== 'string' || !Number.isSafeInteger(first) || !Number.isSafeInteger(last)) {
    const key = (item[REGISTRY_ATTRIBUTES.sortKey] as { N?: unknown } | undefined)?.N;
    throw new StoreError(
      'INCOMPATIBLE_ITEM',
      `Registry item ${REGISTRY_PARTITION}/${String(key)} lacks i (S), f (N) or l (N)`,
    );
  }
  return { deviceId, firstMs: first, lastMs: last };
}

function checkOwner(deviceId: string, range: DeviceRange): DeviceRange {
  if (range.deviceId !== deviceId) {
    throw new StoreError(
      'INCOMPATIBLE_ITEM',
      `Registry key of ${JSON.stringify(deviceId)} holds ${JSON.stringify(range.deviceId)} (a 120-bit hash collision)`,
    );
  }
  return range;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidOptionError(name, `${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}
