import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '@secondrow/devkit';
import { createStoreSource } from '@secondrow/query';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalFleet, startLocalFleet } from '../../src/local-fleet.js';
import type { ViewerProbe } from '../../src/page/viewer-app.js';
import { buildPage } from '../../src/page-build.js';
import { startViewerServer, type ViewerServer } from '../../src/viewer-server.js';

declare global {
  interface Window {
    __viewer?: ViewerProbe;
  }
}

/** Recordings end here (whole seconds), 5 min at 50 Hz, with two holes and an offline stretch. */
const END_MS = Date.UTC(2026, 11, 4, 10, 0, 0);
const DURATION_MS = 300_000;
const START_MS = END_MS - DURATION_MS;
const HOLES: Array<[number, number]> = [
  [60_000, 72_000],
  [200_000, 203_000],
];
const ABS_HOLES = HOLES.map(([a, b]): [number, number] => [START_MS + a, START_MS + b]);
/** A stretch the watches kept offline: its rows were written 45 s after it ended, the others ≤ 6.5 s late. */
const OFFLINE: Array<[number, number]> = [[240_000, 260_000]];
const ABS_OFFLINE = OFFLINE.map(([a, b]): [number, number] => [START_MS + a, START_MS + b]);
/** The sample times every device has: every 20 ms, less the holes. */
const TIMES = Array.from({ length: DURATION_MS / 20 }, (_, i) => START_MS + i * 20).filter(
  (t) => !ABS_HOLES.some(([a, b]) => t >= a && t < b),
);

let dir = '';
let fleet: LocalFleet | undefined;
let server: ViewerServer | undefined;
let context: BrowserContext | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'viewer-page-'));
  // Chromium first: its absence must be the only message.
  context = await launchChromium();
  const pageDir = await buildPage(join(dir, 'dist'));
  fleet = await startLocalFleet({
    devices: 2,
    durationMs: DURATION_MS,
    endMs: END_MS,
    holes: HOLES,
    offline: OFFLINE,
  });
  server = await startViewerServer({
    source: createStoreSource({ client: fleet.aws.dynamodb, tableName: fleet.tableName }),
    pageDir,
  });
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  await fleet?.close();
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

async function open(search = ''): Promise<{ page: Page; samplesRequests: string[] }> {
  const page = await context!.newPage();
  const samplesRequests: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/samples?')) samplesRequests.push(r.url());
  });
  await page.goto(`${server!.url}${search}`);
  await page.waitForFunction(() => ['ready', 'empty', 'error'].includes(document.body.dataset.status ?? ''));
  return { page, samplesRequests };
}

const probe = (page: Page) =>
  page.evaluate(() => {
    const { xToCss: _x, renderBody: _r, ...rest } = window.__viewer!;
    return rest;
  });

/** RGBA of the pixel of pane `key` at `x` CSS px into its plotting area and `yFraction` of its height. */
async function panePixel(page: Page, key: string, ms: number, yFraction: number): Promise<number[]> {
  return page.evaluate(
    ([k, t, f]) => {
      const canvas = document.querySelector(`[data-pane="${k}"] canvas`) as HTMLCanvasElement;
      const over = document.querySelector(`[data-pane="${k}"] .u-over`) as HTMLElement;
      const x = window.__viewer!.xToCss(t as number)! + over.offsetLeft;
      const y = over.offsetTop + over.clientHeight * (f as number);
      return [...canvas.getContext('2d')!.getImageData(Math.round(x), Math.round(y), 1, 1).data];
    },
    [key, ms, yFraction] as const,
  );
}

/** The gap fill, rgba(255, 170, 0, 0.28), on the pane's transparent canvas. */
const isAmber = ([r, g, b, a]: number[]) => r! > 240 && g! > 150 && g! < 190 && b! < 30 && a! > 50 && a! < 90;

describe('the viewer page over local DynamoDB', () => {
  it('lists the registry devices and draws the first one whole, as an envelope with the holes shaded', async () => {
    // Prepare
    const registered = (await fleet!.registry.list()).devices.map((d) => d.deviceId).sort();
    // Act
    const { page, samplesRequests } = await open();
    try {
      const options = await page.$$eval('#device option', (os) =>
        os.map((o) => (o as HTMLOptionElement).value),
      );
      const state = await probe(page);
      const search = await page.evaluate(() => location.search);
      const shot = join(tmpdir(), `viewer-default-${process.pid}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      console.log(`viewer screenshot: ${shot}`);
      // Assess: the device list is the registry's, the first device's whole range is drawn and in the URL.
      expect(options).toEqual(registered);
      expect(state.status).toBe('ready');
      expect(samplesRequests).toHaveLength(1);
      expect(state.range).toEqual({ fromMs: START_MS, toMs: TIMES.at(-1)! + 1 });
      expect(search).toBe(
        `?device=${encodeURIComponent(registered[0]!)}&from=${START_MS}&to=${TIMES.at(-1)! + 1}`,
      );
      expect(new URL(samplesRequests[0]!).searchParams.get('maxPoints')).toBe(String(state.maxPoints));
      // Every pane has one point per bucket holding samples (the bucket rule is the API's).
      expect(state.mode).toBe('envelope');
      const span = TIMES.at(-1)! + 1 - START_MS;
      const bucketMs = Math.ceil(span / state.maxPoints);
      const buckets = new Set(TIMES.map((t) => Math.floor((t - START_MS) / bucketMs))).size;
      expect(state.points).toEqual({ x: buckets, y: buckets, z: buckets, mag: buckets });
      // Non-blank panes: each has many pixels in its colour family, not just axes and grid.
      const inked = await page.$$eval('[data-pane] canvas', (canvases) =>
        canvases.map((element) => {
          const c = element as HTMLCanvasElement;
          const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
          let n = 0;
          for (let i = 0; i < data.length; i += 4) {
            const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
            if (Math.max(r, g, b) - Math.min(r, g, b) > 40) n++;
          }
          return n;
        }),
      );
      expect(inked).toHaveLength(4);
      for (const n of inked) expect(n).toBeGreaterThan(10_000);
      // The gaps are the holes, shaded amber in every pane; data elsewhere is not.
      expect(state.gaps).toEqual(ABS_HOLES);
      for (const key of ['x', 'y', 'z', 'mag']) {
        for (const [a, b] of ABS_HOLES) {
          const shades = await Promise.all([0.2, 0.5, 0.8].map((f) => panePixel(page, key, (a + b) / 2, f)));
          expect(
            shades.filter(isAmber).length,
            `${key} at ${a}: ${JSON.stringify(shades)}`,
          ).toBeGreaterThanOrEqual(2);
        }
        const outside = await Promise.all(
          [0.2, 0.5, 0.8].map((f) => panePixel(page, key, START_MS + 30_000, f)),
        );
        expect(outside.filter(isAmber)).toEqual([]);
      }
      // The quality lane marks exactly the holes' seconds red and the offline stretch's purple (late): the
      // rows record their first write times, late only there.
      expect(state.missingSeconds).toEqual(ABS_HOLES);
      expect(state.late).toEqual(ABS_OFFLINE);
      const lane = await page.evaluate(
        ([[a, b], [c, d]]) => {
          const canvas = document.getElementById('lane') as HTMLCanvasElement;
          const range = window.__viewer!.range!;
          const at = (ms: number) => {
            const x = Math.round(((ms - range.fromMs) / (range.toMs - range.fromMs)) * canvas.width);
            return [...canvas.getContext('2d')!.getImageData(x, 2, 1, 1).data];
          };
          return {
            hole: at((a + b) / 2),
            late: at((c + d) / 2),
            data: at(range.fromMs + 30_000),
          };
        },
        [ABS_HOLES[0]!, ABS_OFFLINE[0]!] as const,
      );
      expect(lane.hole.slice(0, 3)).toEqual([0xd6, 0x45, 0x45]);
      expect(lane.late.slice(0, 3)).toEqual([0x8a, 0x5c, 0xc2]);
      expect(lane.data.slice(0, 3)).toEqual([0x7c, 0xc4, 0x7f]);
      expect(await page.textContent('#lane-legend')).toMatch(
        /late \(slowest row > 10 s\): 20 s marked in 1 s steps/,
      );
      // The fleet's rows record when they were written: their lateness is measured.
      expect(await page.textContent('#lane-legend')).toMatch(
        /lateness p50 \S+ \w+, p95 \S+ \w+, max \S+ \w+ \(285 rows\); duplicates: not measured by this API/,
      );
      expect(await page.getAttribute('#info', 'data-read-units')).toMatch(/^[1-9]\d*(\.\d+)?$/);
    } finally {
      await page.close();
    }
  });

  it('refetches raw samples once when a drag selects a few seconds, and shows values on hover', async () => {
    // Prepare
    const { page, samplesRequests } = await open();
    try {
      const box = (await page.locator('[data-pane="x"] .u-over').boundingBox())!;
      const [a, b] = [START_MS + 100_000, START_MS + 108_000];
      const xa = (await page.evaluate((t) => window.__viewer!.xToCss(t)!, a)) + box.x;
      const xb = (await page.evaluate((t) => window.__viewer!.xToCss(t)!, b)) + box.x;
      // Act
      await page.mouse.move(xa, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(xb, box.y + box.height / 2, { steps: 8 });
      await page.mouse.up();
      await page.waitForFunction(
        () => window.__viewer!.mode === 'raw' && document.body.dataset.status === 'ready',
      );
      const state = await probe(page);
      await page.mouse.move((xa + xb) / 2, box.y + box.height / 2);
      const readout = await page.textContent('#readout');
      // Assess: one more request, raw, over about the selected range, with every sample in it.
      expect(samplesRequests, samplesRequests.join('\n')).toHaveLength(2);
      const range = state.range!;
      expect(Math.abs(range.fromMs - a)).toBeLessThan(500);
      expect(Math.abs(range.toMs - b)).toBeLessThan(500);
      const inRange = TIMES.filter((t) => t >= range.fromMs && t < range.toMs).length;
      expect(state.points).toEqual({ x: inRange, y: inRange, z: inRange, mag: inRange });
      expect(await page.evaluate(() => location.search)).toContain(`from=${range.fromMs}&to=${range.toMs}`);
      expect(readout).toMatch(/UTC · .* UTC[+-]\d\d:\d\d · x: -?\d\.\d{3} g · y: .* · mag: \d\.\d{3} g/);
    } finally {
      await page.close();
    }
  });

  it('applies a range preset, puts it in the URL and goes back with the browser', async () => {
    // Prepare
    const { page, samplesRequests } = await open();
    try {
      const whole = (await probe(page)).range!;
      // Act
      await page.click('button[data-preset="last-1h"]');
      await page.waitForFunction(
        (from) => window.__viewer!.range?.fromMs !== from && document.body.dataset.status === 'ready',
        whole.fromMs,
      );
      const hour = (await probe(page)).range!;
      await page.goBack();
      await page.waitForFunction(
        (from) => window.__viewer!.range?.fromMs === from && document.body.dataset.status === 'ready',
        whole.fromMs,
      );
      // Assess
      expect(hour).toEqual({ fromMs: whole.toMs - 3_600_000, toMs: whole.toMs });
      expect(samplesRequests).toHaveLength(3);
      expect(await page.evaluate(() => location.search)).toContain(`from=${whole.fromMs}&to=${whole.toMs}`);
    } finally {
      await page.close();
    }
  });

  it('aborts a stale fetch when a newer range is asked for before it answered', async () => {
    // Prepare: hold every samples response for 400 ms so the first is still in flight at the second click.
    const { page } = await open();
    try {
      const whole = (await probe(page)).range!;
      await page.route('**/samples?**', async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 400));
        await route.continue().catch(() => undefined);
      });
      const failed: string[] = [];
      page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`));
      // Act
      await page.click('button[data-preset="last-1h"]');
      await page.click('button[data-preset="last-6h"]');
      await page.waitForFunction(
        (to) =>
          window.__viewer!.range?.fromMs === to - 6 * 3_600_000 && document.body.dataset.status === 'ready',
        whole.toMs,
      );
      // Assess: the 1 h request was cancelled, and only the 6 h one was drawn.
      expect(failed.filter((f) => f.includes('/samples?'))).toHaveLength(1);
      expect(failed[0]).toContain(`from=${whole.toMs - 3_600_000}&`);
      expect(failed[0]).toContain('ERR_ABORTED');
    } finally {
      await page.close();
    }
  });

  it("shows the API's error code and message for an unknown device in the URL, then recovers", async () => {
    // Act
    const { page } = await open('?device=no-such-watch');
    try {
      const state = await probe(page);
      const message = await page.textContent('#message');
      // Assess
      expect(state.status).toBe('error');
      expect(state.error?.code).toBe('UNKNOWN_DEVICE');
      expect(message).toContain('UNKNOWN_DEVICE: no device "no-such-watch"');
      expect(await page.isVisible('#message')).toBe(true);
      expect(await page.isHidden('#panes')).toBe(true);
      // Picking a real device draws it at the panes' full width.
      const second = (await fleet!.registry.list()).devices.map((d) => d.deviceId).sort()[1]!;
      await page.selectOption('#device', second);
      await page.waitForFunction(() => document.body.dataset.status === 'ready');
      const after = await probe(page);
      expect(after.error).toBeUndefined();
      expect(after.maxPoints).toBeGreaterThan(1000);
      expect(await page.isHidden('#message')).toBe(true);
    } finally {
      await page.close();
    }
  });
});
