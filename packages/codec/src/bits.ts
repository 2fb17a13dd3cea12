/*
 * MSB-first bit writer and reader for the row bit stream: the first bit of the stream is the most
 * significant bit of byte 0. Both are reused objects on 32-bit integers, so hot loops allocate nothing.
 */

/** Appends bits, most significant first, to a growable byte buffer. */
export class BitWriter {
  buf: Uint8Array;
  pos = 0;
  private acc = 0;
  private nacc = 0;

  /**
   * Writes `u[from..to)` as Rice codes with parameter k (0 ≤ k ≤ 26): per value, q = u >> k ones, a zero
   * and the k low bits; for q ≥ `escapeAt` (or a code longer than 24 bits) what `writeEscaped` writes.
   * The common short codes are written with the accumulator in local variables: the encoder's hot loop.
   */
  writeRiceRun(
    u: Int32Array,
    from: number,
    to: number,
    k: number,
    escapeAt: number,
    writeEscaped: (w: BitWriter, u: number, k: number) => void,
  ): void {
    const buf = this.buf;
    const mask = (1 << k) - 1;
    let acc = this.acc;
    let nacc = this.nacc;
    let pos = this.pos;
    for (let i = from; i < to; i++) {
      const v = u[i] as number;
      const q = v >>> k;
      const len = q + 1 + k;
      if (q < escapeAt && len <= 16) {
        // Up to 15 pending bits plus at most 16 fit in 32. Bits of acc above the pending ones are stale
        // but harmless: the shifts push them out and each store keeps only the byte it is given.
        acc = (acc << len) | (((1 << q) - 1) << (k + 1)) | (v & mask);
        nacc += len;
        if (nacc >= 16) {
          // Two bytes at a time: about every two or three codes.
          nacc -= 16;
          const word = acc >>> nacc;
          buf[pos] = word >>> 8;
          buf[pos + 1] = word;
          pos += 2;
        }
      } else {
        if (nacc >= 8) {
          nacc -= 8;
          buf[pos++] = acc >>> nacc;
        }
        acc &= (1 << nacc) - 1;
        this.acc = acc;
        this.nacc = nacc;
        this.pos = pos;
        writeEscaped(this, v, k);
        acc = this.acc;
        nacc = this.nacc;
        pos = this.pos;
      }
    }
    // The other writers expect fewer than 8 pending bits, and no stale ones.
    if (nacc >= 8) {
      nacc -= 8;
      buf[pos++] = acc >>> nacc;
    }
    this.acc = acc & ((1 << nacc) - 1);
    this.nacc = nacc;
    this.pos = pos;
  }

  constructor(capacity = 1024) {
    this.buf = new Uint8Array(capacity);
  }

  /** Empties the writer and makes room for at least `bytes` bytes. */
  reset(bytes: number): void {
    if (this.buf.length < bytes) this.buf = new Uint8Array(Math.max(bytes, this.buf.length * 2));
    this.pos = 0;
    this.acc = 0;
    this.nacc = 0;
  }

  /**
   * Empties the writer to write after the bytes written so far, which stay untouched: when fewer than
   * `bytes` bytes are left, the writer moves to a fresh buffer of at least `slabBytes` bytes. Many outputs
   * then share one buffer, each a subarray from the offset returned here to {@link BitWriter.finish}'s.
   *
   * @returns the byte offset in `buf` where this output starts.
   */
  resetAfter(bytes: number, slabBytes: number): number {
    if (this.buf.length - this.pos < bytes) {
      this.buf = new Uint8Array(Math.max(bytes, slabBytes));
      this.pos = 0;
    }
    this.acc = 0;
    this.nacc = 0;
    return this.pos;
  }

  /** Writes the low `n` bits of `value` (0 ≤ n ≤ 24, 0 ≤ value < 2^n). */
  write(value: number, n: number): void {
    // nacc < 8 on entry, so acc stays below 2^31 and int arithmetic is exact.
    this.acc = (this.acc << n) | value;
    this.nacc += n;
    while (this.nacc >= 8) {
      this.nacc -= 8;
      this.buf[this.pos++] = this.acc >>> this.nacc;
    }
    this.acc &= (1 << this.nacc) - 1;
  }

  /** Writes the low `n` bits of `value` for n up to 48. */
  writeWide(value: number, n: number): void {
    if (n > 24) {
      this.write(Math.floor(value / 0x1000000), n - 24);
      this.write(value % 0x1000000, 24);
    } else {
      this.write(value, n);
    }
  }

  /** Writes `count` one bits. */
  writeOnes(count: number): void {
    while (count > 24) {
      this.write(0xffffff, 24);
      count -= 24;
    }
    this.write((1 << count) - 1, count);
  }

  /** Pads the last byte with zero bits and returns the end of the output (bytes written since `reset`). */
  finish(): number {
    if (this.nacc > 0) this.write(0, 8 - this.nacc);
    return this.pos;
  }
}

/**
 * Reads bits, most significant first, straight from the input bytes (no copy). Reads past the end yield
 * zero bits instead of throwing, which keeps the hot path free of errors; every loop of the decoder is
 * bounded, and {@link BitReader.atCleanEnd} rejects such a stream once decoding ends.
 */
export class BitReader {
  private buf: Uint8Array = new Uint8Array(0);
  private bitPos = 0;
  private bitEnd = 0;
  /** Bytes from which a 5-byte read would pass the end: the slow, zero-filling path starts there. */
  private fastEnd = 0;

  /** Starts reading `data` from its byte `offset` (default 0) to its end. */
  reset(data: Uint8Array, offset = 0): void {
    this.buf = data;
    this.bitPos = offset * 8;
    this.bitEnd = data.length * 8;
    this.fastEnd = data.length - 4;
  }

  /** Byte `i` of the input, 0 past its end. */
  private byteAt(i: number): number {
    return i < this.buf.length ? (this.buf[i] as number) : 0;
  }

  /** Bytes `i` to `i + 3` of the input as a big-endian int32, zero bytes past its end. */
  private word(i: number): number {
    return (
      (this.byteAt(i) << 24) | (this.byteAt(i + 1) << 16) | (this.byteAt(i + 2) << 8) | this.byteAt(i + 3)
    );
  }

  /** The next 32 bits without consuming them (as an int32); bits past the end read as zero. */
  private peek32(): number {
    const i = this.bitPos >>> 3;
    const s = this.bitPos & 7;
    const b = this.buf;
    if (i < this.fastEnd) {
      const word =
        ((b[i] as number) << 24) |
        ((b[i + 1] as number) << 16) |
        ((b[i + 2] as number) << 8) |
        (b[i + 3] as number);
      return s === 0 ? word : (word << s) | ((b[i + 4] as number) >>> (8 - s));
    }
    return this.peekTail(i, s);
  }

  private peekTail(i: number, s: number): number {
    const b = this.buf;
    const n = b.length;
    let word = 0;
    for (let j = i; j < i + 4; j++) word = (word << 8) | (j < n ? (b[j] as number) : 0);
    return s === 0 ? word : (word << s) | ((i + 4 < n ? (b[i + 4] as number) : 0) >>> (8 - s));
  }

  /** Reads `n` bits (0 ≤ n ≤ 32) as an unsigned integer. */
  read(n: number): number {
    if (n === 0) return 0;
    const v = this.peek32() >>> (32 - n);
    this.bitPos += n;
    // Past the end only zeros remain; stop advancing so positions stay small.
    if (this.bitPos > this.bitEnd + 64) this.bitPos = this.bitEnd + 64;
    return v;
  }

  /**
   * Reads one Rice code with parameter k (0 ≤ k ≤ 26): a unary quotient q < `escapeAt` closed by a
   * zero, then k bits; returns q · 2^k + low bits. Returns -1, consuming `escapeAt` one bits, when the
   * quotient is escaped. One 32-bit peek serves the common case.
   */
  readRice(k: number, escapeAt: number): number {
    const word = this.peek32();
    const q = Math.clz32(~word);
    if (q >= escapeAt) {
      this.bitPos += escapeAt;
      return -1;
    }
    const used = q + 1 + k;
    // peek32 holds at least 25 valid bits; longer codes (huge k) take the two-step path.
    if (used <= 25) {
      this.bitPos += used;
      if (this.bitPos > this.bitEnd + 64) this.bitPos = this.bitEnd + 64;
      return k === 0 ? q : (q << k) | ((word << (q + 1)) >>> (32 - k));
    }
    this.bitPos += q + 1;
    return (q << k) | this.read(k);
  }

  /**
   * Reads `to − from` (from ≥ 1) Rice codes with parameter k (0 ≤ k ≤ 26) into `out[from..to)` as time
   * offsets: each the previous offset `out[i − 1]` plus `period` plus the code's zigzag residual. A code is read
   * as `readRice` reads it, or, for an escaped quotient, by `escaped(reader)`. The common short codes are read
   * with the position in a local variable, and the offsets rebuilt in the same loop: the decoder's hot loop
   * for jittery clocks. It repeats {@link BitReader.readRiceDeltaRun}'s loop on purpose: sharing one loop cost
   * the axes a check per value that only offsets need.
   *
   * @throws {BitStreamError} for an offset not above the previous one or not below `windowMs`.
   */
  readOffsetRun(
    out: Int32Array,
    from: number,
    to: number,
    k: number,
    escapeAt: number,
    escaped: (r: BitReader) => number,
    period: number,
    windowMs: number,
  ): void {
    const b = this.buf;
    const limit = this.fastEnd;
    let prev = out[from - 1] as number;
    let i = from;
    while (i < to) {
      let at = this.bitPos >>> 3;
      // The next bits, left-aligned in acc (nb of them valid, the rest zero), refilled two bytes at a
      // time: under one byte load per code instead of five.
      const s = this.bitPos & 7;
      let acc =
        (at < limit
          ? ((b[at] as number) << 24) |
            ((b[at + 1] as number) << 16) |
            ((b[at + 2] as number) << 8) |
            (b[at + 3] as number)
          : this.word(at)) << s;
      let nb = 32 - s;
      at += 4;
      for (; i < to; i++) {
        if (nb < 16) {
          // Two bytes at a time: most codes are a few bits long, so this runs every two or three codes.
          acc |=
            (at < limit
              ? ((b[at] as number) << 8) | (b[at + 1] as number)
              : (this.byteAt(at) << 8) | this.byteAt(at + 1)) <<
            (16 - nb);
          at += 2;
          nb += 16;
        }
        let q = Math.clz32(~acc);
        let used = q + 1 + k;
        if (used > nb) {
          // A long code: top up to at least 25 bits, enough for any code of the fast path.
          while (nb <= 24) {
            acc |= this.byteAt(at++) << (24 - nb);
            nb += 8;
          }
          q = Math.clz32(~acc);
          used = q + 1 + k;
          if (used > 25) break;
        }
        if (q >= escapeAt) break;
        const u = k === 0 ? q : (q << k) | ((acc << (q + 1)) >>> (32 - k));
        acc <<= used;
        nb -= used;
        const o = prev + period + ((u >>> 1) ^ -(u & 1));
        if (o <= prev || o >= windowMs) {
          this.bitPos = at * 8 - nb;
          throw badOffset(o, prev, windowMs);
        }
        out[i] = o;
        prev = o;
      }
      // Past the end only zeros remain; stop advancing so positions stay small.
      this.bitPos = Math.min(at * 8 - nb, this.bitEnd + 64);
      if (i >= to) break;
      let u = this.readRice(k, escapeAt);
      if (u < 0) u = escaped(this);
      const o = prev + period + ((u >>> 1) ^ -(u & 1));
      if (o <= prev || o >= windowMs) throw badOffset(o, prev, windowMs);
      out[i] = o;
      prev = o;
      i++;
    }
  }

  /**
   * Reads `to − from` (from ≥ 1) Rice codes as {@link BitReader.readOffsetRun} does and turns each, as it is
   * read, into a value: its zigzag residual plus the previous value `out[i − 1]`, plus half the previous
   * step `out[i − 1] − out[i − 2]` (0 at i = 1) when `slope`. Saves the decoder a second pass per block.
   * Its code-reading loop repeats {@link BitReader.readOffsetRun}'s on purpose: sharing it through a callback
   * per code, or reading the block first and rebuilding after, cost the decoder the pass this saves.
   *
   * @throws {BitStreamError} for a value outside ±`bound`.
   */
  readRiceDeltaRun(
    out: Int32Array,
    from: number,
    to: number,
    k: number,
    escapeAt: number,
    escaped: (r: BitReader) => number,
    slope: boolean,
    bound: number,
  ): void {
    const b = this.buf;
    const limit = this.fastEnd;
    // Without slope the step stays 0, so one loop serves both predictors.
    const mask = slope ? -1 : 0;
    let prev = out[from - 1] as number;
    let step = from >= 2 ? (prev - (out[from - 2] as number)) & mask : 0;
    let i = from;
    while (i < to) {
      let at = this.bitPos >>> 3;
      const s = this.bitPos & 7;
      let acc =
        (at < limit
          ? ((b[at] as number) << 24) |
            ((b[at + 1] as number) << 16) |
            ((b[at + 2] as number) << 8) |
            (b[at + 3] as number)
          : this.word(at)) << s;
      let nb = 32 - s;
      at += 4;
      for (; i < to; i++) {
        if (nb < 16) {
          // Two bytes at a time: most codes are a few bits long, so this runs every two or three codes.
          acc |=
            (at < limit
              ? ((b[at] as number) << 8) | (b[at + 1] as number)
              : (this.byteAt(at) << 8) | this.byteAt(at + 1)) <<
            (16 - nb);
          at += 2;
          nb += 16;
        }
        let q = Math.clz32(~acc);
        let used = q + 1 + k;
        if (used > nb) {
          // A long code: top up to at least 25 bits, enough for any code of the fast path.
          while (nb <= 24) {
            acc |= this.byteAt(at++) << (24 - nb);
            nb += 8;
          }
          q = Math.clz32(~acc);
          used = q + 1 + k;
          if (used > 25) break;
        }
        if (q >= escapeAt) break;
        const u = k === 0 ? q : (q << k) | ((acc << (q + 1)) >>> (32 - k));
        acc <<= used;
        nb -= used;
        const v = prev + (step >> 1) + ((u >>> 1) ^ -(u & 1));
        if (v < -bound || v > bound) {
          this.bitPos = at * 8 - nb;
          throw new BitStreamError(`value ${v} outside ±${bound} steps`);
        }
        out[i] = v;
        step = (v - prev) & mask;
        prev = v;
      }
      // Past the end only zeros remain; stop advancing so positions stay small.
      this.bitPos = Math.min(at * 8 - nb, this.bitEnd + 64);
      if (i >= to) break;
      let u = this.readRice(k, escapeAt);
      if (u < 0) u = escaped(this);
      const v = prev + (step >> 1) + ((u >>> 1) ^ -(u & 1));
      if (v < -bound || v > bound) throw new BitStreamError(`value ${v} outside ±${bound} steps`);
      out[i] = v;
      step = (v - prev) & mask;
      prev = v;
      i++;
    }
  }

  /**
   * Reads `n` values of `width` bits (0 ≤ width ≤ 26) into `out[0..n)`, each plus `base` (the fixed-width
   * form of an axis, common on slow or still rows): up to 24 bits wide from an accumulator in local variables
   * topped up a byte at a time, as the Rice runs are read.
   *
   * @throws {BitStreamError} when a value lies outside ±`bound`.
   */
  readFixedRun(out: Int32Array, n: number, width: number, base: number, bound: number): void {
    if (width === 0 || width > 24) {
      this.readWideRun(out, n, width, base, bound);
      return;
    }
    const b = this.buf;
    const end = b.length;
    // The next bits left-aligned in acc (nb of them valid, the rest zero), topped up a byte at a time to at
    // least `width`: at most 23 + 8 bits, so they fit in 32.
    let at = this.bitPos >>> 3;
    let acc = (at < end ? (b[at] as number) : 0) << (24 + (this.bitPos & 7));
    let nb = 8 - (this.bitPos & 7);
    at++;
    const drop = 32 - width;
    for (let i = 0; i < n; i++) {
      while (nb < width) {
        acc |= (at < end ? (b[at] as number) : 0) << (24 - nb);
        at++;
        nb += 8;
      }
      const v = base + (acc >>> drop);
      acc <<= width;
      nb -= width;
      if (v < -bound || v > bound) {
        this.bitPos = Math.min(at * 8 - nb, this.bitEnd + 64);
        throw new BitStreamError(`value ${v} outside ±${bound} steps`);
      }
      out[i] = v;
    }
    // Past the end only zeros remain; stop advancing so positions stay small.
    this.bitPos = Math.min(at * 8 - nb, this.bitEnd + 64);
  }

  /**
   * {@link BitReader.readFixedRun} for widths of 25 and 26 bits, too wide for its accumulator, and of 0 (a
   * shift by 32 is a shift by 0 in JavaScript; `read(0)` is 0).
   */
  private readWideRun(out: Int32Array, n: number, width: number, base: number, bound: number): void {
    for (let i = 0; i < n; i++) {
      const v = base + this.read(width);
      if (v < -bound || v > bound) throw new BitStreamError(`value ${v} outside ±${bound} steps`);
      out[i] = v;
    }
  }

  /** True when the read position is in the last byte and the bits after it there are zero padding. */
  atCleanEnd(): boolean {
    if (this.bitPos > this.bitEnd || this.bitEnd - this.bitPos >= 8) return false;
    const rest = this.bitEnd - this.bitPos;
    return rest === 0 || this.read(rest) === 0;
  }
}

/** The error for a time offset `o` not above `prev` or not below `windowMs`; every time-section reader throws it. */
export function badOffset(o: number, prev: number, windowMs: number): BitStreamError {
  return new BitStreamError(
    `time offset ${o} out of order (after ${prev}) or outside the window of ${windowMs} ms`,
  );
}

/** Internal: the bit stream holds an impossible value. Turned into a DecodeError by the caller. */
export class BitStreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BitStreamError';
  }
}
