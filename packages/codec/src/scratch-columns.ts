/**
 * Column buffers the row encoder and decoder reuse across calls: time offsets (ms from the window start)
 * and quantized x, y, z (steps). Reusing them keeps the hot loops free of per-row allocation; each codec
 * direction owns one instance, so an encode inside a decode (or the reverse) never shares buffers.
 */
export class ScratchColumns {
  offsets = new Int32Array(256);
  xs = new Int32Array(256);
  ys = new Int32Array(256);
  zs = new Int32Array(256);

  /** Grows every column to hold at least `n` samples (doubling, so growth is amortized). */
  ensure(n: number): void {
    if (this.offsets.length >= n) return;
    const size = Math.max(n, this.offsets.length * 2);
    this.offsets = new Int32Array(size);
    this.xs = new Int32Array(size);
    this.ys = new Int32Array(size);
    this.zs = new Int32Array(size);
  }
}
