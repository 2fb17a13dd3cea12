import type { Sample } from '@secondrow/codec';
import type { Prng } from '@secondrow/devkit';
import { BUNDLED_CLIP_PATH, createCsvReplaySource, loadAccelCsv } from './csv-source.js';
import { InvalidSimulatorOptionError } from './errors.js';
import { createMotionSource, MOTION_ACTIVITIES, type MotionActivity } from './motion-model.js';
import type { SampleSource } from './sample-source.js';

/**
 * Where devices' readings come from:
 * - `{ kind: 'csv', path }`: replay of a `t_ms,x,y,z` file (default: the bundled 60 s Wear OS clip);
 * - `{ kind: 'synthetic', activity }`: the motion model;
 * - `{ kind: 'mix' }`: devices take turns: bundled clip, walk, rest, run.
 */
export type SourceSpec =
  | { kind: 'csv'; path?: string }
  | { kind: 'synthetic'; activity: MotionActivity }
  | { kind: 'mix' };

/**
 * Parses `mix`, `csv` (the bundled clip), `csv:<path>`, a path ending in `.csv`, or
 * `synthetic:<rest|walk|run>`.
 *
 * @throws {InvalidSimulatorOptionError} on anything else.
 */
export function parseSourceSpec(text: string): SourceSpec {
  if (text === 'mix') return { kind: 'mix' };
  if (text === 'csv') return { kind: 'csv' };
  if (text.startsWith('csv:')) return { kind: 'csv', path: text.slice(4) };
  if (text.endsWith('.csv')) return { kind: 'csv', path: text };
  if (text.startsWith('synthetic:')) {
    const activity = text.slice('synthetic:'.length);
    if ((MOTION_ACTIVITIES as readonly string[]).includes(activity)) {
      return { kind: 'synthetic', activity: activity as MotionActivity };
    }
  }
  throw new InvalidSimulatorOptionError(
    'source',
    `source must be mix, csv, csv:<path>, <path>.csv or synthetic:${MOTION_ACTIVITIES.join('|')}; got ${text}`,
  );
}

/** Text form of a {@link SourceSpec} (inverse of {@link parseSourceSpec}). */
export function formatSourceSpec(spec: SourceSpec): string {
  if (spec.kind === 'mix') return 'mix';
  if (spec.kind === 'synthetic') return `synthetic:${spec.activity}`;
  return spec.path === undefined ? 'csv' : `csv:${spec.path}`;
}

/** Builds device sources for one run, loading each CSV file once. */
export class SourceFactory {
  readonly #spec: SourceSpec;
  readonly #rateHz: number;
  readonly #clips = new Map<string, Sample[]>();

  constructor(spec: SourceSpec, rateHz: number) {
    this.#spec = spec;
    this.#rateHz = rateHz;
  }

  /**
   * The source of device `index`, its first reading at `startMs`.
   *
   * @throws {CsvFormatError} when a CSV file is malformed.
   */
  create(index: number, startMs: number, prng: Prng): SampleSource {
    const resolved = this.#spec.kind === 'mix' ? mixSpec(index) : this.#spec;
    if (resolved.kind === 'synthetic') {
      return createMotionSource({ activity: resolved.activity, rateHz: this.#rateHz, startMs, prng });
    }
    const path = resolved.kind === 'csv' && resolved.path !== undefined ? resolved.path : BUNDLED_CLIP_PATH;
    let clip = this.#clips.get(path);
    if (clip === undefined) {
      clip = loadAccelCsv(path);
      this.#clips.set(path, clip);
    }
    const label = path === BUNDLED_CLIP_PATH ? 'csv:bundled' : `csv:${path}`;
    return createCsvReplaySource({ clip, startMs, startIndex: prng.int(0, clip.length - 1), label });
  }
}

/** Device `index` of a mixed run: bundled clip, walk, rest, run, in turn. */
function mixSpec(index: number): SourceSpec {
  switch (index % 4) {
    case 0:
      return { kind: 'csv' };
    case 1:
      return { kind: 'synthetic', activity: 'walk' };
    case 2:
      return { kind: 'synthetic', activity: 'rest' };
    default:
      return { kind: 'synthetic', activity: 'run' };
  }
}
