import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ColumnChunk, SampleSource } from '@secondrow/query';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startViewerServer, type ViewerServer } from '../../src/viewer-server.js';

const T0 = Date.UTC(2026, 11, 4, 10);
const t = Float64Array.from({ length: 100 }, (_, i) => T0 + i * 20);
const source: SampleSource = {
  async *columns(_deviceId, fromMs, toMs): AsyncGenerator<ColumnChunk> {
    const keep = [...t].filter((ms) => ms >= fromMs && ms < toMs);
    if (keep.length === 0) return;
    const n = keep.length;
    yield {
      length: n,
      t: Float64Array.from(keep),
      x: new Float64Array(n),
      y: new Float64Array(n),
      z: new Float64Array(n).fill(1),
      readUnits: 2,
    };
  },
  devices: async () => [{ deviceId: 'w', firstMs: T0, lastMs: T0 + 1980 }],
  device: async (id) => (id === 'w' ? { deviceId: 'w', firstMs: T0, lastMs: T0 + 1980 } : undefined),
};

let dir = '';
let server: ViewerServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'viewer-server-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>page</title>');
  writeFileSync(join(dir, 'app.js'), 'console.log(1)');
  writeFileSync(join(tmpdir(), 'viewer-server-secret.txt'), 'secret');
  server = await startViewerServer({ source, pageDir: dir, onError: () => undefined });
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(join(tmpdir(), 'viewer-server-secret.txt'), { force: true });
});

describe('the viewer server', () => {
  it('serves the page on 127.0.0.1 and its files with their types', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const index = await fetch(`${server.url}?device=w&from=1&to=2`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await index.text()).toContain('<title>page</title>');
    const js = await fetch(`${server.url}app.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${server.url}missing.js`)).status).toBe(404);
  });

  it('never serves a file outside the page folder', async () => {
    for (const path of ['..%2Fviewer-server-secret.txt', '%2e%2e/viewer-server-secret.txt', '%E0%A4%A']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).not.toBe(200);
      expect(await response.text()).not.toContain('secret');
    }
  });

  it('serves the query API on the same origin, errors included', async () => {
    const devices = await fetch(`${server.url}api/devices`);
    expect(await devices.json()).toEqual({
      version: 2,
      devices: [{ deviceId: 'w', firstMs: T0, lastMs: T0 + 1980 }],
    });
    const samples = await fetch(
      `${server.url}api/devices/w/samples?from=${T0}&to=${T0 + 2000}&maxPoints=1000`,
    );
    const body = (await samples.json()) as { mode: string; t: number[]; consumedReadUnits: number };
    expect(body.mode).toBe('raw');
    expect(body.t).toEqual([...t]);
    expect(body.consumedReadUnits).toBe(2);
    // The handler's time and the CPU time meanwhile, for the browser's Resource Timing.
    expect(samples.headers.get('server-timing')).toMatch(/^api;dur=\d+\.\d, cpu;dur=\d+\.\d$/);
    const unknown = await fetch(`${server.url}api/devices/nope/samples?from=${T0}&to=${T0 + 2000}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'UNKNOWN_DEVICE' });
  });
});
