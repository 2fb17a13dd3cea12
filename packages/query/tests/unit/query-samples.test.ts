import { describe, expect, it } from 'vitest';
import {
  type ColumnChunk,
  type EnvelopeResult,
  querySamples,
  type RawResult,
  type SampleSource,
  type SamplesQuery,
  SourceError,
} from '../../src/index.js';
import { type Columns, MemorySource } from '../helpers/memory-source.js';

/** `n` samples at `intervalMs` from `t0`, x = index / 1000. */
function regular(t0: number, intervalMs: number, n: number): Columns {
  const t = new Float64Array(n);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = t0 + i * intervalMs;
    x[i] = i / 1000;
  }
  return { t, x, y: new Float64Array(n), z: new Float64Array(n).fill(1) };
}

const q = (over: Partial<SamplesQuery>): SamplesQuery => ({
  deviceId: 'dev',
  fromMs: 0,
  toMs: 10_000,
  maxPoints: 100,
  mode: 'auto',
  consistentRead: false,
  ...over,
});

function sourceOf(chunks: ColumnChunk[] | (() => AsyncGenerator<ColumnChunk>)): SampleSource {
  return {
    columns:
      typeof chunks === 'function'
        ? chunks
        : async function* () {
            yield* chunks;
          },
    devices: async () => [],
    device: async () => undefined,
  };
}

const chunk = (t: number[], readUnits = 0): ColumnChunk => ({
  length: t.length,
  t: Float64Array.from(t),
  x: new Float64Array(t.length),
  y: new Float64Array(t.length),
  z: new Float64Array(t.length),
  readUnits,
});

describe('querySamples', () => {
  it('auto answers raw when the samples fit maxPoints, with gaps, quality and read units', async () => {
    const source = new MemorySource({ dev: regular(1000, 20, 100) }, { pageSizes: [7] });
    const result = (await querySamples(source, q({ maxPoints: 100, consistentRead: true }))) as RawResult;
    expect(result.mode).toBe('raw');
    expect(result.t).toHaveLength(100);
    expect(result.gaps.ranges).toEqual([
      [0, 1000],
      [3000, 10_000],
    ]);
    expect(result.quality).toMatchObject({ samples: 100, secondsWithData: 2, missingSeconds: 8, rows: 2 });
    expect(result.readUnits).toBe(15);
    expect(source.reads).toEqual([
      { deviceId: 'dev', fromMs: 0, toMs: 10_000, consistentRead: true, pagesServed: 15 },
    ]);
  });

  it('auto turns into an envelope on the first sample past maxPoints, reading the range once', async () => {
    const source = new MemorySource({ dev: regular(0, 20, 500) }, { pageSizes: [33] });
    const result = (await querySamples(source, q({ maxPoints: 99 }))) as EnvelopeResult;
    expect(result.mode).toBe('envelope');
    expect(Array.from(result.envelope.count).reduce((a, b) => a + b)).toBe(500);
    expect(result.quality.samples).toBe(500);
    expect(source.reads).toHaveLength(1);
  });

  it('cuts a raw response at rawPageSamples, never between samples of one time, and stops reading', async () => {
    let pagesPulled = 0;
    const source = sourceOf(async function* () {
      for (const page of [[10, 20, 30], [40, 40, 40], [50], [60]]) {
        pagesPulled++;
        yield chunk(page, 1);
      }
    });
    const result = (await querySamples(source, q({ mode: 'raw' }), { rawPageSamples: 5 })) as RawResult;
    expect(Array.from(result.t)).toEqual([10, 20, 30]);
    expect(result.nextMs).toBe(40);
    expect(result.toMs).toBe(40);
    expect(result.quality.samples).toBe(3);
    expect(pagesPulled).toBe(2);
    const rest = (await querySamples(
      new MemorySource({ dev: { ...chunk([40, 40, 40, 50, 60]) } }),
      q({ mode: 'raw', resumeMs: 40 }),
      {
        rawPageSamples: 5,
      },
    )) as RawResult;
    expect(Array.from(rest.t)).toEqual([40, 40, 40, 50, 60]);
    expect(rest.nextMs).toBeUndefined();
    expect(rest.fromMs).toBe(40);
  });

  it('wraps a source failure, marking retryable ones SOURCE_UNAVAILABLE and keeping the cause', async () => {
    const throttled = Object.assign(new Error('throttled'), { retryable: true });
    const failing = sourceOf(async function* () {
      yield chunk([1]);
      throw throttled;
    });
    await expect(querySamples(failing, q({}))).rejects.toMatchObject({
      code: 'SOURCE_UNAVAILABLE',
      cause: throttled,
    });
    const broken = sourceOf(async function* () {
      yield* [];
      throw new TypeError('bug');
    });
    await expect(querySamples(broken, q({}))).rejects.toMatchObject({ code: 'SOURCE_FAILED' });
  });

  it('refuses pages that break the contract instead of drawing wrong buckets', async () => {
    for (const pages of [
      [chunk([5, 4])],
      [chunk([5]), chunk([4])],
      [chunk([10_000])],
      [{ ...chunk([1, 2]), length: 3 }],
    ]) {
      await expect(querySamples(sourceOf(pages), q({ mode: 'envelope' }))).rejects.toBeInstanceOf(
        SourceError,
      );
    }
  });

  it('uses a given nominal interval for gaps', async () => {
    const source = new MemorySource({ dev: regular(5000, 20, 1) });
    const result = await querySamples(source, q({}), { intervalMs: 20 });
    expect(result.gaps.ranges).toEqual([
      [0, 5000],
      [5020, 10_000],
    ]);
  });

  it('rejects a malformed query or option before reading', async () => {
    const untouched = sourceOf(async function* () {
      yield* [];
      throw new Error('test failure: read for a rejected query');
    });
    const bad: Array<[Partial<SamplesQuery>, string]> = [
      [{ fromMs: 5, toMs: 5, mode: 'raw' }, 'fromMs'],
      [{ fromMs: 0.5, mode: 'raw' }, 'fromMs'],
      [{ maxPoints: 0, mode: 'raw' }, 'maxPoints'],
      [{ mode: 'fast' as 'raw' }, 'mode'],
      [{ mode: 'envelope', resumeMs: 5 }, 'resumeMs'],
      [{ mode: 'raw', resumeMs: 0 }, 'resumeMs'],
    ];
    for (const [over, option] of bad) {
      await expect(querySamples(untouched, q(over))).rejects.toMatchObject({
        code: 'INVALID_OPTION',
        option,
      });
    }
    await expect(querySamples(untouched, q({}), { windowSeconds: 3 })).rejects.toMatchObject({
      option: 'windowSeconds',
    });
    await expect(querySamples(untouched, q({}), { rawPageSamples: 0 })).rejects.toMatchObject({
      option: 'rawPageSamples',
    });
  });
});
