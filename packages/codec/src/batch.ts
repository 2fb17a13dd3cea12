import { SingleObjectType } from './avro.js';
import { DecodeError, InvalidOptionError } from './errors.js';
import { BATCH_SCHEMA } from './schema.js';
import type { Sample } from './types.js';
import { checkSample } from './validate-samples.js';

/** One producer batch: the samples a phone sends in one stream record. */
export interface Batch {
  /** Device id (e.g. a Cognito identity id). */
  deviceId: string;
  /** Producer-chosen id, unique per device; lets the consumer recognise a resent batch. */
  batchId: string;
  /** Send time, integer epoch milliseconds. */
  sentAt: number;
  /** Raw readings, any order; values travel as float32 (about 7 significant digits). */
  samples: Sample[];
}

interface BatchRecord {
  deviceId: string;
  batchId: string;
  sentAt: number;
  count: number;
  samples: Uint8Array;
}

const batchType = new SingleObjectType<BatchRecord>(BATCH_SCHEMA, ['samples']);
const FLOAT32_MAX = 3.4028234663852886e38;
/**
 * Largest `sentAt`, in epoch ms (2^52, about the year 144,683): avsc encodes an Avro `long` only while it
 * is exactly representable with room to spare, and rejects larger safe integers such as 2^53 − 1.
 */
export const MAX_SENT_AT = 2 ** 52;
/** Smallest encoded sample: a 1-byte time delta and three float32 values. */
const MIN_SAMPLE_BYTES = 13;

/**
 * Encodes a producer batch as Avro single-object bytes ({@link BATCH_SCHEMA}). `samples` is one
 * `bytes` field: per sample, the zigzag varint of `t` minus the previous `t` (the first from 0),
 * then x, y, z as float32 little-endian: about 14 bytes per sample.
 *
 * Every field is checked before anything is encoded, so only typed errors come out: never avsc's own.
 *
 * @throws {InvalidSampleError} naming the first invalid sample.
 * @throws {InvalidOptionError} for a bad `deviceId`, `batchId`, `sentAt` (not an integer in
 *   0..{@link MAX_SENT_AT}) or `samples` (not an array).
 * @example
 * kinesis.putRecord({ Data: encodeBatch({ deviceId, batchId: '42', sentAt: Date.now(), samples }) });
 */
export function encodeBatch(batch: Batch): Uint8Array {
  if (typeof batch.deviceId !== 'string' || batch.deviceId.length === 0) {
    throw new InvalidOptionError('deviceId', 'deviceId must be a non-empty string');
  }
  if (typeof batch.batchId !== 'string') throw new InvalidOptionError('batchId', 'batchId must be a string');
  if (!Number.isSafeInteger(batch.sentAt) || batch.sentAt < 0 || batch.sentAt > MAX_SENT_AT) {
    throw new InvalidOptionError(
      'sentAt',
      `sentAt must be an integer epoch-ms time in 0..2^52, got ${String(batch.sentAt)}`,
    );
  }
  if (!Array.isArray(batch.samples)) throw new InvalidOptionError('samples', 'samples must be an array');
  const samples = batch.samples;
  const n = samples.length;
  const out = new Uint8Array(n * 22);
  const view = new DataView(out.buffer);
  let pos = 0;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const s = samples[i] as Sample;
    checkSample(s, i, FLOAT32_MAX);
    const delta = s.t - prev;
    prev = s.t;
    // Zigzag varint with arithmetic, not bit operators: deltas may exceed 32 bits.
    let u = delta >= 0 ? delta * 2 : -delta * 2 - 1;
    while (u >= 0x80) {
      out[pos++] = (u % 0x80) | 0x80;
      u = Math.floor(u / 0x80);
    }
    out[pos++] = u;
    view.setFloat32(pos, s.x, true);
    view.setFloat32(pos + 4, s.y, true);
    view.setFloat32(pos + 8, s.z, true);
    pos += 12;
  }
  try {
    return batchType.encode({
      deviceId: batch.deviceId,
      batchId: batch.batchId,
      sentAt: batch.sentAt,
      count: n,
      samples: out.subarray(0, pos),
    });
  } catch (error) {
    // Unreachable with the checks above; kept so a future schema field can never leak avsc's plain Error.
    throw new InvalidOptionError('batch', `batch cannot be encoded: ${String(error)}`, { cause: error });
  }
}

function fail(message: string): never {
  throw new DecodeError('DECODE_FAILED', `batch: ${message}`);
}

/**
 * Decodes bytes written by {@link encodeBatch}. Values come back as the float32 nearest to what was sent.
 *
 * @throws {DecodeError} `DECODE_FAILED` for truncated, trailing, corrupted or foreign bytes;
 *   `UNKNOWN_SCHEMA` for an unknown fingerprint.
 * @example
 * if (isBatchBytes(data)) process(decodeBatch(data));
 */
export function decodeBatch(bytes: Uint8Array): Batch {
  const rec = batchType.decode(bytes, 'batch');
  const { count, samples: data } = rec;
  if (!Number.isSafeInteger(rec.sentAt) || rec.sentAt < 0) fail(`bad sentAt ${rec.sentAt}`);
  // The count is checked against the bytes present before anything is allocated.
  if (!Number.isInteger(count) || count < 0 || count * MIN_SAMPLE_BYTES > data.length)
    fail(`bad count ${count}`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const samples: Sample[] = new Array<Sample>(count);
  let pos = 0;
  let t = 0;
  for (let i = 0; i < count; i++) {
    let u = 0;
    let scale = 1;
    for (;;) {
      if (pos >= data.length || scale > 2 ** 56) fail(`bad time of sample ${i}`);
      const b = data[pos++] as number;
      u += (b & 0x7f) * scale;
      scale *= 0x80;
      if (b < 0x80) break;
    }
    t += u % 2 === 0 ? u / 2 : -(u + 1) / 2;
    if (!Number.isSafeInteger(t) || t < 0 || pos + 12 > data.length) fail(`bad sample ${i}`);
    const x = view.getFloat32(pos, true);
    const y = view.getFloat32(pos + 4, true);
    const z = view.getFloat32(pos + 8, true);
    pos += 12;
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z))
      fail(`non-finite value in sample ${i}`);
    samples[i] = { t, x, y, z };
  }
  if (pos !== data.length) fail('trailing bytes in samples');
  return { deviceId: rec.deviceId, batchId: rec.batchId, sentAt: rec.sentAt, samples };
}

/**
 * True when `bytes` start with the batch single-object header (`C3 01` + {@link BATCH_SCHEMA_FINGERPRINT}),
 * i.e. they are worth passing to {@link decodeBatch}.
 *
 * @example
 * isBatchBytes(new TextEncoder().encode('{"deviceId":...}')); // false
 */
export function isBatchBytes(bytes: Uint8Array): boolean {
  return bytes instanceof Uint8Array && batchType.matches(bytes);
}
