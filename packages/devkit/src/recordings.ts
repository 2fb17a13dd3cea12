import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sample } from '@secondrow/codec';
import { RecordingFormatError, RecordingNotFoundError } from './errors.js';

/** One recording: its file name and samples in file order. */
export interface Recording {
  /** File name, e.g. `wearos_tug_s02_50hz.csv`. */
  name: string;
  /** Absolute path of the file. */
  path: string;
  /** Samples in file order: `t` in integer epoch ms, `x,y,z` in g. */
  samples: Sample[];
}

/**
 * The folder of real wrist recordings shipped in this repository (`packages/devkit/data/accel`: three Apple
 * Watch files, MIT, and two Wear OS files, CC BY 4.0; provenance and attribution in its README.md).
 *
 * @returns Absolute path, with no trailing separator.
 */
export function recordingsDir(): string {
  return fileURLToPath(new URL('../data/accel', import.meta.url));
}

/** Options of {@link parseRecording}. */
export interface ParseRecordingOptions {
  /** Require `t_ms` to strictly increase from line to line (a replay needs it). Default false. */
  strictlyIncreasing?: boolean;
}

/**
 * Parses `t_ms,x,y,z` CSV text: one sample per line, `t_ms` a non-negative integer (epoch ms), `x,y,z`
 * finite numbers (g). Blank lines, `#` comment lines and a header line starting with `t_ms` are skipped.
 * Order is only checked on request: real recordings may repeat a timestamp.
 *
 * @param text - The file's content.
 * @param file - Name used in error messages.
 * @param options - Extra checks.
 * @returns The samples in file order.
 * @throws {RecordingFormatError} naming file and line when a line does not hold four numbers, `t_ms` is not
 *   a non-negative integer, a coordinate is not finite, `t_ms` does not strictly increase (when asked), or
 *   there is no sample at all.
 * @example parseRecording('t_ms,x,y,z\n1000,0,0,1\n', 'a.csv') // [{ t: 1000, x: 0, y: 0, z: 1 }]
 */
export function parseRecording(text: string, file: string, options: ParseRecordingOptions = {}): Sample[] {
  const samples: Sample[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#') || /^t_ms\s*(,|$)/.test(line)) continue;
    const fields = line.split(',');
    if (fields.length !== 4) {
      throw new RecordingFormatError(
        file,
        i + 1,
        `expected 4 comma-separated fields t_ms,x,y,z, got ${fields.length}`,
      );
    }
    if (fields.some((field) => field.trim() === '')) {
      throw new RecordingFormatError(file, i + 1, 'a field is empty');
    }
    const [t, x, y, z] = fields.map(Number) as [number, number, number, number];
    if (!Number.isSafeInteger(t) || t < 0) {
      throw new RecordingFormatError(file, i + 1, `t_ms must be a non-negative integer, got ${fields[0]}`);
    }
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) {
      throw new RecordingFormatError(file, i + 1, 'x, y and z must be finite numbers');
    }
    const previous = samples[samples.length - 1];
    if (options.strictlyIncreasing === true && previous !== undefined && t <= previous.t) {
      throw new RecordingFormatError(
        file,
        i + 1,
        `t_ms must strictly increase, got ${t} after ${previous.t}`,
      );
    }
    samples.push({ t, x, y, z });
  }
  if (samples.length === 0) throw new RecordingFormatError(file, 0, 'no samples');
  return samples;
}

/**
 * Reads and parses one `t_ms,x,y,z` file.
 *
 * @throws {RecordingNotFoundError} when the file cannot be read.
 * @throws {RecordingFormatError} see {@link parseRecording}.
 */
export function readRecording(path: string): Recording {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new RecordingNotFoundError(path, (error as Error).message, { cause: error });
  }
  const name = basename(path);
  return { name, path, samples: parseRecording(text, name) };
}

/**
 * The `.csv` files a path names: the file itself, or every `*.csv` in a folder, sorted by name.
 *
 * @throws {RecordingNotFoundError} when the path does not exist or a folder holds no `.csv` file.
 */
export function recordingFiles(path: string): string[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    throw new RecordingNotFoundError(path, (error as Error).message, { cause: error });
  }
  if (!isDirectory) return [path];
  const files = readdirSync(path)
    .filter((file) => file.endsWith('.csv'))
    .sort()
    .map((file) => join(path, file));
  if (files.length === 0) throw new RecordingNotFoundError(path, 'no .csv files');
  return files;
}

/**
 * Every recording in `dir` (default {@link recordingsDir}), sorted by file name.
 *
 * @throws {RecordingNotFoundError} when the folder is missing or empty.
 * @throws {RecordingFormatError} when a file is malformed.
 */
export function listRecordings(dir: string = recordingsDir()): Recording[] {
  return recordingFiles(dir).map(readRecording);
}
