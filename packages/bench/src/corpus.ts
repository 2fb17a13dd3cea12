import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sample } from '@secondrow/codec';
import { DataError } from './errors.js';

/** One device's recording: what every layout turns into items. */
export interface Device {
  /** Device id used as partition key; shaped like the Cognito identity id the 2015 app used (46 characters). */
  deviceId: string;
  /** File name, or `synthetic-<n>`. */
  source: string;
  /** Samples in strictly increasing `t` (same-`t` repeats removed, see {@link Corpus.droppedRepeats}). */
  samples: Sample[];
}

/** The data a run measures: real recordings or synthetic devices. */
export interface Corpus {
  /** `recordings` (CSV files) or `synthetic`. */
  kind: 'recordings' | 'synthetic';
  /** One line for people, e.g. the folder or the synthetic model and rate. */
  description: string;
  devices: Device[];
  /** Samples over all devices. */
  samples: number;
  /**
   * Device-seconds with data: per device, the UTC seconds holding at least one sample, summed.
   * Every "per device-second" figure divides by this, so gaps between recordings cost nothing.
   */
  deviceSeconds: number;
  /** Mean sample rate over the device-seconds with data, in Hz. */
  meanRateHz: number;
  /** Samples dropped while loading because an earlier sample had the same `t`. */
  droppedRepeats: number;
}

/** The bundled ~60 s clip of a real 50 Hz Wear OS recording (CC BY 4.0, see data/README.md). */
export const BUNDLED_DATA_PATH: string = fileURLToPath(
  new URL('../data/wearos_tug_s02_50hz_60s.csv', import.meta.url),
);

/** How reports name the bundled clip. */
export const BUNDLED_DATA_DESCRIPTION =
  'bundled 60 s clip of a real 50 Hz Wear OS recording (GeoTecINIT/sp-sw-har-dataset s02, CC BY 4.0; data/README.md)';

/**
 * A stable, Cognito-identity-shaped device id (`us-east-1:` + a UUID) derived from a name, so runs are
 * reproducible and every layout pays for the same realistic key length.
 */
export function deviceIdFor(name: string): string {
  const h = createHash('sha1').update(name).digest('hex');
  return `us-east-1:${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Parses `t_ms,x,y,z` CSV text (an optional header line, blank lines ignored).
 * @param text CSV content; `t_ms` in integer epoch ms, `x,y,z` in g.
 * @param file Name used in error messages.
 * @returns samples in file order.
 * @throws {DataError} when a line does not hold four finite numbers or `t_ms` is not a non-negative integer.
 * @example parseCsv('t_ms,x,y,z\n1000,0,0,1\n', 'a.csv') // [{ t: 1000, x: 0, y: 0, z: 1 }]
 */
export function parseCsv(text: string, file: string): Sample[] {
  const samples: Sample[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]?.trim() ?? '';
    if (line === '' || (i === 0 && /^[a-z_]/i.test(line))) continue;
    const parts = line.split(',');
    const [t, x, y, z] = parts.map(Number);
    if (parts.length !== 4 || t === undefined || x === undefined || y === undefined || z === undefined) {
      throw new DataError(file, i + 1, `${file}:${i + 1}: expected 4 comma-separated numbers (t_ms,x,y,z)`);
    }
    if (!Number.isInteger(t) || t < 0 || ![x, y, z].every(Number.isFinite)) {
      throw new DataError(
        file,
        i + 1,
        `${file}:${i + 1}: t_ms must be an integer >= 0 and x,y,z finite numbers`,
      );
    }
    samples.push({ t, x, y, z });
  }
  if (samples.length === 0) throw new DataError(file, 0, `${file}: no samples`);
  return samples;
}

/**
 * Sorts by time and keeps the first sample of each `t`, so every layout (including ones keyed by the
 * millisecond) can hold the same series and round-trip it exactly.
 */
export function cleanSeries(samples: readonly Sample[]): { samples: Sample[]; dropped: number } {
  const sorted = [...samples].sort((a, b) => a.t - b.t);
  const out: Sample[] = [];
  for (const s of sorted) {
    if (out.length > 0 && out[out.length - 1]!.t === s.t) continue;
    out.push(s);
  }
  return { samples: out, dropped: sorted.length - out.length };
}

/** Number of distinct UTC seconds holding at least one sample. */
export function occupiedSeconds(samples: readonly Sample[]): number {
  const seconds = new Set<number>();
  for (const s of samples) seconds.add(Math.floor(s.t / 1000));
  return seconds.size;
}

/** Builds a corpus from devices already in memory (recordings or synthetic). */
export function makeCorpus(
  kind: Corpus['kind'],
  description: string,
  devices: Device[],
  droppedRepeats = 0,
): Corpus {
  const samples = devices.reduce((n, d) => n + d.samples.length, 0);
  const deviceSeconds = devices.reduce((n, d) => n + occupiedSeconds(d.samples), 0);
  return {
    kind,
    description,
    devices,
    samples,
    deviceSeconds,
    meanRateHz: deviceSeconds > 0 ? samples / deviceSeconds : 0,
    droppedRepeats,
  };
}

function csvFiles(path: string): string[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    throw new DataError(path, 0, `${path}: ${(error as Error).message}`);
  }
  if (!isDirectory) return [path];
  const files = readdirSync(path)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((f) => join(path, f));
  if (files.length === 0) throw new DataError(path, 0, `${path}: no .csv files`);
  return files;
}

/**
 * Loads CSV files; each file is one device.
 * @param paths One or more files or folders (every `*.csv` in a folder, sorted by name).
 * @param description What to call the data in reports; default the paths.
 * @throws {DataError} when a path is missing, a folder holds no CSV file, or a file is malformed.
 * @example loadRecordings(['../shared/data/accel']).devices.length // 5
 */
export function loadRecordings(paths: string | readonly string[], description?: string): Corpus {
  const list = typeof paths === 'string' ? [paths] : paths;
  const files = list.flatMap(csvFiles);
  const path = description ?? list.join(', ');
  let dropped = 0;
  const devices = files.map((file): Device => {
    const name = basename(file);
    const clean = cleanSeries(parseCsv(readFileSync(file, 'utf8'), name));
    dropped += clean.dropped;
    return { deviceId: deviceIdFor(name), source: name, samples: clean.samples };
  });
  return makeCorpus('recordings', path, devices, dropped);
}
