import { InvalidOptionError } from './errors.js';
import { GapFinder } from './gap-finder.js';
import { LatenessCollector, type LatenessFigures } from './lateness.js';
import { MAX_QUALITY_STEPS } from './limits.js';
import { QualityCounter } from './quality.js';
import type { ColumnChunk, SampleSource } from './source.js';
import { checkedChunks } from './source-pages.js';

/** A validated quality query (see `parseQualityRequest`). */
export interface QualityQuery {
  /** Device id. */
  deviceId: string;
  /** Inclusive start, integer epoch ms. */
  fromMs: number;
  /** Exclusive end, integer epoch ms, > `fromMs`. */
  toMs: number;
  /** Step length, integer ms >= 1000; the last step may be shorter. */
  stepMs: number;
  /** Strongly consistent reads. */
  consistentRead: boolean;
}

/** Options of {@link queryQuality}. */
export interface QueryQualityOptions {
  /** Aborts the read. */
  signal?: AbortSignal;
  /** Nominal sampling interval for gaps, ms; default estimated from the samples (see `GapFinder`). */
  intervalMs?: number;
  /** The store's row window, s, for `rows`; default 1. */
  windowSeconds?: number;
}

/** The holes of one step: the parts of the range's gaps (the codec's gap rule) inside the step. */
export interface StepGaps {
  /** Gaps overlapping the step. */
  count: number;
  /** Their total length inside the step, ms. */
  totalMs: number;
  /** The longest part inside the step, ms (0 without gaps). */
  longestMs: number;
}

/** Quality of one step `[fromMs, toMs)`. */
export interface QualityStep extends LatenessFigures {
  /** Step start, epoch ms. */
  fromMs: number;
  /** Step end, epoch ms (exclusive). */
  toMs: number;
  /** Seconds with data / whole UTC seconds the step touches, in [0, 1]. */
  coverage: number;
  /** Whole UTC seconds the step touches holding at least one sample. */
  secondsWithData: number;
  /** Whole UTC seconds the step touches. */
  seconds: number;
  /** Samples in the step. */
  samples: number;
  /** Store rows holding samples of the step. */
  rows: number;
  /** Holes inside the step. */
  gaps: StepGaps;
}

/** Per-step quality of a range, as {@link queryQuality} and a samples query with `qualityStepMs` give it. */
export interface QualityStepsResult {
  /** Step length, ms. */
  stepMs: number;
  /** Nominal interval the gaps were found with, ms; undefined with fewer than two distinct sample times. */
  intervalMs: number | undefined;
  /** True when the range had more gaps than `MAX_GAPS`: later steps then under-count theirs. */
  gapsTruncated: boolean;
  /** One per step, ascending, covering the range. */
  steps: QualityStep[];
  /** Delays over the whole range. */
  total: LatenessFigures;
}

/** What {@link queryQuality} returns. */
export interface QualityResult extends QualityStepsResult {
  deviceId: string;
  fromMs: number;
  toMs: number;
  /** Read units the source reported. */
  readUnits: number;
}

/**
 * Per-step quality of a range built in one pass over its pages (see {@link queryQuality}): feed it every page
 * of the range in order, then take the result once.
 */
export class QualitySteps {
  private readonly fromMs: number;
  private readonly stepMs: number;
  private readonly count: number;
  private readonly counters: QualityCounter[];
  private readonly figures: LatenessFigures[];
  private readonly gaps: GapFinder;
  private readonly total = new LatenessCollector();
  private step = 0;
  private stepLateness = new LatenessCollector();

  /**
   * @param fromMs - inclusive start, integer epoch ms.
   * @param toMs - exclusive end, integer epoch ms, > `fromMs`.
   * @param stepMs - step length, integer ms >= 1000; at most {@link MAX_QUALITY_STEPS} steps.
   * @throws {InvalidOptionError} naming `fromMs` or `stepMs` when the layout is invalid, `windowSeconds` when
   *   it is not one of the codec's windows.
   */
  constructor(
    fromMs: number,
    private readonly toMs: number,
    stepMs: number,
    options: Pick<QueryQualityOptions, 'intervalMs' | 'windowSeconds'> = {},
  ) {
    if (!Number.isSafeInteger(fromMs) || !Number.isSafeInteger(toMs) || fromMs >= toMs) {
      throw new InvalidOptionError(
        'fromMs',
        `need integer epoch ms with fromMs < toMs, got [${fromMs}, ${toMs})`,
      );
    }
    if (!Number.isSafeInteger(stepMs) || stepMs < 1000) {
      throw new InvalidOptionError('stepMs', `stepMs must be an integer >= 1000, got ${stepMs}`);
    }
    const count = Math.ceil((toMs - fromMs) / stepMs);
    if (count > MAX_QUALITY_STEPS) {
      throw new InvalidOptionError('stepMs', `${count} steps of ${stepMs} ms; at most ${MAX_QUALITY_STEPS}`);
    }
    this.fromMs = fromMs;
    this.stepMs = stepMs;
    this.count = count;
    this.counters = Array.from(
      { length: count },
      (_, i) => new QualityCounter(...this.edges(i), options.windowSeconds),
    );
    this.figures = new Array(count);
    this.gaps = new GapFinder({
      fromMs,
      toMs,
      ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }),
    });
  }

  private edges(i: number): [number, number] {
    return [this.fromMs + i * this.stepMs, Math.min(this.toMs, this.fromMs + (i + 1) * this.stepMs)];
  }

  /** Adds the next page of the range (samples ascending, inside the range, after every earlier page's). */
  add(chunk: ColumnChunk): void {
    const { fromMs, stepMs } = this;
    const { t, length, rows } = chunk;
    this.gaps.add(t, 0, length);
    // Samples by step: they are in time order, so each step is one run.
    let start = 0;
    while (start < length) {
      const s = Math.floor(((t[start] as number) - fromMs) / stepMs);
      const stepEnd = fromMs + (s + 1) * stepMs;
      let end = start;
      while (end < length && (t[end] as number) < stepEnd) end++;
      (this.counters[s] as QualityCounter).add(t, start, end);
      start = end;
    }
    if (rows === undefined) return;
    this.total.add(rows, t);
    for (let r = 0; r < rows.length; r++) {
      if ((rows.count[r] as number) === 0) continue;
      const s = Math.floor(((t[rows.first[r] as number] as number) - fromMs) / stepMs);
      while (this.step < s) {
        this.figures[this.step++] = this.stepLateness.result();
        this.stepLateness = new LatenessCollector();
      }
      this.stepLateness.add(
        {
          length: 1,
          first: rows.first.subarray(r, r + 1),
          count: rows.count.subarray(r, r + 1),
          firstWrittenMs: rows.firstWrittenMs.subarray(r, r + 1),
          arrivalMs: rows.arrivalMs.subarray(r, r + 1),
        },
        t,
      );
    }
  }

  /** The steps of everything added; call once, after the last page. */
  result(): QualityStepsResult {
    const { count, figures, stepMs } = this;
    while (this.step < count) {
      figures[this.step++] = this.stepLateness.result();
      this.stepLateness = new LatenessCollector();
    }
    const gapList = this.gaps.finish();
    const steps = this.counters.map((counter, i): QualityStep => {
      const q = counter.result();
      const seconds = q.secondsWithData + q.missingSeconds;
      const [stepFrom, stepTo] = this.edges(i);
      return {
        fromMs: stepFrom,
        toMs: stepTo,
        coverage: seconds === 0 ? 0 : q.secondsWithData / seconds,
        secondsWithData: q.secondsWithData,
        seconds,
        samples: q.samples,
        rows: q.rows,
        gaps: { count: 0, totalMs: 0, longestMs: 0 },
        ...(figures[i] as LatenessFigures),
      };
    });
    for (const [gapFrom, gapTo] of gapList.ranges) {
      const first = Math.floor((gapFrom - this.fromMs) / stepMs);
      const last = Math.min(count - 1, Math.floor((gapTo - 1 - this.fromMs) / stepMs));
      for (let i = Math.max(0, first); i <= last; i++) {
        const step = steps[i] as QualityStep;
        const part = Math.min(gapTo, step.toMs) - Math.max(gapFrom, step.fromMs);
        if (part <= 0) continue;
        step.gaps.count++;
        step.gaps.totalMs += part;
        step.gaps.longestMs = Math.max(step.gaps.longestMs, part);
      }
    }
    return {
      stepMs,
      intervalMs: gapList.intervalMs,
      gapsTruncated: gapList.truncated,
      steps,
      total: this.total.result(),
    };
  }
}

/**
 * Per-step quality of a device's range in one pass over the source's pages: coverage, gaps (the codec's
 * gap rule over the whole range, split at step edges), samples, rows, and the row delays of
 * {@link LatenessFigures}. Memory: one counter per step (at most {@link MAX_QUALITY_STEPS}) plus 24 bytes
 * per row for the exact delay percentiles.
 *
 * @throws {InvalidOptionError} for a bad query (before reading): times not integers with `fromMs < toMs`,
 *   `stepMs` not an integer >= 1000, more than {@link MAX_QUALITY_STEPS} steps; or a bad option.
 * @throws {SourceError} when the source fails (`SOURCE_UNAVAILABLE` if retryable) or breaks its contract.
 */
export async function queryQuality(
  source: SampleSource,
  query: QualityQuery,
  options: QueryQualityOptions = {},
): Promise<QualityResult> {
  const { deviceId, fromMs, toMs, stepMs } = query;
  const builder = new QualitySteps(fromMs, toMs, stepMs, options);
  let readUnits = 0;
  for await (const chunk of checkedChunks(source, deviceId, fromMs, toMs, {
    consistentRead: query.consistentRead,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  })) {
    readUnits += chunk.readUnits;
    builder.add(chunk);
  }
  const { stepMs: step, ...rest } = builder.result();
  return { deviceId, fromMs, toMs, stepMs: step, ...rest, readUnits };
}
