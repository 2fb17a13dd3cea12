import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Sample } from '@secondrow/codec';
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
 * Parses a recording in the `t_ms,x,y,z` format (header line optional, blank lines ignored).
 *
 * @throws {CsvFormatError} naming the line when a field is missing or not a number, a time is not
 *   an integer, or times do not strictly increase.
 */
export function parseAccelCsv(text: string): Sample[] {
  const samples: Sample[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '' || (i === 0 && /^t_ms\s*,/.test(line))) continue;
    const fields = line.split(',');
    if (fields.length !== 4) throw new CsvFormatError(i + 1, `line ${i + 1}: expected 4 fields t_ms,x,y,z`);
    const [t, x, y, z] = fields.map(Number) as [number, number, number, number];
    if (!Number.isSafeInteger(t) || t < 0) {
      throw new CsvFormatError(i + 1, `line ${i + 1}: t_ms must be a non-negative integer`);
    }
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) {
      throw new CsvFormatError(i + 1, `line ${i + 1}: x, y and z must be numbers`);
    }
    const previous = samples[samples.length - 1];
    if (previous !== undefined && t <= previous.t) {
      throw new CsvFormatError(i + 1, `line ${i + 1}: t_ms must strictly increase`);
    }
    samples.push({ t, x, y, z });
  }
  if (samples.length < 2) throw new CsvFormatError(lines.length, 'a recording needs at least 2 samples');
  return samples;
}

/**
 * Reads and parses a `t_ms,x,y,z` file.
 *
 * @throws {CsvFormatError} see {@link parseAccelCsv}; file-system errors pass through.
 */
export function loadAccelCsv(path: string): Sample[] {
  return parseAccelCsv(readFileSync(path, 'utf8'));
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
