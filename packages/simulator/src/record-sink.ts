/** One record for Kinesis: its bytes and partition key. */
export interface RecordEntry {
  data: Uint8Array;
  partitionKey: string;
}

/** Outcome of one record of a PutRecords call: a sequence number, or an error code. */
export interface RecordResult {
  sequenceNumber?: string;
  shardId?: string;
  /** Set when this record failed (e.g. `ProvisionedThroughputExceededException`, `InternalFailure`). */
  errorCode?: string;
  errorMessage?: string;
}

/**
 * Where a phone's flush goes: one PutRecords call. Results come back in request order, one per
 * entry; a failed call rejects. {@link KinesisRecordSink} is the real one; tests may use any.
 */
export interface RecordSink {
  putRecords(entries: readonly RecordEntry[]): Promise<RecordResult[]>;
}

/** Most records in one PutRecords call (Kinesis limit). */
export const MAX_RECORDS_PER_CALL = 500;
/** Most bytes (data plus partition keys) in one PutRecords call (Kinesis limit: 5 MiB). */
export const MAX_BYTES_PER_CALL = 5 * 1024 * 1024;
/** Most bytes in one record (Kinesis limit: 1 MiB, partition key included). */
export const MAX_RECORD_BYTES = 1024 * 1024;

/** Bytes one entry counts against the PutRecords limits. */
export function entryBytes(entry: RecordEntry): number {
  return entry.data.byteLength + Buffer.byteLength(entry.partitionKey, 'utf8');
}

/**
 * Splits entries into PutRecords calls of at most `maxRecords` records and `maxBytes` bytes,
 * keeping their order.
 */
export function chunkEntries<T extends RecordEntry>(
  entries: readonly T[],
  maxRecords: number = MAX_RECORDS_PER_CALL,
  maxBytes: number = MAX_BYTES_PER_CALL,
): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entryBytes(entry);
    if (current.length > 0 && (current.length === maxRecords || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
