import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  type GetItemCommandOutput,
  PutItemCommand,
  type PutItemCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { Clock } from '../clock.js';
import {
  fromItem,
  ITEM_ATTRIBUTES,
  itemSize,
  mergeRows,
  readUnits,
  sameSamples,
  toItem,
  writeUnits,
} from '../index.js';
import { metadataAttributes, nextMetadata, type RowMetadata, readMetadata } from '../row-metadata.js';
import type { Row } from '../types.js';
import { backoffDelayMs } from './backoff.js';
import { classifySdkError, describeError, isRetriedInLoop, storeErrorFromSdk } from './classify-error.js';
import { isMissingHead } from './missing-head.js';
import { singleAttempt } from './single-attempt.js';
import { isStoreError, StoreError } from './store-errors.js';
import { emptyReport, type WriteReport } from './write-report.js';

/** Settings the per-row write loop needs; resolved once by `SampleStore`. */
export interface RowWriterConfig {
  /** Client every request goes through; each request is sent with the SDK's retries off (see `singleAttempt`). */
  client: DynamoDBClient;
  /** Time source for the deadline, the attempt timeout and the backoff sleeps. */
  clock: Clock;
  /** Longest wait for one request before it is aborted and retried as `unavailable`, in ms. */
  attemptTimeoutMs: number;
  /** Row table (keys `d`, `s`). */
  tableName: string;
  /** Seconds after the window end at which DynamoDB may expire the row, or undefined for no TTL. */
  ttlSeconds: number | undefined;
  /** Conditional-write attempts per row before giving up with CONFLICT_RETRIES_EXHAUSTED. */
  maxAttempts: number;
  /** Retries per request after throttling or a server error before giving up with THROTTLED or UNAVAILABLE. */
  maxTransientRetries: number;
  /** Base of the capped exponential backoff, in ms. */
  baseDelayMs: number;
  /** Cap of one backoff delay, in ms. */
  maxDelayMs: number;
  /** Read first (instead of an optimistic create) when the row's samples start late in the window. */
  readFirstWhenHeadMissing: boolean;
}

type Item = Record<string, AttributeValue>;
/** The codec's structural item type; the SDK's items are wider only in members our rows never use. */
type SizedItem = Parameters<typeof itemSize>[0];

/** What is (as far as we know) stored for a row: the item, its decoded row and the payload to compare. */
interface Stored {
  item: Item;
  row: Row;
  payload: AttributeValue;
  metadata: RowMetadata;
}

const { deviceId: D, windowStart: S, payload: P } = ITEM_ATTRIBUTES;

/**
 * Writes one row so that the table ends up with the union of the stored samples and `row`'s, whatever
 * other writers do at the same time, and returns what it did as a one-row report. Never throws: every
 * failure ends up in `failed` with the row's samples.
 *
 * Optimistic concurrency, one row at a time:
 * 1. `PutItem` if `attribute_not_exists(d)`: a new window costs exactly one write and no read.
 * 2. If the row exists, get the stored item (from the failed check with `ReturnValuesOnConditionCheckFailure`,
 *    or a consistent `GetItem` where the server does not return it, e.g. dynalite), merge with `mergeRows`;
 *    if the samples are unchanged stop without writing, else `PutItem` if `p = :storedPayload`.
 * 3. If that check fails, someone else changed the row: start again from step 2 with the fresh item.
 * A whole-item put (never an `UpdateItem` append) bills the new size once; the payload comparison makes
 * every write a compare-and-swap on content, so no interleaving can lose a sample.
 *
 * The item also records when the row was first written and last merged (the clock's `now()`) and the
 * earliest stream arrival of the writes that added samples (`c`, `m`, `a`; see `row-metadata.ts`). They are
 * derived from the same stored item the merge starts from and written only with a changed payload, so the
 * compare-and-swap on `p` covers them too: a write that loses the race recomputes them from the winner's item.
 *
 * @param deadline - epoch ms after which no request is started and in-flight ones are aborted.
 * @param arrivalMs - earliest stream arrival of this row's samples, epoch ms, if known.
 * @returns a one-row report; never rejects (failures, including codec errors, are in `failed`).
 */
export async function writeRow(
  config: RowWriterConfig,
  deviceId: string,
  row: Row,
  deadline: number | undefined,
  arrivalMs?: number,
): Promise<WriteReport> {
  const report = emptyReport();
  const rowWriter = new RowWriter(config, deviceId, row, deadline, report, arrivalMs);
  try {
    await rowWriter.run();
  } catch (error) {
    report.failed.push({ deviceId, row, error: toStoreError(error, `${deviceId}@${row.startMs}`) });
  }
  return report;
}

class RowWriter {
  private readonly key: Item;
  private readonly expiresAt: number | undefined;

  constructor(
    private readonly config: RowWriterConfig,
    private readonly deviceId: string,
    private readonly row: Row,
    private readonly deadline: number | undefined,
    private readonly report: WriteReport,
    private readonly arrivalMs: number | undefined,
  ) {
    this.expiresAt =
      config.ttlSeconds === undefined
        ? undefined
        : Math.floor((row.startMs + row.windowSeconds * 1000) / 1000) + config.ttlSeconds;
    const item = this.itemFor(row, undefined);
    this.key = { [D]: item[D]!, [S]: item[S]! };
  }

  async run(): Promise<void> {
    const { config, row, report } = this;
    // undefined: not looked at (try an optimistic create); null: known absent; else: the stored item.
    let stored: Stored | null | undefined;
    if (config.readFirstWhenHeadMissing && isMissingHead(row)) stored = await this.get();

    for (let attempt = 1; ; attempt++) {
      let candidate: Row = row;
      if (stored) {
        candidate = this.merge(stored.row);
        if (sameSamples(candidate, stored.row)) {
          report.rowsUnchanged += 1;
          report.duplicatesDropped += candidate.duplicates - stored.row.duplicates;
          report.conflicts += candidate.conflicts - stored.row.conflicts;
          return;
        }
      }
      const item = this.itemFor(candidate, stored ? stored.metadata : undefined);
      try {
        const output = await this.put(item, stored?.payload);
        this.addWriteUnits(output, item);
        if (stored) {
          report.rowsMerged += 1;
          report.samplesStored += candidate.samples.length - stored.row.samples.length;
          report.duplicatesDropped += candidate.duplicates - stored.row.duplicates;
          report.conflicts += candidate.conflicts - stored.row.conflicts;
        } else {
          report.rowsWritten += 1;
          report.samplesStored += row.samples.length;
          report.duplicatesDropped += row.duplicates;
          report.conflicts += row.conflicts;
        }
        return;
      } catch (error) {
        if (!(error instanceof Error) || error.name !== 'ConditionalCheckFailedException') throw error;
        report.conditionalCheckFailures += 1;
        // A check we expected to pass failed: a concurrent writer got there first. (An optimistic create
        // failing because the row exists is the normal merge path, not a retry.)
        const lostRace = stored !== undefined;
        const returned = (error as { Item?: Item }).Item;
        stored = returned ? this.decode(returned) : await this.get();
        // AWS bills a failed conditional write by the existing item's size (>= 1 unit) but returns no
        // ConsumedCapacity with the error, so we estimate it. dynalite charges nothing here.
        const failedUnits = stored ? writeUnits(stored.item as SizedItem) : 1;
        report.writeUnits += failedUnits;
        report.writeUnitsEstimated += failedUnits;
        if (attempt >= config.maxAttempts) {
          throw new StoreError(
            'CONFLICT_RETRIES_EXHAUSTED',
            `Row ${this.describe()} changed under ${attempt} conditional writes in a row (maxAttempts ${config.maxAttempts})`,
            { cause: error },
          );
        }
        if (lostRace) {
          // Spread writers that keep colliding on one hot row.
          await this.pause(backoffDelayMs(attempt - 1, config.baseDelayMs, config.maxDelayMs), error);
          report.retries += 1;
        }
      }
    }
  }

  private merge(storedRow: Row): Row {
    try {
      return mergeRows(storedRow, this.row);
    } catch (error) {
      throw new StoreError(
        'INCOMPATIBLE_ITEM',
        `Stored row ${this.describe()} cannot be merged: ${describeError(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  private decode(item: Item): Stored {
    try {
      const { row } = fromItem(item);
      return { item, row, payload: item[P]!, metadata: readMetadata(item, row.startMs) };
    } catch (error) {
      throw new StoreError(
        'INCOMPATIBLE_ITEM',
        `Stored item ${this.describe()} is not a valid row: ${describeError(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  /** The item storing `row`, with the metadata of a write now over `stored` (undefined: a create). */
  private itemFor(row: Row, stored: RowMetadata | undefined): Item {
    const options = this.expiresAt === undefined ? {} : { expiresAt: this.expiresAt };
    try {
      const metadata = nextMetadata(stored, this.config.clock.now(), this.arrivalMs);
      return {
        ...(toItem(this.deviceId, row, options) as Item),
        ...metadataAttributes(row.startMs, metadata),
      };
    } catch (error) {
      throw new StoreError(
        'INCOMPATIBLE_ITEM',
        `Row ${this.describe()} cannot be stored: ${describeError(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  private async put(item: Item, expectedPayload: AttributeValue | undefined): Promise<PutItemCommandOutput> {
    const command = new PutItemCommand({
      TableName: this.config.tableName,
      Item: item,
      ...(expectedPayload === undefined
        ? { ConditionExpression: 'attribute_not_exists(#d)', ExpressionAttributeNames: { '#d': D } }
        : {
            ConditionExpression: '#p = :p',
            ExpressionAttributeNames: { '#p': P },
            ExpressionAttributeValues: { ':p': expectedPayload },
          }),
      ReturnConsumedCapacity: 'TOTAL',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    return this.send((abortSignal) => this.config.client.send(singleAttempt(command), { abortSignal }));
  }

  /** Strongly consistent read of the stored row; null when absent. */
  private async get(): Promise<Stored | null> {
    const command = new GetItemCommand({
      TableName: this.config.tableName,
      Key: this.key,
      ConsistentRead: true,
      ReturnConsumedCapacity: 'TOTAL',
    });
    const output: GetItemCommandOutput = await this.send((abortSignal) =>
      this.config.client.send(singleAttempt(command), { abortSignal }),
    );
    const reported = output.ConsumedCapacity?.CapacityUnits;
    this.report.readUnits +=
      reported ?? (output.Item ? readUnits(itemSize(output.Item as SizedItem), true) : 1);
    return output.Item ? this.decode(output.Item) : null;
  }

  private addWriteUnits(output: PutItemCommandOutput, item: Item): void {
    const reported = output.ConsumedCapacity?.CapacityUnits;
    if (reported !== undefined) {
      this.report.writeUnits += reported;
    } else {
      const estimate = writeUnits(item as SizedItem);
      this.report.writeUnits += estimate;
      this.report.writeUnitsEstimated += estimate;
    }
  }

  /**
   * Sends one request (the SDK's own retries off), retrying throttling and `unavailable` failures (5xx,
   * connection resets, timeouts) with capped exponential backoff and full jitter until
   * `maxTransientRetries` or the deadline: the only retry layer, so a throttled row makes at most
   * `maxTransientRetries + 1` requests, one per backoff interval. Each attempt is aborted after
   * `attemptTimeoutMs` (then retried) or when the deadline passes (then DEADLINE_EXCEEDED). Whether the
   * deadline caused an abort is read from the store's own signal, never from the error's name: the SDK
   * names connection resets `TimeoutError` too. A write aborted in flight may still have landed, which is
   * harmless because writing the row again is idempotent.
   */
  private async send<T>(request: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    const { clock, attemptTimeoutMs, maxTransientRetries, baseDelayMs, maxDelayMs } = this.config;
    for (let retry = 0; ; retry++) {
      const remaining = this.remainingMs();
      if (remaining !== undefined && remaining <= 0) {
        throw new StoreError(
          'DEADLINE_EXCEEDED',
          `Deadline passed before row ${this.describe()} was written`,
        );
      }
      const byDeadline = remaining !== undefined && remaining <= attemptTimeoutMs;
      const controller = new AbortController();
      const timers = new AbortController();
      const aborted = clock.sleep(byDeadline ? remaining : attemptTimeoutMs, timers.signal).then(() => {
        const reason = byDeadline
          ? new StoreError('DEADLINE_EXCEEDED', `Deadline passed while writing row ${this.describe()}`)
          : new StoreError(
              'UNAVAILABLE',
              `Request for row ${this.describe()} took longer than attemptTimeoutMs ${attemptTimeoutMs}`,
            );
        controller.abort(reason);
        throw reason;
      });
      // A rejection after the race is settled (the timer cancelled) is expected; keep it from surfacing.
      aborted.catch(() => undefined);
      this.report.requests += 1;
      let failure: unknown;
      try {
        // The race also bounds a client that ignores its abortSignal.
        return await Promise.race([request(controller.signal), aborted]);
      } catch (error) {
        failure = error;
      } finally {
        timers.abort();
      }
      const ownReason: unknown = controller.signal.aborted ? controller.signal.reason : undefined;
      if (isStoreError(ownReason) && ownReason.code === 'DEADLINE_EXCEEDED') {
        throw new StoreError('DEADLINE_EXCEEDED', ownReason.message, { cause: failure });
      }
      const kind = ownReason === undefined ? classifySdkError(failure) : 'unavailable';
      if (!isRetriedInLoop(kind)) throw failure;
      if (retry >= maxTransientRetries) {
        const cause = ownReason ?? failure;
        throw new StoreError(
          kind === 'throttled' ? 'THROTTLED' : 'UNAVAILABLE',
          `Row ${this.describe()} still failing after ${retry} retries: ${describeError(cause)}`,
          { cause },
        );
      }
      await this.pause(backoffDelayMs(retry, baseDelayMs, maxDelayMs), ownReason ?? failure);
      this.report.retries += 1;
    }
  }

  /** Sleeps `ms`, or gives up at once with DEADLINE_EXCEEDED if the deadline would pass meanwhile. */
  private async pause(ms: number, cause: unknown): Promise<void> {
    const remaining = this.remainingMs();
    if (remaining !== undefined && remaining <= ms) {
      throw new StoreError(
        'DEADLINE_EXCEEDED',
        `Deadline leaves no time to retry row ${this.describe()}: ${describeError(cause)}`,
        { cause },
      );
    }
    await this.config.clock.sleep(ms);
  }

  private remainingMs(): number | undefined {
    return this.deadline === undefined ? undefined : this.deadline - this.config.clock.now();
  }

  private describe(): string {
    return `${this.deviceId}@${this.row.startMs}`;
  }
}

/** Wraps anything thrown while writing a row in a {@link StoreError}, keeping the original in `cause`. */
function toStoreError(error: unknown, row: string): StoreError {
  if (isStoreError(error)) return error;
  return storeErrorFromSdk(error, `Writing row ${row} failed`);
}
