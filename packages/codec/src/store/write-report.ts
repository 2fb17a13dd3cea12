import type { Row } from '../types.js';
import type { StoreError } from './store-errors.js';

/** A row that could not be written: its samples are here, so the caller can retry or dead-letter them. */
export interface FailedRow {
  /** Device the row belongs to. */
  deviceId: string;
  /** The row this call tried to add (its own samples only, not what was already stored). */
  row: Row;
  /** Why it failed; `error.code` says whether a retry can help. */
  error: StoreError;
}

/**
 * What one {@link SampleStore.write} or {@link SampleStore.writeMany} call did. Units are DynamoDB capacity
 * units as reported by `ReturnConsumedCapacity`, plus the estimate in `writeUnitsEstimated`.
 */
export interface WriteReport {
  /** Rows (windows) that did not exist and were created. */
  rowsWritten: number;
  /** Existing rows that gained samples and were rewritten. */
  rowsMerged: number;
  /** Rows whose samples were all stored already: nothing was written. */
  rowsUnchanged: number;
  /** New distinct samples that reached the table. */
  samplesStored: number;
  /** Exact duplicates dropped: repeated within the call, or already stored. */
  duplicatesDropped: number;
  /** Samples sharing a time with a different reading, resolved by the codec's deterministic rule. */
  conflicts: number;
  /**
   * Write capacity units consumed: those DynamoDB reported for successful writes, plus
   * `writeUnitsEstimated`.
   */
  writeUnits: number;
  /**
   * Part of `writeUnits` that is estimated, not reported: DynamoDB charges a failed conditional write
   * (the size of the existing item, at least 1 unit) but returns no `ConsumedCapacity` with the error.
   */
  writeUnitsEstimated: number;
  /** Read capacity units consumed by strongly consistent `GetItem`s, as reported by DynamoDB. */
  readUnits: number;
  /** Conditional writes that failed because the row existed or had changed (each one is billed). */
  conditionalCheckFailures: number;
  /**
   * DynamoDB requests sent (`PutItem` and `GetItem`, failed ones included). Each is a single HTTP attempt:
   * the store turns the SDK's own retries off, so this is what reached (or tried to reach) DynamoDB.
   */
  requests: number;
  /**
   * Requests the store repeated in its own loop after a backoff: after throttling, a 5xx, a connection
   * reset or a timed-out attempt, and after losing a race to a concurrent writer.
   */
  retries: number;
  /** Rows that could not be written before the deadline or after all retries, with their samples. */
  failed: FailedRow[];
}

/** A report with every count at zero, to add reports into with {@link addReport}. */
export function emptyReport(): WriteReport {
  return {
    rowsWritten: 0,
    rowsMerged: 0,
    rowsUnchanged: 0,
    samplesStored: 0,
    duplicatesDropped: 0,
    conflicts: 0,
    writeUnits: 0,
    writeUnitsEstimated: 0,
    readUnits: 0,
    conditionalCheckFailures: 0,
    requests: 0,
    retries: 0,
    failed: [],
  };
}

/** Adds every count of `part` into `total` and appends its failed rows (mutates and returns `total`). */
export function addReport(total: WriteReport, part: WriteReport): WriteReport {
  total.rowsWritten += part.rowsWritten;
  total.rowsMerged += part.rowsMerged;
  total.rowsUnchanged += part.rowsUnchanged;
  total.samplesStored += part.samplesStored;
  total.duplicatesDropped += part.duplicatesDropped;
  total.conflicts += part.conflicts;
  total.writeUnits += part.writeUnits;
  total.writeUnitsEstimated += part.writeUnitsEstimated;
  total.readUnits += part.readUnits;
  total.conditionalCheckFailures += part.conditionalCheckFailures;
  total.requests += part.requests;
  total.retries += part.retries;
  total.failed.push(...part.failed);
  return total;
}
