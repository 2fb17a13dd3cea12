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

  /** Pads the last byte with zero bits and returns the number of bytes written. */
  finish(): number {
    if (this.nacc > 0) this.write(0, 8 - this.nacc);
    return this.pos;
  }
}

/**
 * Reads bits, most significant first, from a private zero-padded copy of the input. Reads past
 * the end yield zero bits instead of throwing, which keeps the hot path free of bounds checks;
 * every loop of the decoder is bounded, and {@link BitReader.atCleanEnd} rejects such a stream
 * once decoding ends.
 */
export class BitReader {
  private buf = new Uint8Array(1024);
  /** Big-endian 32-bit reads of `buf`: one load instead of four byte loads per peek. */
  private view = new DataView(this.buf.buffer);
  private bitPos = 0;
  private bitEnd = 0;

  /** Starts reading `data` from its first bit. */
  reset(data: Uint8Array): void {
    // 16 zero bytes past the end let peek32 read whole words anywhere up to the end and beyond.
    if (this.buf.length < data.length + 16) {
      this.buf = new Uint8Array(Math.max(data.length + 16, this.buf.length * 2));
      this.view = new DataView(this.buf.buffer);
    }
    this.buf.set(data, 0);
    this.buf.fill(0, data.length, data.length + 16);
    this.bitPos = 0;
    this.bitEnd = data.length * 8;
  }

  /** The next 32 bits without consuming them (as an int32). */
  private peek32(): number {
    const i = this.bitPos >>> 3;
    const s = this.bitPos & 7;
    const word = this.view.getInt32(i);
    return s === 0 ? word : (word << s) | ((this.buf[i + 4] as number) >>> (8 - s));
  }

  /** Reads `n` bits (0 ≤ n ≤ 32) as an unsigned integer. */
  read(n: number): number {
    if (n === 0) return 0;
    const v = this.peek32() >>> (32 - n);
    this.bitPos += n;
    // Past the end of the (padded) buffer only zeros remain; stop advancing so positions stay small.
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

  /** True when the read position is in the last byte and the bits after it there are zero padding. */
  atCleanEnd(): boolean {
    if (this.bitPos > this.bitEnd || this.bitEnd - this.bitPos >= 8) return false;
    const rest = this.bitEnd - this.bitPos;
    return rest === 0 || this.read(rest) === 0;
  }
}

/** Internal: the bit stream holds an impossible value. Turned into a DecodeError by the caller. */
export class BitStreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BitStreamError';
  }
}
