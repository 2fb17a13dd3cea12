import type { Sample } from '@secondrow/codec';
import type { GapInjector } from './faults.js';
import type { GroundTruth } from './ground-truth.js';
import { DEFAULT_RESOLUTION_G, toCodecGrid } from './quantize.js';
import type { SampleSource } from './sample-source.js';

/** Samples per watch-to-phone batch in the 2015 app. */
export const WATCH_BATCH_SIZE = 200;

/** One batch the watch hands to the phone. */
export interface WatchBatch {
  deviceId: string;
  /** 0-based sequence number of the batch on this watch. */
  seq: number;
  /** The samples, times as the watch stamped them (its clock skew included), values on the codec grid. */
  samples: Sample[];
  /** True (simulated) time the batch reached the phone, epoch ms: when its last sample was taken. */
  handedAtMs: number;
}

/** Options of {@link Watch}. */
export interface WatchOptions {
  deviceId: string;
  source: SampleSource;
  /** End of the recording on the true clock, epoch ms (exclusive). */
  endMs: number;
  /** Offset of the watch's clock from true time, ms; added to every stamp. Default 0. */
  skewMs?: number;
  /** Samples per batch. Default {@link WATCH_BATCH_SIZE}. */
  batchSize?: number;
  /** Codec resolution, g: the grid values are moved to. Default 0.001. */
  resolution?: number;
  /** Drops samples (the gap fault). Default none. */
  gaps?: GapInjector;
  /** Receives every sample the watch records. */
  truth?: GroundTruth;
}

/**
 * The watch's sensor recorder: pulls readings from its source as simulated time passes, loses the
 * ones the gap fault drops, stamps the rest with its own (possibly skewed) clock and hands them to
 * the phone in batches of 200 as soon as a batch is full, so batch boundaries fall anywhere
 * within a second.
 */
export class Watch {
  readonly deviceId: string;
  readonly #source: SampleSource;
  readonly #endMs: number;
  readonly #skewMs: number;
  readonly #batchSize: number;
  readonly #resolution: number;
  readonly #gaps: GapInjector | undefined;
  readonly #truth: GroundTruth | undefined;
  #lookahead: Sample;
  #current: Sample[] = [];
  #seq = 0;
  /** Samples recorded (not dropped) so far. */
  recorded = 0;

  constructor(options: WatchOptions) {
    this.deviceId = options.deviceId;
    this.#source = options.source;
    this.#endMs = options.endMs;
    this.#skewMs = options.skewMs ?? 0;
    this.#batchSize = options.batchSize ?? WATCH_BATCH_SIZE;
    this.#resolution = options.resolution ?? DEFAULT_RESOLUTION_G;
    this.#gaps = options.gaps;
    this.#truth = options.truth;
    this.#lookahead = this.#source.next();
    this.#truth?.addDevice(this.deviceId);
  }

  /** Nominal interval of the source, ms. */
  get nominalPeriodMs(): number {
    return this.#source.nominalPeriodMs;
  }

  /** Records every reading taken up to true time `nowMs` (inclusive) and returns the batches completed. */
  advanceTo(nowMs: number): WatchBatch[] {
    const batches: WatchBatch[] = [];
    const until = Math.min(nowMs, this.#endMs - 1);
    while (this.#lookahead.t <= until) {
      const reading = this.#lookahead;
      this.#lookahead = this.#source.next();
      if (this.#gaps?.drop()) {
        this.#truth?.recordDropped(this.deviceId, reading.t + this.#skewMs);
        continue;
      }
      const sample: Sample = {
        t: reading.t + this.#skewMs,
        x: toCodecGrid(reading.x, this.#resolution),
        y: toCodecGrid(reading.y, this.#resolution),
        z: toCodecGrid(reading.z, this.#resolution),
      };
      this.#truth?.record(this.deviceId, sample);
      this.recorded++;
      this.#current.push(sample);
      if (this.#current.length === this.#batchSize) batches.push(this.#hand(reading.t));
    }
    return batches;
  }

  /** Records the rest of the run and hands over every remaining sample, the last batch possibly short. */
  finish(): WatchBatch[] {
    const batches = this.advanceTo(this.#endMs - 1);
    if (this.#current.length > 0) batches.push(this.#hand(this.#endMs - 1));
    return batches;
  }

  #hand(atMs: number): WatchBatch {
    const batch: WatchBatch = {
      deviceId: this.deviceId,
      seq: this.#seq++,
      samples: this.#current,
      handedAtMs: atMs,
    };
    this.#current = [];
    return batch;
  }
}
