import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors.js';
import { ApiClient, samplesUrl } from '../../src/page/api-client.js';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('samplesUrl', () => {
  it('encodes the device and asks auto mode with maxPoints clamped to the API limits', () => {
    expect(samplesUrl('', 'us-east-1:a/b', { fromMs: 1, toMs: 2 }, 1200.4)).toBe(
      '/api/devices/us-east-1%3Aa%2Fb/samples?from=1&to=2&maxPoints=1200&mode=auto',
    );
    expect(samplesUrl('http://h', 'w', { fromMs: 1, toMs: 2 }, 0)).toContain('maxPoints=1&');
    expect(samplesUrl('', 'w', { fromMs: 1, toMs: 2 }, 50_000)).toContain('maxPoints=11000&');
  });
});

describe('samplesUrl with quality steps', () => {
  it('asks the quality steps of whole seconds with the samples', () => {
    expect(samplesUrl('', 'a/b', { fromMs: 1, toMs: 2 }, 100, 60)).toBe(
      '/api/devices/a%2Fb/samples?from=1&to=2&maxPoints=100&mode=auto&qualityStep=60',
    );
  });
});

describe('ApiClient', () => {
  it('returns the device list', async () => {
    const devices = [{ deviceId: 'w', firstMs: 1, lastMs: 2 }];
    const client = new ApiClient(async () => json(200, { version: 2, devices }));
    expect(await client.devices()).toEqual(devices);
  });

  it("throws the API's code, message and request id", async () => {
    const client = new ApiClient(async () =>
      json(404, {
        code: 'UNKNOWN_DEVICE',
        message: 'no device "x"',
        parameter: 'deviceId',
        requestId: 'r-1',
      }),
    );
    const error = await client.samples('x', { fromMs: 1, toMs: 2 }, 10).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 404,
      apiCode: 'UNKNOWN_DEVICE',
      message: 'no device "x"',
      requestId: 'r-1',
    });
  });

  it('names a failure without an error body, a network failure and an unknown body version', async () => {
    const html = new ApiClient(async () => new Response('<h1>Bad gateway</h1>', { status: 502 }));
    await expect(html.devices()).rejects.toMatchObject({ apiCode: 'HTTP_502', status: 502 });
    const down = new ApiClient(async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(down.devices()).rejects.toMatchObject({ apiCode: 'NETWORK', status: 0 });
    for (const version of [1, 3, undefined]) {
      const other = new ApiClient(async () => json(200, { version, devices: [] }));
      await expect(other.devices()).rejects.toMatchObject({
        apiCode: 'UNSUPPORTED_VERSION',
        message: expect.stringContaining(`body version ${String(version)}; this page reads version 2`),
      });
      const samples = new ApiClient(async () => json(200, { version, mode: 'raw' }));
      await expect(samples.samples('w', { fromMs: 1, toMs: 2 }, 10)).rejects.toMatchObject({
        apiCode: 'UNSUPPORTED_VERSION',
      });
    }
  });

  it('rethrows an abort as is, so a stale fetch is not shown as an error', async () => {
    const controller = new AbortController();
    const client = new ApiClient(
      (_url, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        }),
    );
    const pending = client.samples('w', { fromMs: 1, toMs: 2 }, 10, controller.signal);
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(ApiError);
    expect((error as Error).name).toBe('AbortError');
  });
});
