import { gunzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import {
  createQueryHandler,
  type EnvelopeBody,
  type ErrorBody,
  encodeCursor,
  InvalidOptionError,
  type RawBody,
  type SampleSource,
} from '../../src/index.js';
import { urlEvent } from '../helpers/events.js';
import {
  type Columns,
  MemorySource,
  registryOnlySource,
  untouchableSource,
} from '../helpers/memory-source.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 4, 10);

function series(n: number, intervalMs = 20): Columns {
  const t = new Float64Array(n);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = T0 + i * intervalMs;
    x[i] = Math.round(Math.sin(i / 10) * 1000) / 1000;
  }
  return { t, x, y: new Float64Array(n), z: new Float64Array(n).fill(1) };
}

const fail = (message: string): never => {
  throw new Error(`test failure: ${message}`);
};

const parse = <T>(result: { body: string }): T => JSON.parse(result.body) as T;

describe('createQueryHandler: rejected requests read nothing', () => {
  const cases: Array<[string, string, string, number, string]> = [
    ['GET', '/api/nothing', '', 404, 'NOT_FOUND'],
    ['GET', '/api/devices/dev/samples/extra', '', 404, 'NOT_FOUND'],
    ['POST', '/api/devices', '', 405, 'METHOD_NOT_ALLOWED'],
    ['DELETE', '/api/devices/dev/samples', 'from=0&to=1', 405, 'METHOD_NOT_ALLOWED'],
    ['GET', '/api/devices', 'x=1', 400, 'INVALID_PARAMETER'],
    ['GET', '/api/devices/%E0%A4%A/samples', 'from=0&to=1', 400, 'INVALID_PARAMETER'],
    ['GET', '/api/devices/dev/samples', 'to=1', 400, 'MISSING_PARAMETER'],
    ['GET', '/api/devices/dev/samples', 'from=5&to=5', 400, 'EMPTY_RANGE'],
    ['GET', '/api/devices/dev/samples', 'from=2026-13-01T00:00Z&to=1', 400, 'INVALID_TIME'],
    ['GET', '/api/devices/dev/samples', 'from=0&to=1&maxPoints=20000', 400, 'INVALID_MAX_POINTS'],
    ['GET', '/api/devices/dev/samples', 'from=0&to=1&mode=all', 400, 'INVALID_MODE'],
    ['GET', '/api/devices/dev/samples', `from=0&to=${HOUR}&mode=raw`, 400, 'RANGE_TOO_LARGE_FOR_RAW'],
    ['GET', '/api/devices/dev/samples', 'cursor=eyJ2IjoyfQ', 400, 'INVALID_CURSOR'],
    ['GET', '/api/devices/dev/samples', 'from=0&to=1&consistent=1', 400, 'INVALID_PARAMETER'],
  ];

  it.each(cases)('%s %s?%s → %i %s', async (method, path, query, status, code) => {
    const handler = createQueryHandler({ source: untouchableSource(fail) });
    const event = urlEvent(method, path, query);
    const result = await handler(event);
    expect(result.statusCode).toBe(status);
    const body = parse<ErrorBody>(result);
    expect(body.code).toBe(code);
    expect(body.requestId).toBe(event.requestContext.requestId);
    expect(result.headers['x-request-id']).toBe(event.requestContext.requestId);
    expect(result.headers['cache-control']).toBe('no-store');
    if (status === 405) expect(result.headers.allow).toBe('GET');
  });

  it('answers an unknown device 404 after asking the registry only', async () => {
    const handler = createQueryHandler({
      source: registryOnlySource({ known: { deviceId: 'known', firstMs: 0, lastMs: 1 } }, fail),
    });
    const result = await handler(urlEvent('GET', '/api/devices/ghost/samples', 'from=0&to=1000'));
    expect(result.statusCode).toBe(404);
    expect(parse<ErrorBody>(result)).toMatchObject({ code: 'UNKNOWN_DEVICE', parameter: 'deviceId' });
  });
});

describe('createQueryHandler: answers', () => {
  const source = new MemorySource(
    { 'watch/1': series(3000), idle: series(0) },
    { pageSizes: [250], readUnitsPerPage: 0.5 },
  );
  const handler = createQueryHandler({ source, now: () => T0 + 24 * HOUR });

  it('lists devices with their first and last data time', async () => {
    const result = await handler(urlEvent('GET', '/api/devices'));
    expect(result.statusCode).toBe(200);
    expect(parse(result)).toEqual({
      version: 2,
      devices: [
        { deviceId: 'watch/1', firstMs: T0, lastMs: T0 + 2999 * 20 },
        { deviceId: 'idle', firstMs: 0, lastMs: 0 },
      ],
    });
  });

  it('serves an envelope of a closed past range with private caching', async () => {
    const result = await handler(
      urlEvent(
        'GET',
        '/api/devices/watch%2F1/samples',
        `from=2026-12-04T10:00:00Z&to=${T0 + 120_000}&maxPoints=60`,
      ),
    );
    expect(result.statusCode).toBe(200);
    expect(result.headers['cache-control']).toBe('private, max-age=300');
    const body = parse<EnvelopeBody>(result);
    expect(body).toMatchObject({
      version: 2,
      deviceId: 'watch/1',
      from: T0,
      to: T0 + 120_000,
      mode: 'envelope',
    });
    expect(body.requestedMode).toBe('auto');
    expect(body.bucketMs).toBe(2000);
    expect(body).not.toHaveProperty('t');
    expect(body.count).toHaveLength(60);
    expect(body.count.slice(0, 31)).toEqual([...Array(30).fill(100), 0]);
    expect(body.xMin[40]).toBeNull();
    expect(body.gaps).toEqual([[T0 + 60_000, T0 + 120_000]]);
    expect(body.quality).toMatchObject({
      samples: 3000,
      secondsWithData: 60,
      missingSeconds: 60,
      duplicates: null,
    });
    expect(body.consumedReadUnits).toBe(6);
    expect(body.nextCursor).toBeUndefined();
    expect(source.reads.at(-1)?.consistentRead).toBe(false);
  });

  it('serves raw pages with a cursor that walks the whole range', async () => {
    const paged = createQueryHandler({ source, now: () => T0 + 24 * HOUR, query: { rawPageSamples: 1200 } });
    const t: number[] = [];
    let query = `from=${T0}&to=${T0 + 60_000}&mode=raw`;
    for (let pages = 0; pages < 10; pages++) {
      const result = await paged(urlEvent('GET', '/api/devices/watch%2F1/samples', query));
      expect(result.statusCode).toBe(200);
      const body = parse<RawBody>(result);
      expect(body.mode).toBe('raw');
      t.push(...body.t);
      if (body.nextCursor === undefined) break;
      query = `cursor=${body.nextCursor}`;
    }
    expect(t).toEqual(Array.from(series(3000).t));
  });

  it('does not cache live ranges nor strongly consistent reads, and reads consistently when asked', async () => {
    const live = createQueryHandler({ source, now: () => T0 + 61_000 });
    const path = '/api/devices/watch%2F1/samples';
    const result = await live(urlEvent('GET', path, `from=${T0}&to=${T0 + 60_000}`));
    expect(result.headers['cache-control']).toBe('no-store');
    const strong = await handler(urlEvent('GET', path, `from=${T0}&to=${T0 + 1000}&consistent=true`));
    expect(strong.headers['cache-control']).toBe('no-store');
    expect(source.reads.at(-1)?.consistentRead).toBe(true);
    expect(parse<RawBody>(strong).t).toHaveLength(50);
  });

  it('accepts a cursor only for the device and range it was issued for', async () => {
    const cursor = encodeCursor({ deviceId: 'idle', fromMs: T0, toMs: T0 + 1000, resumeMs: T0 + 5 });
    const result = await handler(urlEvent('GET', '/api/devices/watch%2F1/samples', `cursor=${cursor}`));
    expect(result.statusCode).toBe(400);
    expect(parse<ErrorBody>(result).code).toBe('INVALID_CURSOR');
  });
});

describe('createQueryHandler: failures', () => {
  const throwing = (error: unknown): SampleSource => ({
    columns: async function* () {
      yield* [];
      throw error;
    },
    devices: async () => {
      throw error;
    },
    device: async (deviceId) => ({ deviceId, firstMs: 0, lastMs: 1 }),
  });

  it('answers 500 with the request id and no internals, and reports the error', async () => {
    const secret = new Error('arn:aws:dynamodb:eu-west-1:123456789012:table/secret is broken');
    const onError = vi.fn();
    const handler = createQueryHandler({ source: throwing(secret), onError });
    const event = urlEvent('GET', '/api/devices/dev/samples', 'from=0&to=1000');
    const result = await handler(event);
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('secret');
    expect(parse<ErrorBody>(result)).toEqual({
      code: 'SOURCE_FAILED',
      message: expect.any(String),
      requestId: event.requestContext.requestId,
    });
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ code: 'SOURCE_FAILED', cause: secret }),
      event.requestContext.requestId,
    );
  });

  it('answers 503 when the source says trying again can help', async () => {
    const handler = createQueryHandler({
      source: throwing(Object.assign(new Error('throttled'), { retryable: true })),
      onError: () => {},
    });
    const result = await handler(urlEvent('GET', '/api/devices'));
    expect(result.statusCode).toBe(503);
    expect(parse<ErrorBody>(result).code).toBe('SOURCE_UNAVAILABLE');
  });

  it('stops reading before the Lambda times out and answers 503', async () => {
    let pages = 0;
    const endless: SampleSource = {
      async *columns(_deviceId, fromMs) {
        for (;;) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          pages++;
          yield {
            length: 1,
            t: Float64Array.of(fromMs),
            x: new Float64Array(1),
            y: new Float64Array(1),
            z: new Float64Array(1),
            readUnits: 0,
          };
        }
      },
      devices: async () => [],
      device: async (deviceId) => ({ deviceId, firstMs: 0, lastMs: 1 }),
    };
    const handler = createQueryHandler({ source: endless, onError: () => {} });
    const result = await handler(
      urlEvent('GET', '/api/devices/dev/samples', 'from=0&to=1000&mode=envelope'),
      {
        getRemainingTimeInMillis: () => 1050,
      },
    );
    expect(result.statusCode).toBe(503);
    expect(parse<ErrorBody>(result).code).toBe('SOURCE_UNAVAILABLE');
    expect(pages).toBeGreaterThan(0);
  });

  it('rejects invalid options at creation', () => {
    expect(() => createQueryHandler({ source: {} as SampleSource })).toThrow(InvalidOptionError);
    expect(() => createQueryHandler({ source: new MemorySource({}), query: { rawPageSamples: 0 } })).toThrow(
      expect.objectContaining({ option: 'query.rawPageSamples' }),
    );
    expect(() => createQueryHandler({ source: new MemorySource({}), query: { windowSeconds: 7 } })).toThrow(
      expect.objectContaining({ option: 'query.windowSeconds' }),
    );
    expect(() =>
      createQueryHandler({ source: new MemorySource({}), now: 5 as unknown as () => number }),
    ).toThrow(expect.objectContaining({ option: 'now' }));
  });
});

describe('createQueryHandler: compression', () => {
  const source = new MemorySource({ dev: series(3000) });
  const handler = createQueryHandler({ source, now: () => T0 + 24 * HOUR });
  const path = '/api/devices/dev/samples';

  it('gzips large bodies for clients that accept gzip, and only for them', async () => {
    const event = urlEvent('GET', path, `from=${T0}&to=${T0 + 60_000}&mode=raw`);
    const plain = await handler(event);
    expect(plain.isBase64Encoded).toBe(false);
    expect(plain.headers.vary).toBe('accept-encoding');
    const zipped = await handler({
      ...event,
      headers: { ...event.headers, 'accept-encoding': 'br, gzip;q=0.8' },
    });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.isBase64Encoded).toBe(true);
    expect(gunzipSync(Buffer.from(zipped.body, 'base64')).toString()).toBe(plain.body);
    expect(zipped.body.length).toBeLessThan(plain.body.length / 3);
    const refused = await handler({ ...event, headers: { ...event.headers, 'accept-encoding': 'gzip;q=0' } });
    expect(refused.isBase64Encoded).toBe(false);
  });

  it('leaves small bodies alone', async () => {
    const event = urlEvent('GET', '/api/nothing');
    const result = await handler({ ...event, headers: { ...event.headers, 'accept-encoding': 'gzip' } });
    expect(result.headers['content-encoding']).toBeUndefined();
    expect(parse<ErrorBody>(result).code).toBe('NOT_FOUND');
  });
});
