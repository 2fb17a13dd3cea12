import type { QualitySummary } from '@secondrow/query';
import type { Gap } from './gap-shading.js';

/**
 * The whole UTC seconds of `[fromMs, toMs)` that lie inside a gap, merged into `[startMs, endMs)` runs:
 * the quality lane's "missing" marks. A second counts when the gap covers all of it that the range
 * touches, so at the range's edges a partly shown second still counts.
 */
export function missingSeconds(gaps: readonly Gap[], fromMs: number, toMs: number): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (const [gapStart, gapEnd] of gaps) {
    const a = Math.max(gapStart, fromMs);
    const b = Math.min(gapEnd, toMs);
    if (b <= a) continue;
    // First second whose shown part starts inside the gap; last one whose shown part ends inside it.
    const first = a === fromMs ? Math.floor(a / 1000) * 1000 : Math.ceil(a / 1000) * 1000;
    const last = b === toMs ? Math.ceil(b / 1000) * 1000 : Math.floor(b / 1000) * 1000;
    if (last <= first) continue;
    const previous = runs.at(-1);
    if (previous !== undefined && previous[1] >= first) previous[1] = Math.max(previous[1], last);
    else runs.push([first, last]);
  }
  return runs;
}

/** Seconds in the runs of {@link missingSeconds}. */
export function countSeconds(runs: ReadonlyArray<readonly [number, number]>): number {
  let total = 0;
  for (const [a, b] of runs) total += (b - a) / 1000;
  return total;
}

/**
 * What the lane's legend says of late and duplicate samples. Duplicates and conflicts are never measured
 * by the API (the table does not keep them: `null`, never zero); lateness (sample time → first written, per
 * row) is shown as its percentiles in ms when the rows record their write times, else said to be unmeasured.
 */
export function lateDuplicateNote(quality: QualitySummary): string {
  const late = quality.latenessMs;
  const lateness =
    late === null
      ? 'lateness: not measured'
      : `lateness p50 ${delayText(late.p50)}, p95 ${delayText(late.p95)}, max ${delayText(late.max)} (${late.rows} rows)`;
  return `${lateness}; duplicates: not measured by this API`;
}

/** A delay in ms as a short text: ms below 1 s, then s, min or h with one decimal. */
export function delayText(ms: number): string {
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  if (Math.abs(ms) < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (Math.abs(ms) < 7_200_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
