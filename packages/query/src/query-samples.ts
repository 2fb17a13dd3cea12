import { WINDOW_SECONDS } from '@secondrow/codec';
import { type Envelope, EnvelopeBuilder } from './envelope.js';
import { InvalidOptionError, SourceError } from './errors.js';
import { GapFinder, type GapList } from './gap-finder.js';
import { LatenessCollector } from './lateness.js';
import { MAX_POINTS_LIMIT, RAW_PAGE_SAMPLES } from './limits.js';
import { QualityCounter, type QualitySummary } from './quality.js';
import { QualitySteps, type QualityStepsResult } from './quality-steps.js';
import { RawColumns } from './raw-columns.js';
import type { SampleSource } from './source.js';
import { checkedChunks } from './source-pages.js';

/** `raw`: the samples themselves; `envelope`: per-bucket min/max; `auto`: raw when they fit `maxPoints`. */
export type QueryMode = 'auto' | 'raw' | 'envelope';

/** A validated samples query (see `parseSamplesRequest`). */
export interface SamplesQuery {
  /** Device id. */
  deviceId: string;
  /** Inclusive start of the requested range, integer epoch ms. */
  fromMs: number;
  /** Exclusive end of the requested range, integer epoch ms, > `fromMs`. */
  toMs: number;
  /** Envelope buckets, and the most samples `auto` returns raw; in [1, 11,000]. */
  maxPoints: number;
  /** How to answer. */
  mode: QueryMode;
  /** Strongly consistent reads. */
  consistentRead: boolean;
  /** Raw mode only: continue a cut response from this sample time, epoch ms (from a cursor). */
  resumeMs?: number;
  /**
   * Auto and envelope modes: also the range's per-step quality (as `queryQuality` gives it) in steps of this
   * many ms (an integer >= 1000, at most `MAX_QUALITY_STEPS` steps), from the same pass over the pages, so a
   * chart and its quality lane cost one read.
   */
  qualityStepMs?: number;
}

/** Options of {@link querySamples}. */
export interface QuerySamplesOptions {
  /** Aborts the read. */
  signal?: AbortSignal;
  /** Nominal sampling interval for gaps, ms; default estimated from the samples (see `GapFinder`). */
  intervalMs?: number;
  /** The store's row window, s, for `quality.rows`; default 1. */
  windowSeconds?: number;
  /** Most samples in one raw response, a positive integer; default {@link RAW_PAGE_SAMPLES}. */
  rawPageSamples?: number;
}

/** What every {@link SamplesResult} holds. */
export interface ResultBase {
  /** Device id. */
  deviceId: string;
  /** Start of the span this result covers, epoch ms: the requested start, or the resume time of a cursor. */
  fromMs: number;
  /** End of the span this result covers, epoch ms (exclusive): the requested end, or `nextMs` when cut. */
  toMs: number;
  /** Holes of the covered span. */
  gaps: GapList;
  /** Counts of the covered span. */
  quality: QualitySummary;
  /** Read units the source reported for the pages read. */
  readUnits: number;
  /** Set when a raw result was cut: the time of the first sample not returned, epoch ms. */
  nextMs?: number;
  /** The range's per-step quality, when the query set `qualityStepMs`. */
  qualitySteps?: QualityStepsResult;
}

/** The samples themselves, columns cut to `length`. */
export interface RawResult extends ResultBase {
  mode: 'raw';
  t: Float64Array;
  x: Float64Array;
  y: Float64Array;
  z: Float64Array;
}

/** Per-bucket min/max over the requested range. */
export interface EnvelopeResult extends ResultBase {
  mode: 'envelope';
  envelope: Envelope;
}

/** What {@link querySamples} returns. */
export type SamplesResult = RawResult | EnvelopeResult;

class Streaming {
  readonly envelope: EnvelopeBuilder;
  readonly gaps: GapFinder;
  readonly quality: QualityCounter;

  constructor(query: SamplesQuery, fromMs: number, toMs: number, options: QuerySamplesOptions) {
    this.envelope = new EnvelopeBuilder(query.fromMs, query.toMs, query.maxPoints);
    this.gaps = new GapFinder({
      fromMs,
      toMs,
      ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }),
    });
    this.quality = new QualityCounter(fromMs, toMs, options.windowSeconds);
  }

  add(t: Float64Array, x: Float64Array, y: Float64Array, z: Float64Array, start: number, end: number): void {
    this.envelope.add(t, x, y, z, start, end);
    this.gaps.add(t, start, end);
    this.quality.add(t, start, end);
  }
}

/**
 * Answers a samples query in one pass over the source's pages, in bounded memory: an envelope keeps its
 * buckets, raw and auto keep at most `rawPageSamples` / `maxPoints` samples. `auto` collects up to
 * `maxPoints` samples; on the first one more it turns them into an envelope and streams on, so the range
 * is read once whichever answer it gives.
 *
 * A raw result holds at most `rawPageSamples` samples. When more remain it ends before the first sample
 * not returned (never between samples of the same time) and sets `nextMs` to that sample's time; reading
 * stops there.
 *
 * @throws {SourceError} when the source throws (`SOURCE_UNAVAILABLE` if its error is `retryable`, else
 *   `SOURCE_FAILED`) or returns samples out of order or outside the range (`SOURCE_FAILED`).
 * @throws {InvalidOptionError} for a bad option or query (checked before reading): `fromMs`/`toMs` not
 *   integers with `fromMs < toMs`, `maxPoints` outside [1, 11,000], an unknown `mode`, a `resumeMs`
 *   outside `(fromMs, toMs)` or without `mode: 'raw'`, or a `qualityStepMs` in raw mode, not an integer
 *   >= 1000 or giving more than `MAX_QUALITY_STEPS` steps.
 */
export async function querySamples(
  source: SampleSource,
  query: SamplesQuery,
  options: QuerySamplesOptions = {},
): Promise<SamplesResult> {
  const rawPageSamples = checkQueryOptions(options);
  checkQuery(query);
  const { deviceId, toMs, mode } = query;
  const fromMs = query.resumeMs ?? query.fromMs;
  // Checks the range and maxPoints before any read; auto may need it later.
  const streaming = mode === 'raw' ? undefined : new Streaming(query, fromMs, toMs, options);
  const qualitySteps =
    query.qualityStepMs === undefined
      ? undefined
      : new QualitySteps(fromMs, toMs, query.qualityStepMs, {
          ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }),
          ...(options.windowSeconds === undefined ? {} : { windowSeconds: options.windowSeconds }),
        });
  let stream: Streaming | undefined = mode === 'envelope' ? streaming : undefined;
  let raw: RawColumns | undefined =
    mode === 'envelope' ? undefined : new RawColumns(mode === 'raw' ? rawPageSamples : query.maxPoints);
  const lateness = new LatenessCollector();
  let readUnits = 0;
  let overflowMs: number | undefined;

  // Ending the loop early (a full raw page) stops the store's paging.
  for await (const chunk of checkedChunks(source, deviceId, fromMs, toMs, {
    consistentRead: query.consistentRead,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  })) {
    readUnits += chunk.readUnits;
    const { t, x, y, z, length } = chunk;
    lateness.add(chunk.rows, t);
    qualitySteps?.add(chunk);
    let start = 0;
    if (raw !== undefined) {
      start = Math.min(length, raw.room);
      raw.append(t, x, y, z, 0, start);
      if (start < length) {
        if (mode === 'raw') {
          overflowMs = t[start] as number;
          break;
        }
        stream = streaming as Streaming;
        stream.add(raw.t, raw.x, raw.y, raw.z, 0, raw.length);
        raw = undefined;
      }
    }
    stream?.add(t, x, y, z, start, length);
  }

  if (stream !== undefined) {
    return {
      mode: 'envelope',
      deviceId,
      fromMs,
      toMs,
      envelope: stream.envelope.result(),
      gaps: stream.gaps.finish(),
      quality: { ...stream.quality.result(), ...lateness.result() },
      readUnits,
      ...(qualitySteps === undefined ? {} : { qualitySteps: qualitySteps.result() }),
    };
  }
  const held = raw as RawColumns;
  let length = held.length;
  let endMs = toMs;
  if (overflowMs !== undefined) {
    // Never split the samples of one time across two responses: the next one resumes at that time.
    while (length > 0 && held.t[length - 1] === overflowMs) length--;
    if (length === 0) {
      throw new SourceError('SOURCE_FAILED', `more than ${held.length} samples share the time ${overflowMs}`);
    }
    endMs = overflowMs;
  }
  const gaps = new GapFinder({
    fromMs,
    toMs: endMs,
    ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }),
  });
  gaps.add(held.t, 0, length);
  const quality = new QualityCounter(fromMs, endMs, options.windowSeconds);
  quality.add(held.t, 0, length);
  return {
    mode: 'raw',
    deviceId,
    fromMs,
    toMs: endMs,
    t: held.t.subarray(0, length),
    x: held.x.subarray(0, length),
    y: held.y.subarray(0, length),
    z: held.z.subarray(0, length),
    gaps: gaps.finish(),
    // Rows whose first sample is cut off belong to the next response.
    quality: { ...quality.result(), ...lateness.result(endMs) },
    readUnits,
    ...(overflowMs === undefined ? {} : { nextMs: overflowMs }),
    // Never cut: qualityStepMs is refused in raw mode, and auto reads the whole range.
    ...(qualitySteps === undefined ? {} : { qualitySteps: qualitySteps.result() }),
  };
}

/**
 * Checks {@link QuerySamplesOptions} (all but `signal`), as `querySamples` does before reading and
 * `createQueryHandler` does at creation.
 *
 * @returns the raw page size in effect.
 * @throws {InvalidOptionError} naming the invalid option.
 */
export function checkQueryOptions(options: QuerySamplesOptions): number {
  const { intervalMs, windowSeconds } = options;
  const rawPageSamples = options.rawPageSamples ?? RAW_PAGE_SAMPLES;
  if (!Number.isInteger(rawPageSamples) || rawPageSamples < 1) {
    throw new InvalidOptionError(
      'rawPageSamples',
      `rawPageSamples must be a positive integer, got ${rawPageSamples}`,
    );
  }
  if (intervalMs !== undefined && !(intervalMs > 0 && Number.isFinite(intervalMs))) {
    throw new InvalidOptionError(
      'intervalMs',
      `intervalMs must be a positive finite number of ms, got ${intervalMs}`,
    );
  }
  if (windowSeconds !== undefined && !(WINDOW_SECONDS as readonly number[]).includes(windowSeconds)) {
    throw new InvalidOptionError(
      'windowSeconds',
      `windowSeconds must be one of ${WINDOW_SECONDS.join(', ')}, got ${windowSeconds}`,
    );
  }
  return rawPageSamples;
}

function checkQuery(query: SamplesQuery): void {
  const { fromMs, toMs, maxPoints, mode, resumeMs, qualityStepMs } = query;
  if (!Number.isSafeInteger(fromMs) || !Number.isSafeInteger(toMs) || fromMs >= toMs) {
    throw new InvalidOptionError(
      'fromMs',
      `need integer epoch ms with fromMs < toMs, got [${fromMs}, ${toMs})`,
    );
  }
  if (!Number.isInteger(maxPoints) || maxPoints < 1 || maxPoints > MAX_POINTS_LIMIT) {
    throw new InvalidOptionError(
      'maxPoints',
      `maxPoints must be an integer in [1, ${MAX_POINTS_LIMIT}], got ${maxPoints}`,
    );
  }
  if (mode !== 'auto' && mode !== 'raw' && mode !== 'envelope') {
    throw new InvalidOptionError('mode', `mode must be auto, raw or envelope, got ${String(mode)}`);
  }
  if (
    resumeMs !== undefined &&
    (mode !== 'raw' || !Number.isSafeInteger(resumeMs) || resumeMs <= fromMs || resumeMs >= toMs)
  ) {
    throw new InvalidOptionError(
      'resumeMs',
      `resumeMs continues a raw read inside (fromMs, toMs), got ${resumeMs} in ${mode} mode`,
    );
  }
  if (qualityStepMs !== undefined && mode === 'raw') {
    // A raw read may stop early (a cut page): its steps would miss samples.
    throw new InvalidOptionError('qualityStepMs', 'qualityStepMs comes with mode auto or envelope, not raw');
  }
}
