/** Sample columns held in memory, up to a fixed capacity: a raw response, or the head of an auto read. */
export class RawColumns {
  /** Times, epoch ms (only the first `length` entries are samples). */
  readonly t: Float64Array;
  /** Accelerations along x, g. */
  readonly x: Float64Array;
  /** Accelerations along y, g. */
  readonly y: Float64Array;
  /** Accelerations along z, g. */
  readonly z: Float64Array;
  /** Samples held. */
  length = 0;

  constructor(capacity: number) {
    this.t = new Float64Array(capacity);
    this.x = new Float64Array(capacity);
    this.y = new Float64Array(capacity);
    this.z = new Float64Array(capacity);
  }

  /** Free slots. */
  get room(): number {
    return this.t.length - this.length;
  }

  /** Copies samples `start` (inclusive) to `end` (exclusive) of the given columns; they must fit. */
  append(
    t: Float64Array,
    x: Float64Array,
    y: Float64Array,
    z: Float64Array,
    start: number,
    end: number,
  ): void {
    this.t.set(t.subarray(start, end), this.length);
    this.x.set(x.subarray(start, end), this.length);
    this.y.set(y.subarray(start, end), this.length);
    this.z.set(z.subarray(start, end), this.length);
    this.length += end - start;
  }
}
