import type { Sample } from '@secondrow/codec';

/**
 * An endless stream of readings of one device on the true (simulated) clock, in strictly
 * increasing `t` (integer epoch ms). Values are in g and may lie off the codec grid; the watch
 * quantizes them.
 */
export interface SampleSource {
  /** Human-readable description, e.g. `synthetic:walk@50Hz` or `csv:clip.csv`. */
  readonly label: string;
  /** Typical interval between samples, ms (used to find gaps). */
  readonly nominalPeriodMs: number;
  /** The next reading; `t` is strictly greater than the previous one's. */
  next(): Sample;
}
