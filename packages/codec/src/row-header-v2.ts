import type { BitWriter } from './bits.js';
import { DecodeError } from './errors.js';

/*
 * The byte header of row format v2 (FORMAT.md §1.1, §1.3): one byte holding the schema id (top three bits)
 * and five flags, the window start, then varints, with the common values (1 s window, 1 mg, no duplicates
 * or conflicts) left out behind the flags.
 */

/** Schema id of row format v2, in the top three bits of a row's first byte. */
export const ROW_V2_ID = 5;
/** First byte of a v2 row without flags: `101` then five flag bits (v1 rows start with C3). */
export const ROW_V2_TAG = ROW_V2_ID << 5;
/** Flag: `windowSeconds` follows (absent: 1). */
export const FLAG_WINDOW = 0x01;
/** Flag: `resolutionMicroG` follows (absent: 1000). */
export const FLAG_RESOLUTION = 0x02;
/** Flag: `duplicates` follows (absent: 0). */
export const FLAG_DUPLICATES = 0x04;
/** Flag: `conflicts` follows (absent: 0). */
export const FLAG_CONFLICTS = 0x08;
/** Flag: `startSeconds` is a varint (absent: 4 bytes, big-endian, below 2^32). */
export const FLAG_WIDE_START = 0x10;
const KNOWN_FLAGS = 0x1f;
const DEFAULT_WINDOW = 1;
const DEFAULT_RESOLUTION_MICRO_G = 1000;

/** The fields of a v2 row header. */
export interface RowHeaderV2 {
  startSeconds: number;
  windowSeconds: number;
  resolutionMicroG: number;
  count: number;
  duplicates: number;
  conflicts: number;
  periodMs: number;
}

/** A header with the defaults of a 1 s, 1 mg row and no samples, for a reader or writer to fill in place. */
export function emptyHeaderV2(): RowHeaderV2 {
  return {
    startSeconds: 0,
    windowSeconds: 1,
    resolutionMicroG: 1000,
    count: 0,
    duplicates: 0,
    conflicts: 0,
    periodMs: 0,
  };
}

function writeVarint(w: BitWriter, value: number): void {
  let v = value;
  while (v >= 0x80) {
    w.write((v % 0x80) | 0x80, 8);
    v = Math.floor(v / 0x80);
  }
  w.write(v, 8);
}

/** Writes the header (byte aligned, at the start of `w`). */
export function writeHeaderV2(w: BitWriter, h: RowHeaderV2): void {
  let flags = 0;
  if (h.windowSeconds !== DEFAULT_WINDOW) flags |= FLAG_WINDOW;
  if (h.resolutionMicroG !== DEFAULT_RESOLUTION_MICRO_G) flags |= FLAG_RESOLUTION;
  if (h.duplicates !== 0) flags |= FLAG_DUPLICATES;
  if (h.conflicts !== 0) flags |= FLAG_CONFLICTS;
  if (h.startSeconds >= 2 ** 32) flags |= FLAG_WIDE_START;
  w.write(ROW_V2_TAG | flags, 8);
  if (flags & FLAG_WIDE_START) {
    writeVarint(w, h.startSeconds);
  } else {
    w.write(h.startSeconds >>> 16, 16);
    w.write(h.startSeconds & 0xffff, 16);
  }
  if (flags & FLAG_WINDOW) writeVarint(w, h.windowSeconds);
  if (flags & FLAG_RESOLUTION) writeVarint(w, h.resolutionMicroG);
  writeVarint(w, h.count);
  if (flags & FLAG_DUPLICATES) writeVarint(w, h.duplicates);
  if (flags & FLAG_CONFLICTS) writeVarint(w, h.conflicts);
  if (h.count >= 2) writeVarint(w, h.periodMs);
}

function fail(message: string): never {
  throw new DecodeError('DECODE_FAILED', `row: ${message}`);
}

/**
 * Reads v2 headers. Holds its read position between the varints of one header, so the fields are read
 * without a closure or an object per row; one reader is not reentrant.
 */
export class HeaderReaderV2 {
  private bytes: Uint8Array = new Uint8Array(0);
  private pos = 0;

  /**
   * Reads the header of `bytes` (whose first byte holds {@link ROW_V2_ID}) into `out`.
   *
   * @returns the offset of the bit stream (the first byte after the header).
   * @throws {DecodeError} `DECODE_FAILED` for a truncated header or a varint longer than 7 bytes; field
   *   values are checked by the caller.
   */
  read(bytes: Uint8Array, out: RowHeaderV2): number {
    if (bytes.length < 5) fail('truncated header');
    const flags = (bytes[0] as number) & KNOWN_FLAGS;
    this.bytes = bytes;
    if (flags & FLAG_WIDE_START) {
      this.pos = 1;
      out.startSeconds = this.varint('startSeconds');
    } else {
      out.startSeconds =
        (bytes[1] as number) * 0x1000000 +
        (((bytes[2] as number) << 16) | ((bytes[3] as number) << 8) | (bytes[4] as number));
      this.pos = 5;
    }
    out.windowSeconds = flags & FLAG_WINDOW ? this.varint('windowSeconds') : DEFAULT_WINDOW;
    out.resolutionMicroG =
      flags & FLAG_RESOLUTION ? this.varint('resolutionMicroG') : DEFAULT_RESOLUTION_MICRO_G;
    out.count = this.varint('count');
    out.duplicates = flags & FLAG_DUPLICATES ? this.varint('duplicates') : 0;
    out.conflicts = flags & FLAG_CONFLICTS ? this.varint('conflicts') : 0;
    out.periodMs = out.count >= 2 ? this.varint('periodMs') : 0;
    return this.pos;
  }

  /** An unsigned LEB128 varint of at most 7 bytes (49 bits): every field's valid range fits; longer is corrupt. */
  private varint(name: string): number {
    const bytes = this.bytes;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 7; i++) {
      if (this.pos >= bytes.length) fail(`truncated ${name}`);
      const b = bytes[this.pos++] as number;
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 0x80;
    }
    return fail(`${name} varint too long`);
  }
}
