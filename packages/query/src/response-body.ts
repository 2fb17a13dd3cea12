import { encodeCursor } from './cursor.js';
import type { LatenessFigures } from './lateness.js';
import type { QualitySummary } from './quality.js';
import type { QualityResult, QualityStep, QualityStepsResult } from './quality-steps.js';
import type { QueryMode, SamplesQuery, SamplesResult } from './query-samples.js';
import type { DeviceInfo } from './source.js';

/**
 * Version of the JSON bodies; a breaking change of their shape gets a new one. 2: the envelope body no
 * longer carries `t` (bucket `i` starts at `from + i * bucketMs`), and `quality.latenessMs` is measured.
 */
export const BODY_VERSION = 2;

/** Step envelope values are rounded to in JSON, g: the store's default resolution (1 mg). */
export const ENVELOPE_STEP_G = 0.001;

/** What every {@link SamplesBody} holds. */
export interface SamplesBodyBase {
  version: 2;
  deviceId: string;
  /** Start of the span this body covers, epoch ms (the cursor's resume time for a continued raw response). */
  from: number;
  /** End of the span this body covers, epoch ms, exclusive (the next page's start when `nextCursor` is set). */
  to: number;
  /** The mode asked for (`auto` resolves to `mode`). */
  requestedMode: QueryMode;
  /** Holes of the covered span: `[startMs, endMs)` pairs, epoch ms; draw nothing there. */
  gaps: Array<[number, number]>;
  /** True when there were more holes than the response lists (10,000). */
  gapsTruncated: boolean;
  /** Nominal interval the gaps were found with, ms; null with fewer than two distinct sample times. */
  intervalMs: number | null;
  /** Counts and row delays of the covered span; `duplicates` and `conflicts` are null: the table does not keep them. */
  quality: QualitySummary;
  /** Read units the store reported for this response. */
  consumedReadUnits: number;
  /** Present when a raw response was cut: pass it back as `cursor` for the rest of the range. */
  nextCursor?: string;
  /** Present when the request set `qualityStep`: the range's per-step quality, from the same read. */
  qualitySteps?: QualityStepsBody;
}

/** `mode: 'raw'`: the samples, as parallel arrays (t in epoch ms; x, y, z in g as stored). */
export interface RawBody extends SamplesBodyBase {
  mode: 'raw';
  t: number[];
  x: number[];
  y: number[];
  z: number[];
}

/**
 * `mode: 'envelope'`: one entry per bucket; bucket `i` is `[from + i * bucketMs, from + (i + 1) * bucketMs)`
 * (epoch ms; the times are not listed, which keeps a 1,600-point day under 100 KB). Min/max are in g,
 * rounded outward to {@link ENVELOPE_STEP_G} (values already on that grid stay exact), so every sample
 * lies within its bucket's range. An empty bucket has `count` 0 and `null` in every min/max.
 */
export interface EnvelopeBody extends SamplesBodyBase {
  mode: 'envelope';
  bucketMs: number;
  xMin: Array<number | null>;
  xMax: Array<number | null>;
  yMin: Array<number | null>;
  yMax: Array<number | null>;
  zMin: Array<number | null>;
  zMax: Array<number | null>;
  magMin: Array<number | null>;
  magMax: Array<number | null>;
  count: number[];
}

/** Body of `GET /api/devices/{deviceId}/samples`. */
export type SamplesBody = RawBody | EnvelopeBody;

/** Body of `GET /api/devices`: every device with its first/last data time, epoch ms. */
export interface DevicesBody {
  version: 2;
  devices: DeviceInfo[];
}

/** Body of every 4xx/5xx: a stable `code` (see `QueryErrorCode`), a message, and the request id. */
export interface ErrorBody {
  code: string;
  message: string;
  /** The parameter at fault, for a 400. */
  parameter?: string;
  requestId: string;
}

/** Snaps to the grid when within this many steps of it: stored values are multiples of the step up to float error. */
const SNAP = 1e-6;

function roundOutward(values: Float64Array, down: boolean): Array<number | null> {
  const out = new Array<number | null>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) {
      out[i] = null;
      continue;
    }
    const k = v / ENVELOPE_STEP_G;
    const nearest = Math.round(k);
    const steps = Math.abs(k - nearest) < SNAP ? nearest : down ? Math.floor(k) : Math.ceil(k);
    // Division by a power of ten gives the double nearest the decimal, which JSON prints short.
    out[i] = steps / 1000;
  }
  return out;
}

/** The versioned JSON body of a samples result; `nextCursor` encodes where a cut raw response continues. */
export function samplesBody(query: SamplesQuery, result: SamplesResult): SamplesBody {
  const base: SamplesBodyBase = {
    version: BODY_VERSION,
    deviceId: result.deviceId,
    from: result.fromMs,
    to: result.toMs,
    requestedMode: query.mode,
    gaps: result.gaps.ranges,
    gapsTruncated: result.gaps.truncated,
    intervalMs: result.gaps.intervalMs ?? null,
    quality: result.quality,
    consumedReadUnits: result.readUnits,
    ...(result.nextMs === undefined
      ? {}
      : {
          nextCursor: encodeCursor({
            deviceId: query.deviceId,
            fromMs: query.fromMs,
            toMs: query.toMs,
            resumeMs: result.nextMs,
          }),
        }),
    ...(result.qualitySteps === undefined ? {} : { qualitySteps: qualityStepsBody(result.qualitySteps) }),
  };
  if (result.mode === 'raw') {
    return {
      ...base,
      mode: 'raw',
      t: Array.from(result.t),
      x: Array.from(result.x),
      y: Array.from(result.y),
      z: Array.from(result.z),
    };
  }
  const env = result.envelope;
  return {
    ...base,
    mode: 'envelope',
    bucketMs: env.bucketMs,
    xMin: roundOutward(env.xMin, true),
    xMax: roundOutward(env.xMax, false),
    yMin: roundOutward(env.yMin, true),
    yMax: roundOutward(env.yMax, false),
    zMin: roundOutward(env.zMin, true),
    zMax: roundOutward(env.zMax, false),
    magMin: roundOutward(env.magMin, true),
    magMax: roundOutward(env.magMax, false),
    count: Array.from(env.count),
  };
}

/** One step of a {@link QualityBody}; times epoch ms, delays ms. */
export interface QualityStepBody extends LatenessFigures {
  from: number;
  to: number;
  coverage: number;
  secondsWithData: number;
  seconds: number;
  samples: number;
  rows: number;
  gaps: { count: number; totalMs: number; longestMs: number };
}

/** Per-step quality of a range: the quality route's body, and a samples body's `qualitySteps`. */
export interface QualityStepsBody {
  /** Step length, s. */
  step: number;
  /** Nominal interval the gaps were found with, ms; null with fewer than two distinct sample times. */
  intervalMs: number | null;
  /** More gaps than 10,000: later steps under-count theirs. */
  gapsTruncated: boolean;
  /** Row delays over the whole range. */
  total: LatenessFigures;
  steps: QualityStepBody[];
}

/** Body of `GET /api/devices/{deviceId}/quality`. */
export interface QualityBody extends QualityStepsBody {
  version: 2;
  deviceId: string;
  from: number;
  to: number;
  consumedReadUnits: number;
}

function qualityStepsBody(result: QualityStepsResult): QualityStepsBody {
  return {
    step: result.stepMs / 1000,
    intervalMs: result.intervalMs ?? null,
    gapsTruncated: result.gapsTruncated,
    total: result.total,
    steps: result.steps.map(
      ({ fromMs, toMs, ...rest }: QualityStep): QualityStepBody => ({ from: fromMs, to: toMs, ...rest }),
    ),
  };
}

/** The versioned JSON body of a quality result. */
export function qualityBody(result: QualityResult): QualityBody {
  return {
    version: BODY_VERSION,
    deviceId: result.deviceId,
    from: result.fromMs,
    to: result.toMs,
    ...qualityStepsBody(result),
    consumedReadUnits: result.readUnits,
  };
}
