import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Sample } from '@secondrow/codec';
import {
  RecordingFormatError,
  RecordingNotFoundError,
  readRecording,
  recordingFiles,
} from '@secondrow/devkit';
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

/** What a report says of the data it measured (the JSON's `data`, without the samples). */
export interface CorpusSummary {
  kind: Corpus['kind'];
  description: string;
  /** Devices in the corpus. */
  devices: number;
  samples: number;
  deviceSeconds: number;
  meanRateHz: number;
}

/** The summary of `corpus` every report prints. */
export function summarizeCorpus(corpus: Corpus): CorpusSummary {
  return {
    kind: corpus.kind,
    description: corpus.description,
    devices: corpus.devices.length,
    samples: corpus.samples,
    deviceSeconds: corpus.deviceSeconds,
    meanRateHz: corpus.meanRateHz,
  };
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

/**
 * Loads CSV files; each file is one device.
 * @param paths One or more files or folders (every `*.csv` in a folder, sorted by name).
 * @param description What to call the data in reports; default the paths.
 * @throws {DataError} when a path is missing, a folder holds no CSV file, or a file is malformed (names file and
 *   line; the devkit's error is its `cause`).
 * @example loadRecordings([recordingsDir()]).devices.length // 5
 */
export function loadRecordings(paths: string | readonly string[], description?: string): Corpus {
  const list = typeof paths === 'string' ? [paths] : paths;
  const files = list.flatMap((item) => asDataError(() => recordingFiles(item)));
  const path = description ?? list.join(', ');
  let dropped = 0;
  const devices = files.map((file): Device => {
    const { name, samples } = asDataError(() => readRecording(file));
    const clean = cleanSeries(samples);
    dropped += clean.dropped;
    return { deviceId: deviceIdFor(name), source: name, samples: clean.samples };
  });
  return makeCorpus('recordings', path, devices, dropped);
}

/** Runs a devkit read, reporting its recording errors as the bench's {@link DataError}, which the CLI maps to its exit status. */
function asDataError<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof RecordingFormatError) {
      throw new DataError(error.file, error.line, error.message, { cause: error });
    }
    if (error instanceof RecordingNotFoundError) {
      throw new DataError(error.path, 0, error.message, { cause: error });
    }
    throw error;
  }
}
