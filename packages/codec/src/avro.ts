import avsc from 'avsc';
import { DecodeError } from './errors.js';
import { crc64Avro, fingerprintBytes, fingerprintHex } from './fingerprint.js';

/*
 * The only module that touches avsc and Node's Buffer: avsc 5.7 reads and writes `Buffer`, the
 * public API speaks `Uint8Array`. An avsc upgrade changes this file alone.
 */

/** First two bytes of every Avro single-object encoding. */
export const SINGLE_OBJECT_MARKER = [0xc3, 0x01] as const;
/** Marker (2 bytes) + CRC-64-AVRO fingerprint (8 bytes). */
export const SINGLE_OBJECT_HEADER_BYTES = 10;

/** Parsing Canonical Form of an Avro schema (avsc's `schema()` without attributes is exactly that). */
export function canonicalForm(schema: unknown): string {
  return JSON.stringify(avsc.Type.forSchema(schema as avsc.Schema).schema());
}

/** CRC-64-AVRO fingerprint of `schema`'s canonical form, as 16 hex digits (most significant first). */
export function schemaFingerprint(schema: unknown): string {
  return fingerprintHex(crc64Avro(canonicalForm(schema)));
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

interface Reader {
  readonly type: avsc.Type;
  readonly resolver: avsc.Resolver | undefined;
}

/**
 * Encodes and decodes one Avro record type with single-object encoding, and reads records written
 * by older (registered) schema versions through avsc resolvers.
 *
 * Record fields listed in `bytesFields` are `Uint8Array` on our side and `Buffer` on avsc's; the
 * conversion is a view, never a copy.
 */
export class SingleObjectType<T extends object> {
  /** Fingerprint of the reader (current) schema, 16 hex digits. */
  readonly fingerprint: string;
  private readonly type: avsc.Type;
  private readonly header: Uint8Array;
  private readonly readers = new Map<string, Reader>();
  private readonly bytesFields: readonly string[];
  private scratch = Buffer.alloc(4096);
  /** The scratch memory seen as a plain Uint8Array, so results are copied out without a Buffer wrapper. */
  private scratchView = new Uint8Array(this.scratch.buffer, this.scratch.byteOffset, this.scratch.length);

  constructor(schema: unknown, bytesFields: readonly string[]) {
    this.type = avsc.Type.forSchema(schema as avsc.Schema);
    const fp = crc64Avro(JSON.stringify(this.type.schema()));
    this.fingerprint = fingerprintHex(fp);
    this.header = new Uint8Array(SINGLE_OBJECT_HEADER_BYTES);
    this.header.set(SINGLE_OBJECT_MARKER, 0);
    this.header.set(fingerprintBytes(fp), 2);
    this.readers.set(this.fingerprint, { type: this.type, resolver: undefined });
    this.bytesFields = bytesFields;
    this.scratch.set(this.header, 0);
  }

  /**
   * Lets this reader decode records written with an older (or other compatible) schema.
   *
   * @throws {Error} when avsc cannot resolve the writer schema to the reader schema (a programming error).
   * @returns the writer schema's fingerprint.
   */
  registerWriterSchema(writerSchema: unknown): string {
    const writer = avsc.Type.forSchema(writerSchema as avsc.Schema);
    const fp = fingerprintHex(crc64Avro(JSON.stringify(writer.schema())));
    if (!this.readers.has(fp)) {
      this.readers.set(fp, { type: writer, resolver: this.type.createResolver(writer) });
    }
    return fp;
  }

  /** The 10-byte header this type writes. */
  headerBytes(): Uint8Array {
    return this.header.slice();
  }

  /** True when `bytes` start with this type's single-object header. */
  matches(bytes: Uint8Array): boolean {
    if (bytes.length < SINGLE_OBJECT_HEADER_BYTES) return false;
    for (let i = 0; i < SINGLE_OBJECT_HEADER_BYTES; i++) if (bytes[i] !== this.header[i]) return false;
    return true;
  }

  /**
   * Single-object encoding of `value`. Replaces the `bytesFields` of `value` by Buffer views.
   *
   * @throws {Error} when `value` does not match the schema (callers validate first).
   */
  encode(value: T): Uint8Array {
    const record = value as Record<string, unknown>;
    for (const field of this.bytesFields) record[field] = toBuffer(record[field] as Uint8Array);
    let end = this.type.encode(value, this.scratch, SINGLE_OBJECT_HEADER_BYTES);
    if (end < 0) {
      // avsc returns minus the missing byte count; grow once and retry.
      const grown = Buffer.alloc(Math.max(this.scratch.length * 2, this.scratch.length - end));
      grown.set(this.header, 0);
      this.scratch = grown;
      this.scratchView = new Uint8Array(grown.buffer, grown.byteOffset, grown.length);
      end = this.type.encode(value, this.scratch, SINGLE_OBJECT_HEADER_BYTES);
    }
    return this.scratchView.slice(0, end);
  }

  /**
   * Decodes single-object bytes written with the current or a registered schema. `bytesFields`
   * come back as `Uint8Array` views into `bytes`.
   *
   * @throws {DecodeError} `DECODE_FAILED` for a missing marker or malformed body, `UNKNOWN_SCHEMA`
   *   for an unregistered fingerprint; avsc's own error is kept in `cause`.
   */
  decode(bytes: Uint8Array, what: string): T {
    if (!(bytes instanceof Uint8Array)) {
      throw new DecodeError('DECODE_FAILED', `${what}: expected a Uint8Array`);
    }
    if (
      bytes.length < SINGLE_OBJECT_HEADER_BYTES ||
      bytes[0] !== SINGLE_OBJECT_MARKER[0] ||
      bytes[1] !== SINGLE_OBJECT_MARKER[1]
    ) {
      throw new DecodeError('DECODE_FAILED', `${what}: not Avro single-object bytes (no C3 01 header)`);
    }
    let resolver: avsc.Resolver | undefined;
    // Fast path: the current schema; otherwise look the fingerprint up among registered writers.
    if (!this.matches(bytes)) {
      let fp = '';
      for (let i = SINGLE_OBJECT_HEADER_BYTES - 1; i >= 2; i--)
        fp += (bytes[i] as number).toString(16).padStart(2, '0');
      const reader = this.readers.get(fp);
      if (reader === undefined) {
        throw new DecodeError('UNKNOWN_SCHEMA', `${what}: written with unknown schema fingerprint ${fp}`);
      }
      resolver = reader.resolver;
    }
    let value: Record<string, unknown>;
    let end: number;
    const buf = toBuffer(bytes);
    try {
      const result = this.type.decode(buf, SINGLE_OBJECT_HEADER_BYTES, resolver);
      value = result.value;
      end = result.offset;
    } catch (cause) {
      throw new DecodeError('DECODE_FAILED', `${what}: malformed Avro body`, { cause });
    }
    // avsc reports a truncated body as offset -1; anything short of the end is trailing data.
    if (end < 0) throw new DecodeError('DECODE_FAILED', `${what}: truncated Avro body`);
    if (end !== buf.length)
      throw new DecodeError('DECODE_FAILED', `${what}: trailing bytes after the Avro body`);
    for (const field of this.bytesFields) {
      const b = value[field] as Buffer;
      value[field] = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    }
    return value as T;
  }
}
