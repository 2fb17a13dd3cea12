import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sample } from '@secondrow/codec';
import { parseRecording, RecordingFormatError } from '@secondrow/devkit';
import { CsvFormatError } from './errors.js';
import type { SampleSource } from './sample-source.js';

/**
 * Path of the bundled 60-second Wear OS clip (CC BY 4.0, see `data/README.md`). It sits outside
 * `src/`, one level up from both `src/` and `dist/`.
 */
export const BUNDLED_CLIP_PATH = fileURLToPath(
  new URL('../data/wearos-tug-s02-60s-50hz.csv', import.meta.url),
);

/**
 * Parses a recording for replay: devkit's `t_ms,x,y,z` parser (header, blank and `#` lines skipped), plus
 * what a replay needs: times strictly increasing and at least 2 samples.
 *
 * @param text - The file's content.
 * @param file - Name used in messages. Default `recording`.
 * @throws {CsvFormatError} naming the line when a field is missing or not a number, a time is not
 *   an integer, or times do not strictly increase (the devkit's error is its `cause`).
 */
export function parseAccelCsv(text: string, file = 'recording'): Sample[] {
  let samples: Sample[];
  try {
    samples = parseRecording(text, file, { strictlyIncreasing: true });
  } catch (error) {
    if (error instanceof RecordingFormatError) {
      throw new CsvFormatError(error.line, error.message, { cause: error });
    }
    throw error;
  }
  if (samples.length < 2) throw new CsvFormatError(0, `${file}: a recording needs at least 2 samples`);
  return samples;
}

/**
 * Reads and parses a `t_ms,x,y,z` file.
 *
 * @throws {CsvFormatError} see {@link parseAccelCsv}; file-system errors pass through.
 */
export function loadAccelCsv(path: string): Sample[] {
  return parseAccelCsv(readFileSync(path, 'utf8'), basename(path));
}

/** Median interval between consecutive samples, ms. */
export function medianPeriodMs(samples: readonly Sample[]): number {
  const deltas: number[] = [];
  for (let i = 1; i < samples.length; i++)
    deltas.push((samples[i] as Sample).t - (samples[i - 1] as Sample).t);
  deltas.sort((a, b) => a - b);
  return deltas[Math.floor(deltas.length / 2)] ?? 20;
}

/** Options of {@link createCsvReplaySource}. */
export interface CsvReplayOptions {
  /** The recording, strictly increasing in `t` (as {@link parseAccelCsv} returns it). */
  clip: readonly Sample[];
  /** True time of the first replayed sample, integer epoch ms. */
  startMs: number;
  /** Index of the clip sample to start from (devices start at different points). Default 0. */
  startIndex?: number;
  /** Label of the source. Default `csv`. */
  label?: string;
}

/**
 * Replays a recording on the simulated clock: the sample at `startIndex` lands on `startMs`, the
 * original intervals (jitter and gaps included) are kept, and at the end the clip starts again one
 * median interval after its last sample, so the stream never ends.
 */
export function createCsvReplaySource(options: CsvReplayOptions): SampleSource {
  const { clip } = options;
  const period = medianPeriodMs(clip);
  const first = clip[0] as Sample;
  const loopSpan = (clip[clip.length - 1] as Sample).t - first.t + period;
  let index = Math.max(0, Math.min(clip.length - 1, options.startIndex ?? 0));
  let offset = options.startMs - (clip[index] as Sample).t;
  return {
    label: options.label ?? 'csv',
    nominalPeriodMs: period,
    next(): Sample {
      const s = clip[index] as Sample;
      const sample = { t: s.t + offset, x: s.x, y: s.y, z: s.z };
      index++;
      if (index === clip.length) {
        index = 0;
        offset += loopSpan;
      }
      return sample;
    },
  };
}
