import type { Sample } from '@secondrow/codec';
import { PackedBlocks } from '../packed-samples.js';
import { checkDeviceId } from './device-id.js';
import type { DecodedBatch, FormatLimits } from './record-part.js';

/*
 * A single-pass reader of JSON v1 bytes that builds the samples directly, without decoding the bytes to
 * a string, building JSON.parse's arrays of arrays and copying them into sample objects (three times
 * the allocations, and most of the handler's CPU time went into collecting them).
 *
 * It only answers when it is sure to give what `JSON.parse` + `fromJsonV1` would: a pure-ASCII record
 * in the expected shape. On anything else (invalid JSON, escapes in the fields it reads, a sample that
 * is not four numbers, duplicate keys, too many samples, ...) it returns `undefined` and the caller
 * takes the general path, which produces the error and its message. So the fast path changes speed,
 * never results. Numbers are converted exactly as `JSON.parse` does (correctly rounded).
 */

/** Powers of ten that are exact doubles (10^0 .. 10^22). */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** Nesting depth beyond which skipped values go to the general path. */
const MAX_SKIP_DEPTH = 64;
/** Longest string the scanner builds itself (device id, batch id, keys). */
const MAX_SCANNED_STRING = 1024;
/** Longest number text the scanner converts; longer ones go to the general path. */
const MAX_NUMBER_TEXT = 64;

const BAIL = Symbol('bail');

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

function isHex(c: number | undefined): boolean {
  return (
    c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66))
  );
}

const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];

/** A JSON v1 record whose samples are in `values` (the first `count` × 4). */
interface ScannedHeader {
  deviceId: string;
  batchId: string | undefined;
  sentAt: number | undefined;
  count: number;
}

/**
 * A reader of JSON v1 record bytes (see the comment at the top of this module). It holds the state of the
 * record being scanned and a buffer of sample values reused from record to record: make one per batch
 * (or per parser) and scan one record at a time, synchronously.
 */
export class JsonV1Scanner {
  private buf: Uint8Array = new Uint8Array(0);
  private pos = 0;
  // Values of the record being scanned, [t0, x0, y0, z0, t1, ...]; grown as needed and reused.
  private values = new Float64Array(4 * 256);
  private readonly blocks: PackedBlocks;

  /** @param blocks - Where packed samples are copied to; default a fresh {@link PackedBlocks}. */
  constructor(blocks: PackedBlocks = new PackedBlocks()) {
    this.blocks = blocks;
  }

  /** Skips JSON whitespace; returns the next byte (undefined at the end). */
  private skipWs(): number | undefined {
    let c = this.buf[this.pos];
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = this.buf[++this.pos];
    return c;
  }

  /**
   * Reads a JSON number at `pos`; NaN (which no JSON number yields) when the text is not a valid one.
   * With at most 15 significant digits and no exponent, `digits / 10^k` divides two exact doubles, so
   * IEEE division rounds it correctly: the same double `JSON.parse` returns. Other numbers use `Number`.
   */
  private readNumber(): number {
    const start = this.pos;
    let c = this.buf[this.pos];
    const negative = c === 0x2d;
    if (negative) c = this.buf[++this.pos];
    let mantissa = 0;
    let digits = 0;
    if (c === 0x30) {
      c = this.buf[++this.pos];
      // JSON forbids leading zeros.
      if (isDigit(c)) return Number.NaN;
    } else if (isDigit(c)) {
      do {
        mantissa = mantissa * 10 + ((c as number) - 0x30);
        digits++;
        c = this.buf[++this.pos];
      } while (isDigit(c));
    } else {
      return Number.NaN;
    }
    let fraction = 0;
    if (c === 0x2e) {
      c = this.buf[++this.pos];
      if (!isDigit(c)) return Number.NaN;
      do {
        mantissa = mantissa * 10 + ((c as number) - 0x30);
        digits++;
        fraction++;
        c = this.buf[++this.pos];
      } while (isDigit(c));
    }
    let exponent = false;
    if (c === 0x65 || c === 0x45) {
      exponent = true;
      c = this.buf[++this.pos];
      if (c === 0x2b || c === 0x2d) c = this.buf[++this.pos];
      if (!isDigit(c)) return Number.NaN;
      do c = this.buf[++this.pos];
      while (isDigit(c));
    }
    if (exponent || digits > 15) {
      if (this.pos - start > MAX_NUMBER_TEXT) return Number.NaN;
      return Number(
        String.fromCharCode.apply(null, this.buf.subarray(start, this.pos) as unknown as number[]),
      );
    }
    const value = fraction === 0 ? mantissa : mantissa / (POW10[fraction] as number);
    return negative ? -value : value;
  }

  /** Reads a plain ASCII string at `pos` (no escapes); BAIL otherwise. */
  private readString(): string | typeof BAIL {
    if (this.buf[this.pos] !== 0x22) return BAIL;
    const start = ++this.pos;
    for (;;) {
      const c = this.buf[this.pos];
      if (c === undefined || c === 0x5c || c < 0x20 || c >= 0x80) return BAIL;
      if (c === 0x22) break;
      this.pos++;
    }
    const end = this.pos++;
    if (end - start > MAX_SCANNED_STRING) return BAIL;
    return String.fromCharCode.apply(null, this.buf.subarray(start, end) as unknown as number[]);
  }

  /** Skips a JSON string with valid escapes (ASCII only); false when it is not one. */
  private skipString(): boolean {
    if (this.buf[this.pos] !== 0x22) return false;
    this.pos++;
    for (;;) {
      const c = this.buf[this.pos];
      if (c === undefined || c < 0x20 || c >= 0x80) return false;
      this.pos++;
      if (c === 0x22) return true;
      if (c === 0x5c) {
        const e = this.buf[this.pos++];
        if (e === 0x75) {
          if (
            !(
              isHex(this.buf[this.pos]) &&
              isHex(this.buf[this.pos + 1]) &&
              isHex(this.buf[this.pos + 2]) &&
              isHex(this.buf[this.pos + 3])
            )
          )
            return false;
          this.pos += 4;
        } else if (
          e !== 0x22 &&
          e !== 0x5c &&
          e !== 0x2f &&
          e !== 0x62 &&
          e !== 0x66 &&
          e !== 0x6e &&
          e !== 0x72 &&
          e !== 0x74
        ) {
          return false;
        }
      }
    }
  }

  private skipLiteral(text: readonly number[]): boolean {
    for (let i = 0; i < text.length; i++) if (this.buf[this.pos + i] !== text[i]) return false;
    this.pos += text.length;
    return true;
  }
  /** Skips any JSON value at `pos` (whitespace already skipped); false when it is not valid JSON. */
  private skipValue(depth: number): boolean {
    if (depth > MAX_SKIP_DEPTH) return false;
    const c = this.buf[this.pos];
    if (c === 0x22) return this.skipString();
    if (c === 0x74) return this.skipLiteral(TRUE);
    if (c === 0x66) return this.skipLiteral(FALSE);
    if (c === 0x6e) return this.skipLiteral(NULL);
    if (c === 0x5b) {
      this.pos++;
      if (this.skipWs() === 0x5d) {
        this.pos++;
        return true;
      }
      for (;;) {
        if (!this.skipValue(depth + 1)) return false;
        const next = this.skipWs();
        this.pos++;
        if (next === 0x5d) return true;
        if (next !== 0x2c) return false;
        this.skipWs();
      }
    }
    if (c === 0x7b) {
      this.pos++;
      if (this.skipWs() === 0x7d) {
        this.pos++;
        return true;
      }
      for (;;) {
        if (!this.skipString() || this.skipWs() !== 0x3a) return false;
        this.pos++;
        this.skipWs();
        if (!this.skipValue(depth + 1)) return false;
        const next = this.skipWs();
        this.pos++;
        if (next === 0x7d) return true;
        if (next !== 0x2c) return false;
        this.skipWs();
      }
    }
    return !Number.isNaN(this.readNumber());
  }

  /** Reads `[[t, x, y, z], ...]` at `pos` into `values`; the sample count, or -1 on any other shape or beyond `max` samples. */
  private readSamples(max: number): number {
    if (this.buf[this.pos] !== 0x5b) return -1;
    this.pos++;
    let count = 0;
    let c = this.skipWs();
    if (c === 0x5d) {
      this.pos++;
      return 0;
    }
    for (;;) {
      if (c !== 0x5b) return -1;
      this.pos++;
      this.skipWs();
      const t = this.readNumber();
      if (this.skipWs() !== 0x2c) return -1;
      this.pos++;
      this.skipWs();
      const x = this.readNumber();
      if (this.skipWs() !== 0x2c) return -1;
      this.pos++;
      this.skipWs();
      const y = this.readNumber();
      if (this.skipWs() !== 0x2c) return -1;
      this.pos++;
      this.skipWs();
      const z = this.readNumber();
      if (this.skipWs() !== 0x5d) return -1;
      this.pos++;
      // One test catches a malformed number in any of the four (NaN only comes from bad text).
      if (Number.isNaN(t + x + y + z) || count === max) return -1;
      const at = count * 4;
      if (at + 4 > this.values.length) {
        const grown = new Float64Array(this.values.length * 2);
        grown.set(this.values);
        this.values = grown;
      }
      this.values[at] = t;
      this.values[at + 1] = x;
      this.values[at + 2] = y;
      this.values[at + 3] = z;
      count++;
      c = this.skipWs();
      this.pos++;
      if (c === 0x5d) return count;
      if (c !== 0x2c) return -1;
      c = this.skipWs();
    }
  }

  /**
   * Reads a JSON v1 record straight from its bytes when it is plain (see the module comment).
   *
   * @param bytes - The record payload (starting with `{`).
   * @param limits - Sample count limit (a record beyond it goes to the general path, which rejects it).
   * @returns The batch, or `undefined` when the general `JSON.parse` path must decide.
   * @throws {@link RecordError} `NO_DEVICE_ID` exactly as `fromJsonV1` would for the same record.
   * @example
   * ```ts
   * const batch = new JsonV1Scanner().scan(bytes, limits) ?? fromJsonV1(JSON.parse(text), limits);
   * ```
   */
  scan(bytes: Uint8Array, limits: FormatLimits): DecodedBatch | undefined {
    const header = this.header(bytes, limits);
    if (header === undefined) return undefined;
    const samples: Sample[] = [];
    for (let i = 0; i < header.count * 4; i += 4) {
      samples.push({
        t: this.values[i] as number,
        x: this.values[i + 1] as number,
        y: this.values[i + 2] as number,
        z: this.values[i + 3] as number,
      });
    }
    return {
      format: 'json-v1',
      deviceId: header.deviceId,
      batchId: header.batchId,
      sentAt: header.sentAt,
      samples,
    };
  }

  /**
   * As {@link JsonV1Scanner.scan}, with the samples packed as `[t0, x0, y0, z0, t1, ...]` (32 bytes a sample
   * instead of about 120 for objects): the form the handler keeps until it writes.
   */
  scanPacked(
    bytes: Uint8Array,
    limits: FormatLimits,
  ): (Omit<DecodedBatch, 'samples'> & { samples: Float64Array }) | undefined {
    const header = this.header(bytes, limits);
    if (header === undefined) return undefined;
    return {
      format: 'json-v1',
      deviceId: header.deviceId,
      batchId: header.batchId,
      sentAt: header.sentAt,
      samples: this.blocks.copy(this.values, header.count * 4),
    };
  }

  private header(bytes: Uint8Array, limits: FormatLimits): ScannedHeader | undefined {
    this.buf = bytes;
    this.pos = 0;
    try {
      return this.scanRecord(limits);
    } finally {
      // Do not keep the record's bytes alive between records.
      this.buf = new Uint8Array(0);
    }
  }

  private scanRecord(limits: FormatLimits): ScannedHeader | undefined {
    if (this.skipWs() !== 0x7b) return undefined;
    this.pos++;
    let deviceId: string | undefined;
    let batchId: string | number | undefined;
    let sentAt: number | undefined;
    let count = -1;
    let instrumentation = false;
    let c = this.skipWs();
    if (c === 0x7d) return undefined;
    for (;;) {
      const key = this.readString();
      if (key === BAIL || this.skipWs() !== 0x3a) return undefined;
      this.pos++;
      c = this.skipWs();
      switch (key) {
        case 'deviceId': {
          const value = deviceId === undefined ? this.readString() : BAIL;
          if (value === BAIL) return undefined;
          deviceId = value;
          break;
        }
        case 'batchId': {
          if (batchId !== undefined) return undefined;
          if (c === 0x22) {
            const value = this.readString();
            if (value === BAIL) return undefined;
            batchId = value;
          } else {
            const value = this.readNumber();
            if (!Number.isFinite(value)) return undefined;
            batchId = value;
          }
          break;
        }
        case 'sentAt': {
          if (sentAt !== undefined) return undefined;
          const value = this.readNumber();
          if (!Number.isFinite(value)) return undefined;
          sentAt = value;
          break;
        }
        case 'samples': {
          if (count !== -1) return undefined;
          count = this.readSamples(limits.maxSamplesPerRecord);
          if (count === -1) return undefined;
          break;
        }
        case 'instrumentation':
          // The general path only checks that it is an object; JSON.parse keeps the last of repeated keys.
          if (instrumentation || c !== 0x7b || !this.skipValue(0)) return undefined;
          instrumentation = true;
          break;
        default:
          // JSON.parse drops `__proto__` keys' values onto the prototype; leave odd keys to it.
          if (key === '__proto__' || !this.skipValue(0)) return undefined;
      }
      c = this.skipWs();
      this.pos++;
      if (c === 0x7d) break;
      if (c !== 0x2c) return undefined;
      this.skipWs();
    }
    if (this.skipWs() !== undefined || count === -1 || deviceId === undefined) return undefined;
    return {
      deviceId: checkDeviceId(deviceId, 'deviceId'),
      batchId: batchId === undefined ? undefined : String(batchId),
      sentAt,
      count,
    };
  }
}
