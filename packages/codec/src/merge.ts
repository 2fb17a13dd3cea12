import { WindowMismatchError } from './errors.js';
import type { Row, Sample } from './types.js';

/** Lexicographic order of readings on (x, y, z); values on one resolution grid compare exactly. */
function compareValues(a: Sample, b: Sample): number {
  return a.x - b.x || a.y - b.y || a.z - b.z;
}

/**
 * Union of two rows of the same window.
 *
 * The merged samples are the union by `t`; where both rows hold a different reading at one `t`,
 * the lexicographically smallest `(x, y, z)` wins, as in {@link packRows}. So merging is
 * idempotent, commutative and associative on the samples. `duplicates` and `conflicts` are the
 * sums of both rows' counts plus the identical and the differing overlaps found here.
 *
 * @param a - a row.
 * @param b - a row of the same window, window length and resolution.
 * @returns a new row (inputs are not modified).
 * @throws {WindowMismatchError} when `startMs`, `windowSeconds` or `resolution` differ.
 * @example
 * const merged = mergeRows(stored, incoming);
 */
export function mergeRows(a: Row, b: Row): Row {
  if (a.startMs !== b.startMs || a.windowSeconds !== b.windowSeconds || a.resolution !== b.resolution) {
    throw new WindowMismatchError(
      `cannot merge row ${a.startMs}/${a.windowSeconds}s/${a.resolution}g with ${b.startMs}/${b.windowSeconds}s/${b.resolution}g`,
    );
  }
  const as = a.samples;
  const bs = b.samples;
  const samples: Sample[] = [];
  let duplicates = a.duplicates + b.duplicates;
  let conflicts = a.conflicts + b.conflicts;
  let i = 0;
  let j = 0;
  while (i < as.length && j < bs.length) {
    const sa = as[i] as Sample;
    const sb = bs[j] as Sample;
    if (sa.t < sb.t) {
      samples.push({ ...sa });
      i++;
    } else if (sb.t < sa.t) {
      samples.push({ ...sb });
      j++;
    } else {
      const c = compareValues(sa, sb);
      if (c === 0) duplicates++;
      else conflicts++;
      samples.push({ ...(c <= 0 ? sa : sb) });
      i++;
      j++;
    }
  }
  for (; i < as.length; i++) samples.push({ ...(as[i] as Sample) });
  for (; j < bs.length; j++) samples.push({ ...(bs[j] as Sample) });
  return {
    startMs: a.startMs,
    windowSeconds: a.windowSeconds,
    resolution: a.resolution,
    samples,
    duplicates,
    conflicts,
  };
}

/**
 * True when both rows hold exactly the same samples (same times and values); counts are ignored.
 * Used to skip writing a merged row that adds nothing.
 *
 * @example
 * if (sameSamples(stored, mergeRows(stored, incoming))) return 'unchanged';
 */
export function sameSamples(a: Row, b: Row): boolean {
  if (a.samples.length !== b.samples.length) return false;
  for (let i = 0; i < a.samples.length; i++) {
    const sa = a.samples[i] as Sample;
    const sb = b.samples[i] as Sample;
    if (sa.t !== sb.t || sa.x !== sb.x || sa.y !== sb.y || sa.z !== sb.z) return false;
  }
  return true;
}
