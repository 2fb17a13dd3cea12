import { type BitReader, BitStreamError, type BitWriter, badOffset } from './bits.js';
import { MAX_QUANTUM } from './quantize.js';

/*
 * The row bit stream (FORMAT.md, "Bit stream"): a time section then one section per axis (x, y, z),
 * each opened by a 5-bit mode: 0..26 = Rice parameter k, 31 = fixed width (the fallback that bounds
 * the worst case). Rice codes a zigzagged residual u as q = u >> k in unary (q ones closed by a
 * zero) then the k low bits of u. A quotient reaching ESCAPE is written as ESCAPE ones followed by
 * u as a length-prefixed integer, so one outlier never costs hundreds of bits.
 */

/** Mode value announcing the fixed-width fallback. */
export const MODE_FIXED = 31;
/** Largest Rice parameter (residuals stay below 2^27, so q << k fits 31 bits). */
export const MAX_RICE_K = 26;
/** Unary quotients from this value on are escaped. */
export const ESCAPE = 16;
/** Rice parameter of an axis's first value (about 1 g at 1 mg costs 12 bits). */
export const FIRST_VALUE_K = 10;
/** Predictor bit of an axis section in Rice mode: predict the previous value. */
export const PREDICT_PREVIOUS = 0;
/** Predictor bit: predict the previous value plus half the last step (floored). */
export const PREDICT_SLOPE = 1;
/** Bits of a length prefix (bit lengths 0..31). */
const LENGTH_BITS = 5;
/** Longest residual in bits: axis differences are below 2^25, so zigzagged below 2^26. */
const MAX_RESIDUAL_BITS = 27;

export function zigzag(v: number): number {
  return (v << 1) ^ (v >> 31);
}

export function unzigzag(u: number): number {
  return (u >>> 1) ^ -(u & 1);
}

export function bitLength(u: number): number {
  return 32 - Math.clz32(u);
}

/** Bits of a length-prefixed integer: 5-bit length L, then the L − 1 bits below the leading one. */
export function prefixedCost(u: number): number {
  const len = bitLength(u);
  return LENGTH_BITS + (len > 1 ? len - 1 : 0);
}

function writePrefixed(w: BitWriter, u: number): void {
  const len = bitLength(u);
  w.write(len, LENGTH_BITS);
  if (len > 1) w.writeWide(u - 2 ** (len - 1), len - 1);
}

export function readPrefixed(r: BitReader): number {
  const len = r.read(LENGTH_BITS);
  if (len > MAX_RESIDUAL_BITS)
    throw new BitStreamError(`length prefix ${len} exceeds ${MAX_RESIDUAL_BITS} bits`);
  if (len <= 1) return len;
  return (1 << (len - 1)) | r.read(len - 1);
}

export function riceValueCost(u: number, k: number): number {
  const q = u >>> k;
  return q < ESCAPE ? q + 1 + k : ESCAPE + prefixedCost(u);
}

export function writeRiceValue(w: BitWriter, u: number, k: number): void {
  const q = u >>> k;
  if (q >= ESCAPE) {
    w.write((1 << ESCAPE) - 1, ESCAPE);
    writePrefixed(w, u);
  } else if (q + 1 + k <= 24) {
    // q ones, a zero, then k low bits, as one write.
    w.write((((1 << q) - 1) << (k + 1)) | (u & ((1 << k) - 1)), q + 1 + k);
  } else {
    w.writeOnes(q);
    w.write(0, 1);
    w.writeWide(u & ((1 << k) - 1), k);
  }
}

export function readRiceValue(r: BitReader, k: number): number {
  const u = r.readRice(k, ESCAPE);
  return u >= 0 ? u : readPrefixed(r);
}

/** Exact Rice cost in bits of `u[0..m)` with parameter k, escapes included. */
function riceCost(u: Int32Array, m: number, k: number): number {
  let bits = m * (k + 1);
  const escapeAt = ESCAPE << k;
  for (let i = 0; i < m; i++) {
    const v = u[i] as number;
    bits += v < escapeAt ? v >>> k : ESCAPE - 1 - k + prefixedCost(v);
  }
  return bits;
}

/** Bits needed for a time offset inside a window of `windowMs` milliseconds. */
export function offsetBits(windowMs: number): number {
  return bitLength(windowMs - 1);
}

function timeResiduals(offsets: Int32Array, n: number, period: number, out: Int32Array): void {
  for (let i = 1; i < n; i++)
    out[i - 1] = zigzag((offsets[i] as number) - (offsets[i - 1] as number) - period);
}

/** Median of `a[0..m)`, reordering `a` (quickselect: linear time, no allocation). */
export function median(a: Int32Array, m: number): number {
  const target = (m - 1) >> 1;
  let lo = 0;
  let hi = m - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return a[target] as number;
}

/**
 * Checks that time offset `o` lies above `prev` and below `windowMs` (FORMAT.md §1.5).
 *
 * @throws {BitStreamError} otherwise.
 */
export function checkTime(o: number, prev: number, windowMs: number): void {
  if (o <= prev || o >= windowMs) throw badOffset(o, prev, windowMs);
}

/** Reads the time section into `offsets[0..n)`, checking order and window bounds. */
export function readTimes(
  r: BitReader,
  offsets: Int32Array,
  n: number,
  windowMs: number,
  period: number,
): void {
  const tBits = offsetBits(windowMs);
  const mode = r.read(5);
  let prev = -1;
  if (mode === MODE_FIXED) {
    for (let i = 0; i < n; i++) {
      const o = r.read(tBits);
      checkTime(o, prev, windowMs);
      offsets[i] = o;
      prev = o;
    }
    return;
  }
  if (mode > MAX_RICE_K) throw new BitStreamError(`bad time mode ${mode}`);
  prev = r.read(tBits);
  if (prev >= windowMs) throw new BitStreamError(`time offset ${prev} outside the window`);
  offsets[0] = prev;
  for (let i = 1; i < n; i++) {
    const o = prev + period + unzigzag(readRiceValue(r, mode));
    checkTime(o, prev, windowMs);
    offsets[i] = o;
    prev = o;
  }
}

/**
 * Writes the time and axis sections of a row's bit stream. Holds the residual scratch arrays (reused
 * across rows, grown on demand: at most one entry per ms of a window) and the results of its last
 * parameter search, so two writers never share state; one writer is not reentrant.
 */
export class RowBitsWriter {
  private resA = new Int32Array(1024);
  private resB = new Int32Array(1024);
  /** Cost in bits of the last {@link RowBitsWriter.bestRiceK} call. */
  private bestCost = 0;

  private ensureScratch(n: number): void {
    if (this.resA.length < n) {
      this.resA = new Int32Array(Math.max(n, this.resA.length * 2));
      this.resB = new Int32Array(this.resA.length);
    }
  }

  /**
   * The Rice parameter with the smallest exact cost for `u[0..m)` (cost left in `bestCost`).
   * The cost is convex in k, so a walk downhill from the estimate log2(mean) finds the minimum of
   * the full 0..MAX_RICE_K search in three or four evaluations.
   */
  private bestRiceK(u: Int32Array, m: number, knownSum = -1): number {
    if (m === 0) {
      this.bestCost = 0;
      return 0;
    }
    let sum = knownSum;
    if (sum < 0) {
      sum = 0;
      for (let i = 0; i < m; i++) sum += u[i] as number;
    }
    const mean = sum / m;
    let k = mean >= 2 ? Math.min(31 - Math.clz32(Math.floor(mean)), MAX_RICE_K) : 0;
    let cost = riceCost(u, m, k);
    let moved = false;
    while (k > 0) {
      const c = riceCost(u, m, k - 1);
      if (c > cost) break;
      cost = c;
      k--;
      moved = true;
    }
    if (!moved) {
      while (k < MAX_RICE_K) {
        const c = riceCost(u, m, k + 1);
        if (c >= cost) break;
        cost = c;
        k++;
      }
    }
    this.bestCost = cost;
    return k;
  }

  /**
   * Writes the time section and returns the nominal period it used (ms; 0 below two samples).
   *
   * Offsets (ms from the window start, strictly increasing, < windowMs) are written as the first
   * offset in fixed width, then Rice-coded zigzag(interval − period); or, when shorter, every offset
   * in fixed width. The period is the median interval or a neighbour of it, whichever codes shortest.
   */
  writeTimes(w: BitWriter, offsets: Int32Array, n: number, windowMs: number): number {
    const tBits = offsetBits(windowMs);
    this.ensureScratch(n);
    const resA = this.resA;
    let period = 0;
    if (n >= 2) {
      for (let i = 1; i < n; i++) resA[i - 1] = (offsets[i] as number) - (offsets[i - 1] as number);
      const mid = median(resA, n - 1);
      // Neighbours of the median are compared at the median's best k: one pass each.
      timeResiduals(offsets, n, mid, resA);
      const kMid = this.bestRiceK(resA, n - 1);
      let cost = this.bestCost;
      period = mid;
      for (let p = Math.max(1, mid - 1); p <= mid + 1; p += 2) {
        timeResiduals(offsets, n, p, resA);
        const c = riceCost(resA, n - 1, kMid);
        if (c < cost) {
          cost = c;
          period = p;
        }
      }
    }
    timeResiduals(offsets, n, period, resA);
    const k = this.bestRiceK(resA, n - 1);
    if (tBits + this.bestCost <= n * tBits) {
      w.write(k, 5);
      w.write(offsets[0] as number, tBits);
      for (let i = 0; i < n - 1; i++) writeRiceValue(w, resA[i] as number, k);
    } else {
      w.write(MODE_FIXED, 5);
      for (let i = 0; i < n; i++) w.write(offsets[i] as number, tBits);
    }
    return period;
  }

  /**
   * Writes one axis: the first value (Rice, k = FIRST_VALUE_K) and Rice-coded zigzag residuals of
   * the cheaper predictor; or, when shorter, the minimum and every value's offset from it in fixed width.
   */
  writeAxis(w: BitWriter, values: Int32Array, n: number): void {
    this.ensureScratch(n);
    const resA = this.resA;
    const resB = this.resB;
    // Residuals under each predictor: resA = previous value, resB = previous + half the last step.
    let prev = values[0] as number;
    let step = 0;
    let sumA = 0;
    let sumB = 0;
    for (let i = 1; i < n; i++) {
      const v = values[i] as number;
      const ra = zigzag(v - prev);
      const rb = zigzag(v - prev - (step >> 1));
      resA[i - 1] = ra;
      resB[i - 1] = rb;
      sumA += ra;
      sumB += rb;
      step = v - prev;
      prev = v;
    }
    // The predictor with the smaller residual sum is (all but always) the one with the shorter Rice
    // code; choosing by the sum saves a second parameter search on the hot path.
    const slope = sumB < sumA;
    const k = slope ? this.bestRiceK(resB, n - 1, sumB) : this.bestRiceK(resA, n - 1, sumA);
    const riceCostBits = this.bestCost;
    let min = values[0] as number;
    let max = min;
    for (let i = 1; i < n; i++) {
      const v = values[i] as number;
      if (v < min) min = v;
      else if (v > max) max = v;
    }
    const width = bitLength(max - min);
    const riceBits = 1 + riceValueCost(zigzag(values[0] as number), FIRST_VALUE_K) + riceCostBits;
    const fixedBits = riceValueCost(zigzag(min), FIRST_VALUE_K) + 5 + n * width;
    if (riceBits <= fixedBits) {
      const res = slope ? resB : resA;
      w.write(k, 5);
      w.write(slope ? PREDICT_SLOPE : PREDICT_PREVIOUS, 1);
      writeRiceValue(w, zigzag(values[0] as number), FIRST_VALUE_K);
      for (let i = 0; i < n - 1; i++) writeRiceValue(w, res[i] as number, k);
    } else {
      w.write(MODE_FIXED, 5);
      writeRiceValue(w, zigzag(min), FIRST_VALUE_K);
      w.write(width, 5);
      for (let i = 0; i < n; i++) w.writeWide((values[i] as number) - min, width);
    }
  }
}

export function checkValue(v: number): void {
  if (v < -MAX_QUANTUM || v > MAX_QUANTUM)
    throw new BitStreamError(`value ${v} outside ±${MAX_QUANTUM} steps`);
}

/** Reads one axis into `values[0..n)`, checking that every value lies within ±MAX_QUANTUM. */
export function readAxis(r: BitReader, values: Int32Array, n: number): void {
  const mode = r.read(5);
  if (mode === MODE_FIXED) {
    const min = unzigzag(readRiceValue(r, FIRST_VALUE_K));
    const width = r.read(5);
    if (width > 26) throw new BitStreamError(`bad width ${width}`);
    for (let i = 0; i < n; i++) {
      const v = min + r.read(width);
      checkValue(v);
      values[i] = v;
    }
    return;
  }
  if (mode > MAX_RICE_K) throw new BitStreamError(`bad axis mode ${mode}`);
  const slope = r.read(1) === PREDICT_SLOPE;
  let prev = unzigzag(readRiceValue(r, FIRST_VALUE_K));
  checkValue(prev);
  values[0] = prev;
  let step = 0;
  for (let i = 1; i < n; i++) {
    const v = prev + (slope ? step >> 1 : 0) + unzigzag(readRiceValue(r, mode));
    checkValue(v);
    values[i] = v;
    step = v - prev;
    prev = v;
  }
}
