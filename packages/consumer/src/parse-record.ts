import { isCodecError, validateSamples } from '@secondrow/codec';
import { DEFAULT_CONFIG } from './config.js';
import { gunzipBounded, isGzip } from './decompress.js';
import { RecordError } from './errors.js';
import { fromAvroBatch, isAvroBatch } from './formats/avro-batch.js';
import { isObject } from './formats/device-id.js';
import { fromJsonV1, isJsonV1 } from './formats/json-v1.js';
import { JsonV1Scanner } from './formats/json-v1-scan.js';
import { fromLegacy2015, isLegacy2015 } from './formats/legacy-2015.js';
import type { DecodedBatch, FormatLimits } from './formats/record-part.js';
import { deaggregate, isKplAggregate } from './kpl.js';
import { type PartSamples, packedSamplesValid, toSamples } from './packed-samples.js';

/** Options of {@link parseRecord}; defaults are those of the Lambda's configuration. */
export interface ParseOptions {
  /** Records holding more samples are rejected. Default 20 000. */
  maxSamplesPerRecord?: number;
  /** Largest user-record payload after decompression, bytes. Default 4 MiB. */
  maxRecordBytes?: number;
  /** Quantization step in g used to validate values. Default 0.001. */
  resolution?: number;
  /** Largest accepted magnitude in g. Default 16. */
  range?: number;
  /**
   * Reject (`IDENTITY_MISMATCH`) a user record whose device id is not its partition key (a KPL user
   * record's own key, else the Kinesis record's). Default false.
   */
  requirePartitionKeyMatch?: boolean;
}

/** Identity of the Kinesis record being parsed. */
export interface RecordMeta {
  /** Kinesis sequence number of the record. */
  sequenceNumber: string;
  /**
   * Kinesis partition key of the record (may be random; never used as the device id, only compared with it
   * under `requirePartitionKeyMatch`).
   */
  partitionKey?: string;
}

/** A user record that parsed and validated: its samples are ready to be packed. */
export interface AcceptedPart extends DecodedBatch {
  ok: true;
  /** Position inside a KPL aggregate; `undefined` for a plain record. */
  subSequenceNumber: number | undefined;
  /** True when the payload was gzip-compressed. */
  compressed: boolean;
}

/** A user record that is bad; it is quarantined with its raw bytes. */
export interface RejectedPart {
  ok: false;
  /** Position inside a KPL aggregate; `undefined` for a plain record or a bad aggregate as a whole. */
  subSequenceNumber: number | undefined;
  /** Why the record was rejected (`code`, message, offending `index`/`field`). */
  error: RecordError;
  /** The bytes as received (the user record's bytes when it came from an aggregate). */
  raw: Uint8Array;
}

/** One part of a Kinesis record: the record itself, or one user record of a KPL aggregate. */
export type RecordPart = AcceptedPart | RejectedPart;

/** Result of {@link parseRecord}: one part per user record, each accepted or rejected on its own. */
export interface ParsedRecord {
  /** Kinesis sequence number of the enclosing record (what a failure is reported with). */
  sequenceNumber: string;
  /** True when the record was a KPL aggregate. */
  aggregated: boolean;
  /** One entry for a plain record, one per user record for an aggregate. */
  parts: RecordPart[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Detects the format of one Kinesis record and parses and validates it.
 * Never throws for bad input: a bad record (or a bad user record inside a KPL
 * aggregate) becomes a {@link RejectedPart} so the rest of the batch goes on.
 *
 * Detection, per record: KPL magic `F3 89 9A C2` → split into user records;
 * gzip magic `1f 8b` → inflate (bounded by `maxRecordBytes`); then Avro batch
 * (codec fingerprint) or JSON object (v1 when it has `deviceId`/`samples`,
 * 2015 app when it has `userId`/`data`).
 *
 * @param data - The record's bytes (already base64-decoded).
 * @param meta - Sequence number and partition key of the record.
 * @param options - Limits; default to the Lambda's defaults.
 * @returns One part per user record.
 * @throws Only on programming errors (e.g. an invalid `resolution`), never for bad data.
 * @example
 * ```ts
 * const parsed = parseRecord(Buffer.from(record.kinesis.data, 'base64'), { sequenceNumber: record.kinesis.sequenceNumber });
 * for (const part of parsed.parts) if (part.ok) console.log(part.deviceId, part.samples.length);
 * ```
 */
export function parseRecord(data: Uint8Array, meta: RecordMeta, options: ParseOptions = {}): ParsedRecord {
  return parseAny(data, meta, resolveLimits(options), new JsonV1Scanner(), false) as ParsedRecord;
}

/** An accepted part whose samples may be packed (see {@link RecordParser}). */
export type PackedAcceptedPart = Omit<AcceptedPart, 'samples'> & { samples: PartSamples };

/** {@link ParsedRecord} with {@link PackedAcceptedPart}s. */
export interface PackedParsedRecord extends Omit<ParsedRecord, 'parts'> {
  parts: (PackedAcceptedPart | RejectedPart)[];
}

/**
 * Parses the records of one batch: {@link parseRecord} for the handler, with one JSON v1 scanner (and its
 * buffers) reused from record to record. The same parts, accepted and rejected alike, except that the
 * samples of plain JSON v1 records come packed in a `Float64Array` rather than as objects.
 */
export interface RecordParser {
  /** @throws Only on programming errors, as {@link parseRecord}. */
  parsePacked(data: Uint8Array, meta: RecordMeta): PackedParsedRecord;
}

/**
 * A {@link RecordParser} with its own scanner state, for one batch (or one handler) at a time.
 *
 * @param options - Limits; default to the Lambda's defaults.
 */
export function recordParser(options: ParseOptions = {}): RecordParser {
  const limits = resolveLimits(options);
  const scanner = new JsonV1Scanner();
  return { parsePacked: (data, meta) => parseAny(data, meta, limits, scanner, true) };
}

function resolveLimits(options: ParseOptions): Required<ParseOptions> {
  return {
    maxSamplesPerRecord: options.maxSamplesPerRecord ?? DEFAULT_CONFIG.maxSamplesPerRecord,
    maxRecordBytes: options.maxRecordBytes ?? DEFAULT_CONFIG.maxRecordBytes,
    resolution: options.resolution ?? DEFAULT_CONFIG.resolution,
    range: options.range ?? DEFAULT_CONFIG.range,
    requirePartitionKeyMatch: options.requirePartitionKeyMatch ?? false,
  };
}

function parseAny(
  data: Uint8Array,
  meta: RecordMeta,
  limits: Required<ParseOptions>,
  scanner: JsonV1Scanner,
  packed: boolean,
): PackedParsedRecord {
  let payload = data;
  let compressed = false;
  try {
    // A gzip-compressed aggregate is unwrapped first; nesting stops there (no gzip inside gzip).
    if (isGzip(payload)) {
      payload = gunzipBounded(payload, limits.maxRecordBytes);
      compressed = true;
    }
    if (isKplAggregate(payload)) {
      const users = deaggregate(payload, {
        partitionKey: meta.partitionKey ?? '',
        sequenceNumber: meta.sequenceNumber,
      });
      return {
        sequenceNumber: meta.sequenceNumber,
        aggregated: true,
        parts: users.map((user) =>
          checkIdentity(
            parsePart(user.data, user.subSequenceNumber, limits, scanner, false, packed),
            user.partitionKey,
            user.data,
            limits,
          ),
        ),
      };
    }
  } catch (error) {
    return {
      sequenceNumber: meta.sequenceNumber,
      aggregated: false,
      parts: [reject(error, data, undefined)],
    };
  }
  const part = checkIdentity(
    parsePart(payload, undefined, limits, scanner, compressed, packed),
    meta.partitionKey,
    data,
    limits,
  );
  // A rejected part keeps the bytes as received, not the inflated ones.
  if (!part.ok) part.raw = data;
  return { sequenceNumber: meta.sequenceNumber, aggregated: false, parts: [part] };
}

function parsePart(
  raw: Uint8Array,
  subSequenceNumber: number | undefined,
  limits: Required<ParseOptions>,
  scanner: JsonV1Scanner,
  alreadyInflated: boolean,
  packed: boolean,
): PackedAcceptedPart | RejectedPart {
  try {
    let payload = raw;
    let compressed = alreadyInflated;
    if (!alreadyInflated && isGzip(payload)) {
      payload = gunzipBounded(payload, limits.maxRecordBytes);
      compressed = true;
    }
    if (payload.length > limits.maxRecordBytes) {
      throw new RecordError(
        'TOO_LARGE',
        `record payload is ${payload.length} bytes, more than ${limits.maxRecordBytes}`,
      );
    }
    const batch = decodePayload(payload, limits, scanner, packed);
    checkSamples(batch.samples, limits);
    return { ok: true, subSequenceNumber, compressed, ...batch };
  } catch (error) {
    return reject(error, raw, subSequenceNumber);
  }
}

function decodePayload(
  payload: Uint8Array,
  limits: FormatLimits,
  scanner: JsonV1Scanner,
  packed: boolean,
): Omit<DecodedBatch, 'samples'> & { samples: PartSamples } {
  if (isAvroBatch(payload)) return fromAvroBatch(payload, limits);
  if (!startsWithBrace(payload)) {
    throw new RecordError(
      'UNKNOWN_FORMAT',
      'payload is neither JSON, an Avro producer batch, gzip nor a KPL aggregate',
    );
  }
  // Plain JSON v1 records (nearly all of them) are read straight from the bytes; the rest, and every
  // malformed record, take JSON.parse below, which decides and words the error.
  const scanned = packed ? scanner.scanPacked(payload, limits) : scanner.scan(payload, limits);
  if (scanned !== undefined) return scanned;
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(payload));
  } catch (error) {
    throw new RecordError('UNDECODABLE', `invalid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!isObject(value)) throw new RecordError('INVALID_SHAPE', 'JSON payload is not an object');
  if (isJsonV1(value)) return fromJsonV1(value, limits);
  if (isLegacy2015(value)) return fromLegacy2015(value, limits);
  throw new RecordError(
    'UNKNOWN_FORMAT',
    'JSON object is neither a v1 record (deviceId, samples) nor a 2015 app record (userId, data)',
  );
}

/** Under `requirePartitionKeyMatch`, rejects an accepted part whose device id is not `partitionKey`. */
function checkIdentity<P extends PackedAcceptedPart | RejectedPart>(
  part: P,
  partitionKey: string | undefined,
  raw: Uint8Array,
  limits: Required<ParseOptions>,
): P | RejectedPart {
  if (!part.ok || !limits.requirePartitionKeyMatch || part.deviceId === partitionKey) return part;
  const error = new RecordError(
    'IDENTITY_MISMATCH',
    `record names device ${JSON.stringify(part.deviceId)} but was written with partition key ` +
      `${JSON.stringify(partitionKey ?? null)} (the publisher's identity): a device may write only its own data`,
    { field: 'deviceId' },
  );
  return { ok: false, subSequenceNumber: part.subSequenceNumber, error, raw };
}

function startsWithBrace(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    // Skip JSON whitespace and a UTF-8 byte order mark.
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue;
    if (i === 0 && byte === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      i = 2;
      continue;
    }
    return byte === 0x7b;
  }
  return false;
}

function checkSamples(samples: PartSamples, limits: Required<ParseOptions>): void {
  try {
    if (Array.isArray(samples)) {
      validateSamples(samples, { resolution: limits.resolution, range: limits.range });
    } else {
      // Options are checked as for objects; a bad sample is found again on objects, for the codec's error.
      validateSamples([], { resolution: limits.resolution, range: limits.range });
      if (!packedSamplesValid(samples, limits.range)) {
        validateSamples(toSamples(samples), { resolution: limits.resolution, range: limits.range });
      }
    }
  } catch (error) {
    if (isCodecError(error) && (error.code === 'INVALID_SAMPLE' || error.code === 'OUT_OF_RANGE')) {
      const { index, field } = error as unknown as { index?: number; field?: string };
      throw new RecordError(error.code, error.message, {
        cause: error,
        ...(index === undefined ? {} : { index }),
        ...(field === undefined ? {} : { field }),
      });
    }
    throw error;
  }
}

function reject(error: unknown, raw: Uint8Array, subSequenceNumber: number | undefined): RejectedPart {
  // A bad option is our configuration's fault, not the record's: let it fail loudly.
  if (isCodecError(error) && error.code === 'INVALID_OPTION') throw error;
  if (error instanceof RecordError) return { ok: false, subSequenceNumber, error, raw };
  // Anything else from a decoder of untrusted bytes is still the record's fault, not the batch's.
  const wrapped = new RecordError(
    'UNDECODABLE',
    `record could not be decoded: ${(error as Error)?.message ?? String(error)}`,
    {
      cause: error,
    },
  );
  return { ok: false, subSequenceNumber, error: wrapped, raw };
}
