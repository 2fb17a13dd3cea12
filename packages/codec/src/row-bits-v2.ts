import { type BitReader, BitStreamError, type BitWriter } from './bits.js';
import { MAX_QUANTUM } from './quantize.js';
import {
  bitLength,
  checkTime,
  checkValue,
  ESCAPE,
  FIRST_VALUE_K,
  median,
  offsetBits,
  PREDICT_PREVIOUS,
  PREDICT_SLOPE,
  prefixedCost,
  readPrefixed,
  readRiceValue,
  unzigzag,
  writeRiceValue,
  zigzag,
} from './row-bits.js';

/*
 * The bit stream of row format v2 (FORMAT.md §1.4, version 2 sections). Same Rice codes as v1; what
 * changes is the framing: a 2-bit time mode with a free "regular clock" mode and a run-length mode for
 * clocks that are regular but for a few late or early samples, and axis residuals in blocks of BLOCK with
 * one Rice parameter each (the parameter follows the signal's activity over a long window). row-bits.ts
 * (v1) stays as it is.
 */

/** Time mode: every interval is the period; only the first offset is written. */
export const TIME_REGULAR = 0;
/** Time mode: every interval's difference from the period, Rice-coded. */
export const TIME_RICE = 1;
/** Time mode: runs of on-period intervals, each followed by one off-period interval. */
export const TIME_RUNS = 2;
/** Time mode: every offset in fixed width (the fallback that bounds the worst case). */
export const TIME_FIXED = 3;
/** Largest Rice parameter of a v2 time section (3-bit fields); longer intervals escape. */
export const MAX_TIME_K = 7;
/** Largest Rice parameter of a v2 axis block (4-bit field); larger residuals escape or take the fixed form. */
export const MAX_AXIS_K = 15;
/** Residuals per block of an axis section, each block with its own Rice parameter. */
export const BLOCK = 64;

/** Interval spreads (ms) below which the period's median is found by counting instead of selection. */
const HISTOGRAM = 256;

/** Rice cost of `u` with parameter k, escapes included. */
function cost(u: number, k: number): number {
  const q = u >>> k;
  return q < ESCAPE ? q + 1 + k : ESCAPE + prefixedCost(u);
}

/**
 * Best Rice parameter for `u[from..to)`, in at most `maxK`: the estimate log2(mean) and its two neighbours
 * are costed exactly in one pass; only when a neighbour wins does the walk go on (the cost is convex in k).
 * Returns k; the cost in bits is left in `best.cost`.
 */
function bestK(
  u: Int32Array,
  from: number,
  to: number,
  sum: number,
  maxK: number,
  best: { cost: number },
): number {
  const m = to - from;
  if (m === 0) {
    best.cost = 0;
    return 0;
  }
  const mean = sum / m;
  let k = mean >= 2 ? Math.min(31 - Math.clz32(Math.floor(mean)), maxK) : 0;
  if (k === 0) k = 1;
  if (k > maxK) k = maxK;
  const lo = k - 1;
  const hi = k + 1 <= maxK ? k + 1 : k;
  let cLo = 0;
  let cMid = 0;
  let cHi = 0;
  const escLo = ESCAPE << lo;
  const escHi = ESCAPE << hi;
  for (let i = from; i < to; i++) {
    const v = u[i] as number;
    if (v < escLo) {
      cLo += v >>> lo;
      cMid += v >>> k;
      cHi += v >>> hi;
    } else if (v < escHi) {
      cLo += cost(v, lo) - lo - 1;
      cMid += cost(v, k) - k - 1;
      cHi += (v >>> hi) as number;
    } else {
      cLo += cost(v, lo) - lo - 1;
      cMid += cost(v, k) - k - 1;
      cHi += cost(v, hi) - hi - 1;
    }
  }
  cLo += m * (lo + 1);
  cMid += m * (k + 1);
  cHi += m * (hi + 1);
  if (cLo <= cMid) {
    // Walk down while it keeps paying.
    let kk = lo;
    let c = cLo;
    while (kk > 0) {
      const d = exactCost(u, from, to, kk - 1);
      if (d > c) break;
      c = d;
      kk--;
    }
    best.cost = c;
    return kk;
  }
  if (cHi < cMid) {
    let kk = hi;
    let c = cHi;
    while (kk < maxK) {
      const d = exactCost(u, from, to, kk + 1);
      if (d >= c) break;
      c = d;
      kk++;
    }
    best.cost = c;
    return kk;
  }
  best.cost = cMid;
  return k;
}

function exactCost(u: Int32Array, from: number, to: number, k: number): number {
  let bits = 0;
  for (let i = from; i < to; i++) bits += cost(u[i] as number, k);
  return bits;
}

/**
 * Writes the v2 time and axis sections. Holds its scratch arrays (reused across rows, grown on demand), so
 * two writers never share state; one writer is not reentrant.
 */
export class RowBitsWriterV2 {
  private resA = new Int32Array(1024);
  private resB = new Int32Array(1024);
  private blockK = new Int32Array(1024 / BLOCK + 1);
  private readonly best = { cost: 0 };
  private readonly counts = new Int32Array(HISTOGRAM);
  /** The smallest interval (ms) the last {@link RowBitsWriterV2.period} call saw; 0 below two samples. */
  minInterval = 0;

  private ensureScratch(n: number): void {
    // One comparison per call: the block parameters are sized with the residuals, for their whole length.
    if (this.resA.length < n) {
      this.resA = new Int32Array(Math.max(n, this.resA.length * 2));
      this.resB = new Int32Array(this.resA.length);
      this.blockK = new Int32Array(Math.ceil(this.resA.length / BLOCK) + 1);
    }
  }

  /**
   * The nominal period of `offsets[0..n)` (ms): the median interval or a neighbour of it, whichever leaves
   * the smaller residual sum; 0 below two samples.
   */
  period(offsets: Int32Array, n: number): number {
    this.minInterval = 0;
    if (n < 2) return 0;
    this.ensureScratch(n);
    const res = this.resA;
    const first = (offsets[1] as number) - (offsets[0] as number);
    let min = first;
    let max = first;
    for (let i = 1; i < n; i++) {
      const d = (offsets[i] as number) - (offsets[i - 1] as number);
      res[i - 1] = d;
      if (d < min) min = d;
      else if (d > max) max = d;
    }
    this.minInterval = min;
    if (min === max) return first;
    const m = n - 1;
    let sumLo = 0;
    let sumMid = 0;
    let sumHi = 0;
    let mid: number;
    let lo: number;
    if (max - min < HISTOGRAM) {
      // Jittery clocks spread their intervals over a few ms: count them, take the median (the element at
      // sorted index ⌊(m − 1) / 2⌋, as `median` finds it) and the residual sums per distinct interval.
      const counts = this.counts;
      const range = max - min;
      counts.fill(0, 0, range + 1);
      for (let i = 0; i < m; i++) {
        const j = (res[i] as number) - min;
        counts[j] = (counts[j] as number) + 1;
      }
      const target = (m - 1) >> 1;
      let seen = 0;
      let v = 0;
      for (; ; v++) {
        seen += counts[v] as number;
        if (seen > target) break;
      }
      mid = v + min;
      lo = Math.max(1, mid - 1);
      for (let j = 0; j <= range; j++) {
        const count = counts[j] as number;
        if (count === 0) continue;
        const d = j + min;
        sumLo += count * zigzag(d - lo);
        sumMid += count * zigzag(d - mid);
        sumHi += count * zigzag(d - mid - 1);
      }
    } else {
      mid = median(res, m);
      // The zigzag sums of the residuals against mid − 1, mid and mid + 1, in one pass over the intervals.
      lo = Math.max(1, mid - 1);
      for (let i = 0; i < m; i++) {
        const d = res[i] as number;
        const a = d - lo;
        const b = d - mid;
        const c = b - 1;
        sumLo += a < 0 ? -2 * a - 1 : 2 * a;
        sumMid += b < 0 ? -2 * b - 1 : 2 * b;
        sumHi += c < 0 ? -2 * c - 1 : 2 * c;
      }
    }
    if (lo < mid && sumLo < sumMid && sumLo <= sumHi) return lo;
    return sumHi < sumMid ? mid + 1 : mid;
  }

  /** Writes the time section of `offsets[0..n)` (n ≥ 1) with nominal interval `period`. */
  writeTimes(w: BitWriter, offsets: Int32Array, n: number, windowMs: number, period: number): void {
    this.ensureScratch(n);
    const tBits = offsetBits(windowMs);
    const m = n - 1;
    const res = this.resA;
    let sum = 0;
    let nonzero = 0;
    for (let i = 1; i < n; i++) {
      const u = zigzag((offsets[i] as number) - (offsets[i - 1] as number) - period);
      res[i - 1] = u;
      sum += u;
      if (u !== 0) nonzero++;
    }
    const firstK = bitLength(period);
    const first = offsets[0] as number;
    const firstBits = cost(first, firstK);
    if (nonzero === 0) {
      w.write(TIME_REGULAR, 2);
      writeRiceValue(w, first, firstK);
      return;
    }
    const fixedBits = n * tBits;
    const riceK = bestK(res, 0, m, sum, MAX_TIME_K, this.best);
    const riceBits = 3 + firstBits + this.best.cost;
    // Runs: run lengths of zero residuals, each followed by one nonzero residual (stored as zigzag − 1).
    let runsBits = Number.POSITIVE_INFINITY;
    let kr = 0;
    let kv = 0;
    if (nonzero * 2 < m) {
      const runs = this.resB;
      let runCount = 0;
      let run = 0;
      let runSum = 0;
      let valueSum = 0;
      for (let i = 0; i < m; i++) {
        const u = res[i] as number;
        if (u === 0) {
          run++;
        } else {
          runs[runCount++] = run;
          runSum += run;
          valueSum += u - 1;
          run = 0;
        }
      }
      const tail = run > 0;
      if (tail) {
        runs[runCount++] = run;
        runSum += run;
      }
      kr = bestK(runs, 0, runCount, runSum, MAX_TIME_K, this.best);
      let bits = this.best.cost;
      // The nonzero residuals minus one, packed after the runs in the scratch (runs then values).
      let j = runCount;
      for (let i = 0; i < m; i++) {
        const u = res[i] as number;
        if (u !== 0) runs[j++] = u - 1;
      }
      kv = bestK(runs, runCount, j, valueSum, MAX_TIME_K, this.best);
      bits += this.best.cost;
      runsBits = 6 + firstBits + bits;
    }
    if (fixedBits < riceBits && fixedBits < runsBits) {
      w.write(TIME_FIXED, 2);
      for (let i = 0; i < n; i++) w.write(offsets[i] as number, tBits);
    } else if (runsBits < riceBits) {
      w.write(TIME_RUNS, 2);
      writeRiceValue(w, first, firstK);
      w.write(kr, 3);
      w.write(kv, 3);
      let run = 0;
      for (let i = 0; i < m; i++) {
        const u = res[i] as number;
        if (u === 0) {
          run++;
        } else {
          writeRiceValue(w, run, kr);
          writeRiceValue(w, u - 1, kv);
          run = 0;
        }
      }
      if (run > 0) writeRiceValue(w, run, kr);
    } else {
      w.write(TIME_RICE, 2);
      writeRiceValue(w, first, firstK);
      w.write(riceK, 3);
      w.writeRiceRun(res, 0, m, riceK, ESCAPE, writeRiceValue);
    }
  }

  /**
   * Writes one axis: the cheaper predictor's residuals in blocks with a Rice parameter each, or, when shorter,
   * the minimum and every value's offset from it in fixed width.
   *
   * @returns false, having written nothing, when a value lies outside ±MAX_QUANTUM (the caller names it).
   */
  writeAxis(w: BitWriter, values: Int32Array, n: number): boolean {
    this.ensureScratch(n);
    const resA = this.resA;
    const resB = this.resB;
    let prev = values[0] as number;
    let step = 0;
    let sumA = 0;
    let sumB = 0;
    let min = prev;
    let max = prev;
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
      if (v < min) min = v;
      else if (v > max) max = v;
    }
    if (min < -MAX_QUANTUM || max > MAX_QUANTUM) return false;
    const slope = sumB < sumA;
    const res = slope ? resB : resA;
    const m = n - 1;
    const blocks = Math.ceil(m / BLOCK);
    const ks = this.blockK;
    let riceBits = 1 + 1 + cost(zigzag(values[0] as number), FIRST_VALUE_K) + 4;
    let lastK = 0;
    for (let b = 0; b < blocks; b++) {
      const from = b * BLOCK;
      const to = Math.min(m, from + BLOCK);
      let sum = 0;
      if (blocks === 1) {
        sum = slope ? sumB : sumA;
      } else {
        for (let i = from; i < to; i++) sum += res[i] as number;
      }
      const k = bestK(res, from, to, sum, MAX_AXIS_K, this.best);
      ks[b] = k;
      riceBits += this.best.cost;
      if (b > 0) riceBits += cost(zigzag(k - lastK), 0);
      lastK = k;
    }
    const width = bitLength(max - min);
    const fixedBits = 1 + cost(zigzag(min), FIRST_VALUE_K) + 5 + n * width;
    if (riceBits <= fixedBits) {
      w.write(0, 1);
      w.write(slope ? PREDICT_SLOPE : PREDICT_PREVIOUS, 1);
      writeRiceValue(w, zigzag(values[0] as number), FIRST_VALUE_K);
      let prevK = 0;
      for (let b = 0; b < blocks; b++) {
        const k = ks[b] as number;
        if (b === 0) w.write(k, 4);
        else writeRiceValue(w, zigzag(k - prevK), 0);
        prevK = k;
        const to = Math.min(m, (b + 1) * BLOCK);
        w.writeRiceRun(res, b * BLOCK, to, k, ESCAPE, writeRiceValue);
      }
    } else {
      w.write(1, 1);
      writeRiceValue(w, zigzag(min), FIRST_VALUE_K);
      w.write(width, 5);
      for (let i = 0; i < n; i++) w.writeWide((values[i] as number) - min, width);
    }
    return true;
  }
}

/**
 * Writes `count` (≥ 1) on-period offsets after `prev` into `offsets[from..from + count)`, checked once by the
 * last: they increase when the period does, and the last is the largest.
 */
function fillRegular(
  offsets: Int32Array,
  from: number,
  count: number,
  prev: number,
  period: number,
  windowMs: number,
): void {
  checkTime(prev + count * period, prev + (count - 1) * period, windowMs);
  for (let j = 1; j <= count; j++) offsets[from + j - 1] = prev + j * period;
}

/** Reads a v2 time section into `offsets[0..n)` (n ≥ 1), checking order and window bounds. */
export function readTimesV2(
  r: BitReader,
  offsets: Int32Array,
  n: number,
  windowMs: number,
  period: number,
): void {
  const mode = r.read(2);
  if (mode === TIME_FIXED) {
    const tBits = offsetBits(windowMs);
    let prev = -1;
    for (let i = 0; i < n; i++) {
      const o = r.read(tBits);
      checkTime(o, prev, windowMs);
      offsets[i] = o;
      prev = o;
    }
    return;
  }
  let prev = readRiceValue(r, bitLength(period));
  if (prev >= windowMs) throw new BitStreamError(`time offset ${prev} outside the window`);
  offsets[0] = prev;
  if (mode === TIME_REGULAR) {
    if (n > 1) fillRegular(offsets, 1, n - 1, prev, period, windowMs);
  } else if (mode === TIME_RICE) {
    r.readOffsetRun(offsets, 1, n, r.read(3), ESCAPE, readPrefixed, period, windowMs);
  } else {
    const kr = r.read(3);
    const kv = r.read(3);
    let i = 1;
    while (i < n) {
      const run = readRiceValue(r, kr);
      if (run > n - i) throw new BitStreamError(`time run ${run} longer than the samples left`);
      if (run > 0) {
        fillRegular(offsets, i, run, prev, period, windowMs);
        i += run;
        prev += run * period;
      }
      if (i < n) {
        const o = prev + period + unzigzag(readRiceValue(r, kv) + 1);
        checkTime(o, prev, windowMs);
        offsets[i] = o;
        prev = o;
        i++;
      }
    }
  }
}

/** Reads one v2 axis section into `values[0..n)`, checking that every value lies within ±MAX_QUANTUM. */
export function readAxisV2(r: BitReader, values: Int32Array, n: number): void {
  if (r.read(1) === 1) {
    const min = unzigzag(readRiceValue(r, FIRST_VALUE_K));
    const width = r.read(5);
    if (width > 26) throw new BitStreamError(`bad width ${width}`);
    r.readFixedRun(values, n, width, min, MAX_QUANTUM);
    return;
  }
  const slope = r.read(1) === PREDICT_SLOPE;
  const first = unzigzag(readRiceValue(r, FIRST_VALUE_K));
  checkValue(first);
  values[0] = first;
  let k = 0;
  let i = 1;
  while (i < n) {
    k = i === 1 ? r.read(4) : k + unzigzag(readRiceValue(r, 0));
    if (k < 0 || k > MAX_AXIS_K) throw new BitStreamError(`bad Rice parameter ${k}`);
    const end = Math.min(n, i + BLOCK);
    r.readRiceDeltaRun(values, i, end, k, ESCAPE, readPrefixed, slope, MAX_QUANTUM);
    i = end;
  }
}
