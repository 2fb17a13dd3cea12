import { FlagError, type Prng, parseNumberFlag } from '@secondrow/devkit';
import { InvalidSimulatorOptionError } from './errors.js';

/**
 * Rate of each injected fault, each a probability in [0, 1] per the unit named below.
 */
export interface FaultRates {
  /** Per record sent: the PutRecords reply is lost, so the phone sends the same record again in its next flush. */
  duplicate: number;
  /** Per sample: a gap starts here (1 to `maxGapSamples` samples are never recorded). */
  drop: number;
  /** Per record of a flush: it swaps places with the next record, so it reaches Kinesis out of order. */
  reorder: number;
  /** Per device: its clock is offset by up to ±`maxSkewMs` (the data keeps the device's stamps). */
  skew: number;
  /** Per phone: it goes offline once for a while, then flushes its whole backlog. */
  offline: number;
}

/** Names of the faults, in report order. */
export const FAULT_NAMES: readonly (keyof FaultRates)[] = ['duplicate', 'drop', 'reorder', 'skew', 'offline'];

/** No fault at all. */
export const NO_FAULTS: Readonly<FaultRates> = { duplicate: 0, drop: 0, reorder: 0, skew: 0, offline: 0 };

/**
 * Modest rates that make every fault happen in the default demo (20 devices × 120 s at 50 Hz):
 * about 15 resent records, 60 gaps, 15 swaps, 6 skewed clocks and 3 phones offline.
 */
export const DEFAULT_FAULT_RATES: Readonly<FaultRates> = {
  duplicate: 0.02,
  drop: 0.0005,
  reorder: 0.02,
  skew: 0.3,
  offline: 0.15,
};

/** Sizes of the faults (how long a gap, how large a skew, how long offline). */
export interface FaultShape {
  /** Longest injected gap, samples. Default 50 (1 s at 50 Hz). */
  maxGapSamples: number;
  /** Largest clock offset, ms (either sign). Default 30,000. */
  maxSkewMs: number;
  /** Shortest and longest offline period, simulated ms. Default 30 to 75 s. */
  offlineMs: readonly [number, number];
}

/** Default {@link FaultShape}. */
export const DEFAULT_FAULT_SHAPE: Readonly<FaultShape> = {
  maxGapSamples: 50,
  maxSkewMs: 30_000,
  offlineMs: [30_000, 75_000],
};

/** How many faults of each kind a run actually injected. */
export interface InjectedFaults {
  /** Records sent again after a lost reply. */
  duplicatedRecords: number;
  /** Samples in those records. */
  duplicatedSamples: number;
  /** Gaps (runs of dropped samples). */
  gaps: number;
  /** Samples never recorded. */
  droppedSamples: number;
  /** Swaps of adjacent records within a flush. */
  reorderedRecords: number;
  /** Devices whose clock is offset. */
  skewedDevices: number;
  /** Phones that went offline. */
  offlinePhones: number;
  /** Flushes skipped because the phone was offline. */
  skippedFlushes: number;
}

/** An {@link InjectedFaults} with every count 0. */
export function noInjectedFaults(): InjectedFaults {
  return {
    duplicatedRecords: 0,
    duplicatedSamples: 0,
    gaps: 0,
    droppedSamples: 0,
    reorderedRecords: 0,
    skewedDevices: 0,
    offlinePhones: 0,
    skippedFlushes: 0,
  };
}

/**
 * Parses fault rates from text: `none`, `default`, `all=0.01`, or a comma list such as
 * `duplicate=0.05,drop=0.001`; unnamed faults keep the default rate (or 0 after `none`).
 *
 * @example parseFaultRates('none,duplicate=0.1') // only duplicates, 10 % of records
 * @throws {InvalidSimulatorOptionError} on an unknown fault name or a rate outside [0, 1].
 */
export function parseFaultRates(text: string): FaultRates {
  const rates: FaultRates = { ...DEFAULT_FAULT_RATES };
  for (const part of text.split(',').map((p) => p.trim())) {
    if (part === '' || part === 'default') continue;
    if (part === 'none') {
      Object.assign(rates, NO_FAULTS);
      continue;
    }
    const [name, value, ...extra] = part.split('=');
    if (value === undefined || extra.length > 0) {
      throw new InvalidSimulatorOptionError('faults', `fault rate must be given as name=rate: ${part}`);
    }
    const rate = parseRate(name ?? '', value, part);
    if (name === 'all') {
      for (const fault of FAULT_NAMES) rates[fault] = rate;
    } else if ((FAULT_NAMES as readonly string[]).includes(name ?? '')) {
      rates[name as keyof FaultRates] = rate;
    } else {
      throw new InvalidSimulatorOptionError(
        'faults',
        `unknown fault ${String(name)}; use ${FAULT_NAMES.join(', ')}, all, none`,
      );
    }
  }
  return rates;
}

/** A fault rate read as strictly as a number flag (no empty text, hex or trailing garbage), in [0, 1]. */
function parseRate(name: string, value: string, part: string): number {
  try {
    return parseNumberFlag(name, value, { min: 0, max: 1 });
  } catch (error) {
    if (!(error instanceof FlagError)) throw error;
    throw new InvalidSimulatorOptionError('faults', `fault rate must be a number in [0, 1]: ${part}`, {
      cause: error,
    });
  }
}

/** Clock offset of one device, integer ms: 0 unless the skew fault hits (probability `rate`). */
export function drawClockSkewMs(prng: Prng, rate: number, maxSkewMs: number): number {
  if (!prng.chance(rate)) return 0;
  const magnitude = prng.int(Math.min(1000, maxSkewMs), maxSkewMs);
  return prng.chance(0.5) ? magnitude : -magnitude;
}

/** A period during which a phone has no network, simulated epoch ms `[fromMs, toMs)`. */
export interface OfflineWindow {
  fromMs: number;
  toMs: number;
}

/**
 * The offline period of one phone, or `undefined` unless the offline fault hits (probability
 * `rate`). It starts in the first half of the run and always ends before the run does, so the
 * backlog is flushed while the run lasts.
 */
export function drawOfflineWindow(
  prng: Prng,
  rate: number,
  startMs: number,
  durationMs: number,
  lengthMs: readonly [number, number],
): OfflineWindow | undefined {
  if (!prng.chance(rate)) return undefined;
  const fromMs = startMs + Math.floor(prng.uniform(0, 0.5) * durationMs);
  const toMs = Math.min(fromMs + prng.int(lengthMs[0], lengthMs[1]), startMs + durationMs - 1);
  return toMs > fromMs ? { fromMs, toMs } : undefined;
}

/**
 * Decides, sample by sample, whether the watch loses it: a gap starts with probability `rate` and
 * then lasts 1 to `maxGapSamples` samples.
 */
export class GapInjector {
  readonly #prng: Prng;
  readonly #rate: number;
  readonly #maxGapSamples: number;
  #remaining = 0;
  #justEnded = false;
  /** Gaps started so far. */
  gaps = 0;
  /** Samples dropped so far. */
  dropped = 0;

  constructor(prng: Prng, rate: number, maxGapSamples: number) {
    this.#prng = prng;
    this.#rate = rate;
    this.#maxGapSamples = Math.max(1, maxGapSamples);
  }

  /** True when the next sample is lost. At least one sample is kept between two gaps, so gaps stay countable. */
  drop(): boolean {
    if (this.#remaining === 0) {
      if (this.#justEnded || !this.#prng.chance(this.#rate)) {
        this.#justEnded = false;
        return false;
      }
      this.#remaining = this.#prng.int(1, this.#maxGapSamples);
      this.gaps++;
    }
    this.#remaining--;
    this.dropped++;
    if (this.#remaining === 0) this.#justEnded = true;
    return true;
  }
}

/**
 * Reorders `items` in place: each item, with probability `rate`, swaps with the one after it
 * (a swapped item is not swapped again in the same pass). Returns the number of swaps.
 */
export function reorderInPlace<T>(items: T[], rate: number, prng: Prng): number {
  let swaps = 0;
  for (let i = 0; i + 1 < items.length; i++) {
    if (!prng.chance(rate)) continue;
    const a = items[i] as T;
    items[i] = items[i + 1] as T;
    items[i + 1] = a;
    swaps++;
    i++;
  }
  return swaps;
}
