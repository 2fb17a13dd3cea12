import type { Sample } from '@secondrow/codec';
import { DEFAULT_RESOLUTION_G, toSteps } from './quantize.js';

/** The samples one device produced, kept column-wise (times and integer steps) to stay small. */
interface DeviceTruth {
  t: number[];
  x: number[];
  y: number[];
  z: number[];
  sorted: boolean;
  /** Times of the samples the gap fault dropped (never sent). */
  dropped: number[];
}

/**
 * Every sample the simulated devices produced and sent, after quantization to the codec grid, so a
 * table can be compared with it exactly. Dropped samples are never recorded; a sample sent twice is
 * recorded once (it was produced once).
 */
export class GroundTruth {
  /** Codec resolution, g: values are compared as integer multiples of it. */
  readonly resolution: number;
  readonly #devices = new Map<string, DeviceTruth>();
  #produced = 0;

  constructor(resolution: number = DEFAULT_RESOLUTION_G) {
    this.resolution = resolution;
  }

  /** Registers a device so it is verified even if it produced nothing. */
  addDevice(deviceId: string): void {
    if (!this.#devices.has(deviceId))
      this.#devices.set(deviceId, { t: [], x: [], y: [], z: [], sorted: true, dropped: [] });
  }

  /** Records one produced sample of `deviceId` (its time as the device stamped it). */
  record(deviceId: string, sample: Sample): void {
    this.addDevice(deviceId);
    const d = this.#devices.get(deviceId) as DeviceTruth;
    const last = d.t[d.t.length - 1];
    if (last !== undefined && sample.t <= last) d.sorted = false;
    d.t.push(sample.t);
    d.x.push(toSteps(sample.x, this.resolution));
    d.y.push(toSteps(sample.y, this.resolution));
    d.z.push(toSteps(sample.z, this.resolution));
    this.#produced++;
  }

  /** Notes a sample the watch lost (its stamped time): not in the truth, but it marks a gap. */
  recordDropped(deviceId: string, t: number): void {
    this.addDevice(deviceId);
    (this.#devices.get(deviceId) as DeviceTruth).dropped.push(t);
  }

  /** Times of the samples `deviceId` dropped, in order. */
  droppedTimes(deviceId: string): number[] {
    return [...(this.#devices.get(deviceId)?.dropped ?? [])].sort((a, b) => a - b);
  }

  /** Samples recorded, all devices. */
  get produced(): number {
    return this.#produced;
  }

  /** Ids of every device, in registration order. */
  deviceIds(): string[] {
    return [...this.#devices.keys()];
  }

  /** Samples of one device as `[t, xSteps, ySteps, zSteps]`, in time order, one per distinct time. */
  steps(deviceId: string): [number, number, number, number][] {
    const d = this.#devices.get(deviceId);
    if (d === undefined) return [];
    const rows = d.t.map((t, i) => [t, d.x[i], d.y[i], d.z[i]] as [number, number, number, number]);
    if (!d.sorted) rows.sort((a, b) => a[0] - b[0]);
    return rows.filter((row, i) => i === 0 || row[0] !== (rows[i - 1] as number[])[0]);
  }

  /** Distinct `(device, t)` pairs produced. */
  get distinct(): number {
    let n = 0;
    for (const id of this.#devices.keys()) n += this.steps(id).length;
    return n;
  }

  /** First and last sample time of `deviceId`, epoch ms, or undefined when it produced nothing. */
  range(deviceId: string): { fromMs: number; toMs: number } | undefined {
    const d = this.#devices.get(deviceId);
    if (d === undefined || d.t.length === 0) return undefined;
    let fromMs = Number.POSITIVE_INFINITY;
    let toMs = Number.NEGATIVE_INFINITY;
    for (const t of d.t) {
      if (t < fromMs) fromMs = t;
      if (t > toMs) toMs = t;
    }
    return { fromMs, toMs };
  }
}

/** Outcome of {@link verify}. */
export interface Verification {
  /** Devices in the ground truth. */
  devices: number;
  /** Samples produced (and sent at least once). */
  produced: number;
  /** Distinct `(device, t)` among them. */
  distinct: number;
  /** Samples read back from the table. */
  stored: number;
  /** Produced samples found in the table with exactly the produced values. */
  matched: number;
  /** Produced samples missing from the table. */
  lost: number;
  /** Stored samples that were never produced, or stored more than once. */
  duplicated: number;
  /** Produced times found in the table with different values. */
  wrongValues: number;
  /** True when nothing is lost, duplicated or wrong. */
  ok: boolean;
  /** Up to 10 descriptions of problems, for the report. */
  problems: string[];
}

/**
 * Compares what a table holds with what was produced. `stored` maps a device id to the samples read
 * back for it (any order; devices absent from the map stored nothing). Values compare as integer
 * multiples of the truth's resolution, so the comparison is exact.
 *
 * @example verify(new Map([[id, samplesReadBack]]), truth).ok
 */
export function verify(stored: ReadonlyMap<string, readonly Sample[]>, truth: GroundTruth): Verification {
  const res = truth.resolution;
  const result: Verification = {
    devices: truth.deviceIds().length,
    produced: truth.produced,
    distinct: 0,
    stored: 0,
    matched: 0,
    lost: 0,
    duplicated: 0,
    wrongValues: 0,
    ok: false,
    problems: [],
  };
  const note = (text: string): void => {
    if (result.problems.length < 10) result.problems.push(text);
  };
  const ids = new Set([...truth.deviceIds(), ...stored.keys()]);
  for (const id of ids) {
    const expected = truth.steps(id);
    result.distinct += expected.length;
    const got = [...(stored.get(id) ?? [])].sort((a, b) => a.t - b.t);
    result.stored += got.length;
    let i = 0;
    let j = 0;
    while (i < expected.length || j < got.length) {
      const e = expected[i];
      const g = got[j];
      if (g !== undefined && j > 0 && (got[j - 1] as Sample).t === g.t) {
        result.duplicated++;
        note(`${id}: t=${g.t} stored twice`);
        j++;
      } else if (e !== undefined && (g === undefined || e[0] < g.t)) {
        result.lost++;
        note(`${id}: t=${e[0]} lost`);
        i++;
      } else if (g !== undefined && (e === undefined || g.t < e[0])) {
        result.duplicated++;
        note(`${id}: t=${g.t} stored but never produced`);
        j++;
      } else if (e !== undefined && g !== undefined) {
        if (toSteps(g.x, res) === e[1] && toSteps(g.y, res) === e[2] && toSteps(g.z, res) === e[3]) {
          result.matched++;
        } else {
          result.wrongValues++;
          note(`${id}: t=${g.t} stored with different values`);
        }
        i++;
        j++;
      }
    }
  }
  result.ok = result.lost === 0 && result.duplicated === 0 && result.wrongValues === 0;
  return result;
}

/**
 * Gaps a reader of the table sees in one device's data: maximal runs of consecutive source samples
 * (produced or dropped, in time order) that are absent from `storedTimes`. With nothing lost this
 * equals the gaps the fault injected; a lost sample shows up as an extra gap. Natural gaps of a
 * replayed recording are not counted: they are not source samples.
 */
export function findGaps(
  storedTimes: ReadonlySet<number>,
  truth: GroundTruth,
  deviceId: string,
): { gaps: number; missingSamples: number } {
  const produced = truth.steps(deviceId).map((s) => s[0]);
  const dropped = truth.droppedTimes(deviceId);
  let gaps = 0;
  let missingSamples = 0;
  let inGap = false;
  let i = 0;
  let j = 0;
  while (i < produced.length || j < dropped.length) {
    const p = produced[i];
    const d = dropped[j];
    let t: number;
    if (d === undefined || (p !== undefined && p < d)) {
      t = p as number;
      i++;
    } else {
      t = d;
      j++;
    }
    if (storedTimes.has(t)) {
      inGap = false;
    } else {
      missingSamples++;
      if (!inGap) gaps++;
      inGap = true;
    }
  }
  return { gaps, missingSamples };
}
