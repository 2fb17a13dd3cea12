import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLocalServer,
  createQueryHandler,
  type EnvelopeBody,
  type ErrorBody,
  InvalidOptionError,
  type LocalServer,
  type RawBody,
} from '../../src/index.js';
import { MemorySource } from '../helpers/memory-source.js';

const T0 = Date.UTC(2026, 11, 4, 10);
let local: LocalServer;

beforeAll(async () => {
  const n = 500;
  const t = Float64Array.from({ length: n }, (_, i) => T0 + i * 20);
  const source = new MemorySource({
    'watch 1': { t, x: new Float64Array(n), y: new Float64Array(n), z: new Float64Array(n).fill(1) },
  });
  local = await createLocalServer(createQueryHandler({ source, now: () => T0 + 86_400_000 }), {
    host: '127.0.0.1',
    port: 0,
  });
});

afterAll(async () => {
  await local.close();
});

describe('createLocalServer', () => {
  it('serves the handler over HTTP on loopback', async () => {
    expect(local.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(
      `${local.url}/api/devices/watch%201/samples?from=${T0}&to=${T0 + 20_000}&mode=envelope&maxPoints=10`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('private, max-age=300');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await response.json()) as EnvelopeBody;
    expect(body.deviceId).toBe('watch 1');
    expect(body.count).toEqual([100, 100, 100, 100, 100, 0, 0, 0, 0, 0]);
    expect(body.zMax.slice(0, 5)).toEqual([1, 1, 1, 1, 1]);
  });

  it('sends gzipped bodies that fetch inflates', async () => {
    const response = await fetch(
      `${local.url}/api/devices/watch%201/samples?from=${T0}&to=${T0 + 20_000}&mode=raw`,
    );
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(((await response.json()) as RawBody).t).toHaveLength(500);
  });

  it('passes methods, repeated parameters and error statuses through', async () => {
    const post = await fetch(`${local.url}/api/devices`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
    const twice = await fetch(`${local.url}/api/devices/watch%201/samples?from=1&from=2&to=3`);
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as ErrorBody).code).toBe('INVALID_PARAMETER');
  });

  it('answers 502 when the handler throws, as a Function URL does', async () => {
    const broken = await createLocalServer(async () => {
      throw new Error('boom');
    });
    try {
      const response = await fetch(`${broken.url}/api/devices`);
      expect(response.status).toBe(502);
    } finally {
      await broken.close();
    }
  });

  it('rejects bad options when called', async () => {
    await expect(createLocalServer(async () => '', { port: 70_000 })).rejects.toBeInstanceOf(
      InvalidOptionError,
    );
  });
});
