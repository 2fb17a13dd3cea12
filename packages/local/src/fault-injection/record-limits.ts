/** Request-size limits of Kinesis writes, in records and bytes. */
export interface RecordLimits {
  /** Most bytes of data plus partition key per record. AWS: 1,048,576. */
  maxRecordBytes: number;
  /** Most records per PutRecords request. AWS: 500. */
  maxRequestRecords: number;
  /** Most bytes of data plus partition keys per PutRecords request. AWS: 5,242,880. */
  maxRequestBytes: number;
}

/** A record as it travels in a PutRecord/PutRecords JSON body (`Data` in base64). */
export interface WireRecord {
  Data?: unknown;
  PartitionKey?: unknown;
  ExplicitHashKey?: unknown;
}

/** Why a write breaks a limit, as the AWS error it gets. */
export interface LimitViolation {
  type: 'ValidationException' | 'InvalidArgumentException';
  message: string;
}

/** Bytes a record counts for, against both the size limits and the shard's write throughput. */
export function recordBytes(record: WireRecord): { data: number; total: number } {
  const data = typeof record.Data === 'string' ? Buffer.byteLength(record.Data, 'base64') : 0;
  const key = typeof record.PartitionKey === 'string' ? Buffer.byteLength(record.PartitionKey, 'utf8') : 0;
  return { data, total: data + key };
}

/**
 * Checks a write against the size limits, the way AWS rejects the whole request: data over the record
 * limit and more records than allowed are `ValidationException` (the message names the member, as
 * AWS's does); data plus partition key over the record limit, and a PutRecords body over the request
 * limit, are `InvalidArgumentException`.
 *
 * @param records - The records of the request (one for PutRecord).
 * @param batch - Whether the request is PutRecords, which has the per-request limits.
 * @returns The violation, or `undefined` when the request is within every limit.
 */
export function checkRecordLimits(
  records: readonly WireRecord[],
  limits: RecordLimits,
  batch: boolean,
): LimitViolation | undefined {
  if (batch && records.length > limits.maxRequestRecords) {
    return {
      type: 'ValidationException',
      message: `1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length less than or equal to ${limits.maxRequestRecords}`,
    };
  }
  let requestBytes = 0;
  for (const [index, record] of records.entries()) {
    const { data, total } = recordBytes(record);
    const member = batch ? `records.${index + 1}.member.data` : 'data';
    if (data > limits.maxRecordBytes) {
      return {
        type: 'ValidationException',
        message: `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${limits.maxRecordBytes}`,
      };
    }
    if (total > limits.maxRecordBytes) {
      return {
        type: 'InvalidArgumentException',
        message: `Record ${index} has ${total} bytes of data and partition key, over the ${limits.maxRecordBytes}-byte record limit`,
      };
    }
    requestBytes += total;
  }
  if (batch && requestBytes > limits.maxRequestBytes) {
    return {
      type: 'InvalidArgumentException',
      message: `Records size exceeds ${limits.maxRequestBytes / 1048576} MB limit`,
    };
  }
  return undefined;
}
