import { createRequire } from 'node:module';
import { RecordError } from './errors.js';

type KinesisAgg = typeof import('aws-kinesis-agg');

let kinesisAgg: KinesisAgg | undefined;

/**
 * Loads `aws-kinesis-agg` on first use: it brings protobufjs and async, a large part of the
 * Lambda's cold start, for the few streams whose producers aggregate. The literal `require` lets the
 * Lambda bundle include the library and run its code only when this is called. Every ESM output defines
 * a real `require` in a banner (scripts/bundle.ts, tsup.config.ts): without it esbuild's `__require`
 * shim, which is always a function, would throw "Dynamic require" here. Under tsx and vitest (plain
 * ESM sources, no `require`) a `createRequire` loads it from node_modules.
 */
function loadKinesisAgg(): KinesisAgg {
  kinesisAgg ??= (
    typeof require === 'function'
      ? require('aws-kinesis-agg')
      : createRequire(import.meta.url)('aws-kinesis-agg')
  ) as KinesisAgg;
  return kinesisAgg;
}

/** One user record taken out of a KPL aggregated record. */
export interface KplUserRecord {
  /** Position of the user record inside the aggregate (Kinesis sub-sequence number), from 0. */
  subSequenceNumber: number;
  /** Partition key the producer gave this user record. */
  partitionKey: string;
  /** The user record's payload. */
  data: Uint8Array;
}

/**
 * True when `bytes` starts with the KPL aggregation magic `F3 89 9A C2`.
 *
 * @param bytes - Kinesis record data.
 */
export function isKplAggregate(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0xf3 && bytes[1] === 0x89 && bytes[2] === 0x9a && bytes[3] === 0xc2
  );
}

/**
 * Splits a KPL aggregated record into its user records, verifying the MD5
 * checksum. Uses the maintained `aws-kinesis-agg` decoder rather than our own
 * protobuf framing.
 *
 * @param bytes - Kinesis record data starting with the KPL magic.
 * @param meta - Partition key and sequence number of the enclosing Kinesis record.
 * @returns The user records in order (sub-sequence numbers 0, 1, ...).
 * @throws {@link RecordError} `UNDECODABLE` when the framing, protobuf or checksum is invalid or the aggregate is empty.
 * @example
 * ```ts
 * for (const user of deaggregate(bytes, { partitionKey, sequenceNumber })) parse(user.data);
 * ```
 */
export function deaggregate(
  bytes: Uint8Array,
  meta: { partitionKey: string; sequenceNumber: string },
): KplUserRecord[] {
  let failure: unknown;
  let users: { partitionKey?: string; subSequenceNumber?: number; data: string }[] = [];
  // The library expects the Lambda event shape (base64 data) and may call back more than once
  // (once per failed user record, then once at the end); the first error wins.
  loadKinesisAgg().deaggregateSync(
    {
      approximateArrivalTimestamp: 0,
      kinesisSchemaVersion: '1.0',
      partitionKey: meta.partitionKey,
      sequenceNumber: meta.sequenceNumber,
      data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
    },
    true,
    (error, records) => {
      if (error) failure ??= error;
      else if (records) users = records;
    },
  );
  if (failure !== undefined) {
    throw new RecordError('UNDECODABLE', `invalid KPL aggregated record: ${(failure as Error).message}`, {
      cause: failure,
    });
  }
  if (users.length === 0) throw new RecordError('UNDECODABLE', 'KPL aggregated record holds no user records');
  return users.map((user, index) => ({
    subSequenceNumber: user.subSequenceNumber ?? index,
    partitionKey: user.partitionKey ?? meta.partitionKey,
    data: Buffer.from(user.data, 'base64'),
  }));
}
