import { describe, expect, it } from 'vitest';
import {
  createQueryHandler,
  type ErrorBody,
  MAX_QUALITY_STEPS,
  type QualityBody,
  type RawBody,
  type SamplesBody,
} from '../../src/index.js';
import { urlEvent } from '../helpers/events.js';
import {
  type Columns,
  MemorySource,
  registryOnlySource,
  untouchableSource,
} from '../helpers/memory-source.js';

const T0 = Date.UTC(2026, 11, 4, 10);
const DAY = 86_400_000;
const fail = (message: string): never => {
  throw new Error(`test failure: ${message}`);
};

/** 120 s at 50 Hz with seconds 30-44 missing. */
function series(): Columns {
  const t: number[] = [];
  for (let ms = 0; ms < 120_000; ms += 20) if (ms < 30_000 || ms >= 45_000) t.push(T0 + ms);
  const n = t.length;
  return { t: Float64Array.from(t), x: new Float64Array(n), y: new Float64Array(n), z: new Float64Array(n) };
}

describe('GET /api/devices/{deviceId}/quality: rejected requests', () => {
  const cases: Array<[string, string, string, number, string]> = [
    ['POST', '/api/devices/dev/quality', `from=0&to=1000`, 405, 'METHOD_NOT_ALLOWED'],
    ['GET', '/api/devices/dev/quality/x', `from=0&to=1000`, 404, 'NOT_FOUND'],
    ['GET', '/api/devices/dev/quality', 'to=1000', 400, 'MISSING_PARAMETER'],
    ['GET', '/api/devices/dev/quality', 'from=0', 400, 'MISSING_PARAMETER'],
    ['GET', '/api/devices/dev/quality', 'from=yesterday&to=1000', 400, 'INVALID_TIME'],
    ['GET', '/api/devices/dev/quality', 'from=1000&to=1000', 400, 'EMPTY_RANGE'],
    ['GET', '/api/devices/dev/quality', 'from=0&to=1000&step=0', 400, 'INVALID_STEP'],
    ['GET', '/api/devices/dev/quality', 'from=0&to=1000&step=1.5', 400, 'INVALID_STEP'],
    ['GET', '/api/devices/dev/quality', 'from=0&to=1000&step=86401', 400, 'INVALID_STEP'],
    ['GET', '/api/devices/dev/quality', `from=0&to=${DAY + 60_000}`, 400, 'INVALID_STEP'],
    ['GET', '/api/devices/dev/quality', 'from=0&to=1000&maxPoints=5', 400, 'INVALID_PARAMETER'],
    ['GET', '/api/devices/dev/quality', 'from=0&to=1000&step=1&step=2', 400, 'INVALID_PARAMETER'],
    ['GET', '/api/devices/dev/quality', 'from=0&to=1000&consistent=yes', 400, 'INVALID_PARAMETER'],
    ['GET', '/api/devices/%ZZ/quality', 'from=0&to=1000', 400, 'INVALID_PARAMETER'],
  ];

  it.each(cases)('%s %s?%s → %i %s', async (method, path, query, status, code) => {
    const handler = createQueryHandler({ source: untouchableSource(fail) });
    const result = await handler(urlEvent(method, path, query));
    expect(result.statusCode).toBe(status);
    const body = JSON.parse(result.body) as ErrorBody;
    expect(body.code).toBe(code);
  });

  it('names the step parameter and the smallest step that fits', async () => {
    const handler = createQueryHandler({ source: untouchableSource(fail) });
    const result = await handler(urlEvent('GET', '/api/devices/dev/quality', `from=0&to=${2 * DAY}&step=60`));
    const body = JSON.parse(result.body) as ErrorBody;
    expect(body).toMatchObject({ code: 'INVALID_STEP', parameter: 'step' });
    expect(body.message).toContain('120 s');
    // Exactly MAX_QUALITY_STEPS steps are fine.
    const known = createQueryHandler({
      source: registryOnlySource({}, fail),
    });
    const ok = await known(
      urlEvent('GET', '/api/devices/dev/quality', `from=0&to=${MAX_QUALITY_STEPS * 60_000}`),
    );
    expect((JSON.parse(ok.body) as ErrorBody).code).toBe('UNKNOWN_DEVICE');
  });

  it('answers 404 UNKNOWN_DEVICE after one registry lookup, reading no samples', async () => {
    const handler = createQueryHandler({ source: registryOnlySource({}, fail) });
    const result = await handler(urlEvent('GET', '/api/devices/nobody/quality', 'from=0&to=1000'));
    expect(result.statusCode).toBe(404);
    expect((JSON.parse(result.body) as ErrorBody).code).toBe('UNKNOWN_DEVICE');
  });
});

describe('GET /api/devices/{deviceId}/quality: answers', () => {
  it('gives coverage, gaps, rows and lateness per step', async () => {
    const source = new MemorySource(
      { watch: series() },
      {
        pageSizes: [333],
        // A row is first written 1.5 s after its window ends, 200 ms after its arrival; rows
        // from 60 s on record no arrival.
        audit: (startMs) => ({
          firstWrittenMs: startMs + 2500,
          arrivalMs: startMs - T0 < 60_000 ? startMs + 2300 : Number.NaN,
        }),
      },
    );
    const handler = createQueryHandler({ source, now: () => T0 + DAY });
    const result = await handler(
      urlEvent('GET', '/api/devices/watch/quality', `from=${T0}&to=${T0 + 120_000}&step=40`),
    );
    expect(result.statusCode).toBe(200);
    expect(result.headers['cache-control']).toBe('private, max-age=300');
    const body = JSON.parse(result.body) as QualityBody;
    expect(body).toMatchObject({
      version: 2,
      deviceId: 'watch',
      from: T0,
      to: T0 + 120_000,
      step: 40,
      intervalMs: 20,
    });
    expect(body.consumedReadUnits).toBe(source.reads[0]!.pagesServed);
    expect(body.steps.map((s) => [s.from - T0, s.to - T0, s.coverage, s.rows, s.samples, s.gaps])).toEqual([
      [0, 40_000, 30 / 40, 30, 1500, { count: 1, totalMs: 10_000, longestMs: 10_000 }],
      [40_000, 80_000, 35 / 40, 35, 1750, { count: 1, totalMs: 5_000, longestMs: 5_000 }],
      [80_000, 120_000, 1, 40, 2000, { count: 0, totalMs: 0, longestMs: 0 }],
    ]);
    // The earliest sample of each row is its window start: 2.5 s before the row's first write.
    expect(body.steps[0]!.latenessMs).toEqual({ rows: 30, p50: 2500, p95: 2500, max: 2500 });
    expect(body.steps[0]!.arrivalToWriteMs).toEqual({ rows: 30, p50: 200, p95: 200, max: 200 });
    expect(body.steps[1]!.arrivalToWriteMs).toEqual({ rows: 15, p50: 200, p95: 200, max: 200 });
    expect(body.steps[2]!.arrivalToWriteMs).toBeNull();
    expect(body.total.latenessMs?.rows).toBe(105);
    expect(body.total.arrivalToWriteMs?.rows).toBe(45);
  });

  it('leaves lateness null when the source gives no rows, and fills it in the samples body when it does', async () => {
    const plain = createQueryHandler({ source: new MemorySource({ watch: series() }), now: () => T0 + DAY });
    const q = JSON.parse(
      (await plain(urlEvent('GET', '/api/devices/watch/quality', `from=${T0}&to=${T0 + 60_000}`))).body,
    ) as QualityBody;
    expect(q.steps[0]).toMatchObject({ latenessMs: null, arrivalToWriteMs: null, coverage: 45 / 60 });

    const audited = createQueryHandler({
      source: new MemorySource(
        { watch: series() },
        {
          pageSizes: [100],
          audit: (s) => ({ firstWrittenMs: s + 1000 + ((s / 1000) % 10), arrivalMs: s + 900 }),
        },
      ),
      now: () => T0 + DAY,
      query: { rawPageSamples: 1000 },
    });
    const raw = JSON.parse(
      (await audited(urlEvent('GET', '/api/devices/watch/samples', `from=${T0}&to=${T0 + 60_000}&mode=raw`)))
        .body,
    ) as RawBody;
    // Cut after 20 rows of 50 samples: only those rows count.
    expect(raw.t).toHaveLength(1000);
    expect(raw.quality.latenessMs).toEqual({ rows: 20, p50: 1004, p95: 1009, max: 1009 });
    expect(raw.quality.arrivalToWriteMs).toEqual({ rows: 20, p50: 104, p95: 109, max: 109 });
    expect(raw.quality).toMatchObject({ duplicates: null, conflicts: null });
  });
});

describe('GET /api/devices/{deviceId}/samples?qualityStep=: the quality steps with the samples', () => {
  it.each([
    ['from=0&to=1000&qualityStep=0', 'INVALID_STEP'],
    ['from=0&to=1000&qualityStep=1.5', 'INVALID_STEP'],
    [`from=0&to=${DAY + 60_000}&qualityStep=60`, 'INVALID_STEP'],
    ['from=0&to=1000&mode=raw&qualityStep=1', 'INVALID_PARAMETER'],
  ])('refuses %s with %s, naming qualityStep', async (query, code) => {
    const handler = createQueryHandler({ source: untouchableSource(fail) });
    const result = await handler(urlEvent('GET', '/api/devices/dev/samples', query));
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body)).toMatchObject({ code, parameter: 'qualityStep' });
  });

  it("answers the quality route's steps from the same read, for the read units of the samples alone", async () => {
    const source = new MemorySource(
      { watch: series() },
      {
        pageSizes: [333],
        audit: (startMs) => ({ firstWrittenMs: startMs + 2500, arrivalMs: startMs + 2300 }),
      },
    );
    const handler = createQueryHandler({ source, now: () => T0 + DAY });
    const range = `from=${T0}&to=${T0 + 120_000}`;
    const get = async (route: string, query: string): Promise<unknown> =>
      JSON.parse((await handler(urlEvent('GET', `/api/devices/watch/${route}`, query))).body);
    const alone = (await get('samples', `${range}&maxPoints=100`)) as SamplesBody;
    const both = (await get('samples', `${range}&maxPoints=100&qualityStep=40`)) as SamplesBody;
    const quality = (await get('quality', `${range}&step=40`)) as QualityBody;
    const { version: _v, deviceId: _d, from: _f, to: _t, consumedReadUnits, ...steps } = quality;
    expect(both.qualitySteps).toEqual(steps);
    expect(both.consumedReadUnits).toBe(alone.consumedReadUnits);
    expect(both.consumedReadUnits).toBe(consumedReadUnits);
    expect(alone.qualitySteps).toBeUndefined();
    const { qualitySteps: _s, ...samples } = both;
    expect(samples).toEqual(alone);
  });
});
