/**
 * `pnpm --filter @secondrow/viewer bench`: the page's JavaScript size gzipped, the first chart of a day end to
 * end from local servers, and draw times in headless Chromium measured with the page's performance marks
 * (`viewer:response` → `viewer:drawn`: from the parsed response to the four panes and the quality lane drawn):
 * - first chart of a day: a local DynamoDB (`startLocalAws`, dynalite on its own thread) holding one device-day at 50 Hz written
 *   through `SampleStore` (86,400 one-second rows less a 30 min hole; kept in the OS temp folder and reused,
 *   see `openDeviceDay`), served by the viewer server over `createStoreSource`; from navigation start to
 *   `viewer:drawn`, with the API's server and CPU time (`Server-Timing`), the transfer and the draw, and the
 *   read units; the peer, asked from Node against the same server, is the samples and the quality route asked
 *   at once (two reads of the day, as the page did before `qualityStep`) against one request with `qualityStep`,
 *   and that request to a second server over the same table whose source does not read ahead (`prefetch: false`);
 * - a device-day envelope (one device, 24 h at 50 Hz = 4.32 M samples from an in-memory source, served
 *   by the query handler at the panes' width);
 * - a raw hour of 180,000 samples (50 Hz), handed to the page as a raw body (the API serves raw ranges of
 *   at most 10 minutes, so this measures the drawing alone).
 * Targets: ≤ 60 KB gzip, ≤ 1.5 s, ≤ 100 ms, ≤ 250 ms. Prints the load average: the machine is shared.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '@secondrow/devkit';
import type { ColumnChunk, SampleSource } from '@secondrow/query';
import { createStoreSource } from '@secondrow/query';
import { qualityStepSeconds } from '../src/page/quality-lane.js';
import { buildPage } from '../src/page-build.js';
import { startViewerServer } from '../src/viewer-server.js';
import {
  DAY_DEVICE,
  openDeviceDay,
  DAY_MS as STORED_DAY_MS,
  DAY_START_MS as STORED_DAY_START,
} from './device-day.js';

const RUNS = 5;
const DAY_MS = 86_400_000;
const DAY_START = Date.UTC(2026, 11, 3);
const CHUNK = 100_000;

/** One device, one day at 50 Hz of smooth motion on the 1 mg grid, generated page by page. */
const daySource: SampleSource = {
  async *columns(_deviceId, fromMs, toMs): AsyncGenerator<ColumnChunk> {
    const first = Math.max(0, Math.ceil((fromMs - DAY_START) / 20));
    const end = Math.min(DAY_MS / 20, Math.ceil((toMs - DAY_START) / 20));
    for (let i = first; i < end; i += CHUNK) {
      const n = Math.min(CHUNK, end - i);
      const t = new Float64Array(n);
      const x = new Float64Array(n);
      const y = new Float64Array(n);
      const z = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        const j = i + k;
        t[k] = DAY_START + j * 20;
        x[k] = Math.round(Math.sin(j / 40) * 400 + Math.sin(j / 7000) * 300) / 1000;
        y[k] = Math.round(Math.cos(j / 55) * 300) / 1000;
        z[k] = Math.round(900 + Math.sin(j / 90_000) * 100) / 1000;
      }
      yield { length: n, t, x, y, z, readUnits: 0 };
    }
  },
  devices: async () => [{ deviceId: 'day', firstMs: DAY_START, lastMs: DAY_START + DAY_MS - 20 }],
  device: async (id) =>
    id === 'day' ? { deviceId: 'day', firstMs: DAY_START, lastMs: DAY_START + DAY_MS - 20 } : undefined,
};

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

const dir = await buildPage(join(tmpdir(), `viewer-bench-${process.pid}`));
const assets = join(dir, 'assets');
let jsGzip = 0;
let jsRaw = 0;
for (const name of readdirSync(assets).filter((n) => n.endsWith('.js'))) {
  const bytes = readFileSync(join(assets, name));
  jsRaw += bytes.length;
  jsGzip += gzipSync(bytes, { level: 9 }).length;
}

/** What one first chart of the stored day took, from the page's navigation start (ms). */
interface FirstChart {
  /** Navigation start → the panes and the quality lane drawn (`viewer:drawn`). */
  totalMs: number;
  /** Navigation start → the device list answered (page, config.json, `/api/devices`). */
  devicesMs: number;
  /** The samples request (its body carries the quality lane's steps, from the same read). */
  samples: ApiTiming;
  /** The answer parsed → drawn (`viewer:draw`). */
  drawMs: number;
  readUnits: number;
}

/** One API request's timing, from Resource Timing and the server's `Server-Timing: api`. */
interface ApiTiming {
  /** Navigation start → request sent, ms. */
  startMs: number;
  /** The handler's time on the server, ms. */
  serverMs: number;
  /** The server process's CPU time during it, ms (the rest of `serverMs` is waiting: for a core, for I/O). */
  cpuMs: number;
  /** First byte → last byte of the answer, ms. */
  transferMs: number;
  /** Navigation start → answer complete, ms. */
  endMs: number;
  /** Bytes on the wire (gzip), and decoded. */
  encodedBytes: number;
  decodedBytes: number;
}

/** The fields of a `PerformanceResourceTiming.toJSON()` the benchmark reads. */
interface ResourceJson {
  name: string;
  startTime: number;
  responseStart: number;
  responseEnd: number;
  encodedBodySize: number;
  decodedBodySize: number;
  serverTiming: Array<{ name: string; duration: number }>;
}

function firstChartOf(seen: {
  resources: ResourceJson[];
  drawnMs: number;
  drawMs: number;
  readUnits: number;
}): FirstChart {
  const find = (test: (path: string) => boolean): ResourceJson => {
    const entry = seen.resources.find((e) => test(new URL(e.name).pathname + new URL(e.name).search));
    if (entry === undefined) throw new Error('the page did not make the expected API requests');
    return entry;
  };
  const api = (entry: ResourceJson): ApiTiming => ({
    startMs: entry.startTime,
    serverMs: entry.serverTiming.find((t) => t.name === 'api')?.duration ?? Number.NaN,
    cpuMs: entry.serverTiming.find((t) => t.name === 'cpu')?.duration ?? Number.NaN,
    transferMs: entry.responseEnd - entry.responseStart,
    endMs: entry.responseEnd,
    encodedBytes: entry.encodedBodySize,
    decodedBytes: entry.decodedBodySize,
  });
  return {
    totalMs: seen.drawnMs,
    devicesMs: find((path) => path === '/api/devices').responseEnd,
    samples: api(find((path) => path.includes('/samples?'))),
    drawMs: seen.drawMs,
    readUnits: seen.readUnits,
  };
}

const FIRST_CHART_RUNS = 5;
const day = await openDeviceDay((text) => process.stdout.write(`${text}\n`));
const dayServer = await startViewerServer({
  source: createStoreSource({ client: day.aws.dynamodb, tableName: day.tableName }),
  pageDir: dir,
});
const firstCharts: FirstChart[] = [];
let coldChart: FirstChart | undefined;
// The same table served without reading ahead: the peer of the store's `prefetch`.
const noPrefetchServer = await startViewerServer({
  source: createStoreSource({ client: day.aws.dynamodb, tableName: day.tableName, prefetch: false }),
  pageDir: dir,
});
const PEER_RUNS = 3;
const peer = {
  oneRead: [] as Array<{ ms: number; readUnits: number }>,
  twoReads: [] as Array<{ ms: number; readUnits: number }>,
  noPrefetch: [] as Array<{ ms: number; readUnits: number }>,
};
const dayContext = await launchChromium();
try {
  const page = await dayContext.newPage();
  // A first view: nothing from the HTTP cache (a past day's answers are cacheable).
  const cdp = await dayContext.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const view = async (server: { url: string }): Promise<FirstChart> => {
    await page.goto(
      `${server.url}?device=${DAY_DEVICE}&from=${STORED_DAY_START}&to=${STORED_DAY_START + STORED_DAY_MS}`,
    );
    await page.waitForFunction(() => document.body.dataset.status === 'ready', undefined, {
      timeout: 300_000,
    });
    // Plain data out of the page; the figures are picked in Node (tsx's helpers do not exist in the page).
    const seen = await page.evaluate(() => ({
      resources: performance.getEntriesByType('resource').map((e) => e.toJSON() as ResourceJson),
      drawnMs: performance.getEntriesByName('viewer:drawn')[0]?.startTime ?? Number.NaN,
      drawMs: window.__viewer?.drawMs ?? Number.NaN,
      readUnits: Number(document.getElementById('info')?.dataset.readUnits),
    }));
    return firstChartOf(seen);
  };
  // The first view after opening the table reads LevelDB cold; reported alone.
  coldChart = await view(dayServer);
  for (let run = 0; run < FIRST_CHART_RUNS; run++) {
    firstCharts.push(await view(dayServer));
  }
  // The peer, from Node against the same server: the day's samples with the lane's steps in one request,
  // against the samples and the quality route asked at once (what the lane cost before `qualityStep`).
  const lane = qualityStepSeconds({ fromMs: STORED_DAY_START, toMs: STORED_DAY_START + STORED_DAY_MS }, 1100);
  const range = `from=${STORED_DAY_START}&to=${STORED_DAY_START + STORED_DAY_MS}`;
  const api = `${dayServer.url}api/devices/${DAY_DEVICE}`;
  const units = async (url: string): Promise<number> => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    return ((await response.json()) as { consumedReadUnits: number }).consumedReadUnits;
  };
  for (let run = 0; run < PEER_RUNS; run++) {
    let started = performance.now();
    const one = await units(`${api}/samples?${range}&maxPoints=1100&qualityStep=${lane}`);
    peer.oneRead.push({ ms: performance.now() - started, readUnits: one });
    started = performance.now();
    const both = await Promise.all([
      units(`${api}/samples?${range}&maxPoints=1100`),
      units(`${api}/quality?${range}&step=${lane}`),
    ]);
    peer.twoReads.push({ ms: performance.now() - started, readUnits: both[0] + both[1] });
    started = performance.now();
    const plain = await units(
      `${noPrefetchServer.url}api/devices/${DAY_DEVICE}/samples?${range}&maxPoints=1100&qualityStep=${lane}`,
    );
    peer.noPrefetch.push({ ms: performance.now() - started, readUnits: plain });
  }
} finally {
  await dayContext.close();
  await dayServer.close();
  await noPrefetchServer.close();
  await day.close();
}

const server = await startViewerServer({ source: daySource, pageDir: dir });
const context = await launchChromium();
const envelope: number[] = [];
const raw: number[] = [];
let rawFirst = 0;
try {
  const page = await context.newPage();
  for (let run = 0; run < RUNS; run++) {
    await page.goto(`${server.url}?device=day&from=${DAY_START}&to=${DAY_START + DAY_MS}`);
    await page.waitForFunction(() => document.body.dataset.status === 'ready', undefined, {
      timeout: 120_000,
    });
    envelope.push(await page.evaluate(() => window.__viewer!.drawMs!));
  }
  for (let run = 0; run <= RUNS; run++) {
    const ms = await page.evaluate(async () => {
      const n = 180_000;
      const from = Date.UTC(2026, 11, 3, 10);
      const t = new Array<number>(n);
      const x = new Array<number>(n);
      const y = new Array<number>(n);
      const z = new Array<number>(n);
      for (let i = 0; i < n; i++) {
        t[i] = from + i * 20;
        x[i] = Math.round(Math.sin(i / 40) * 400) / 1000;
        y[i] = Math.round(Math.cos(i / 55) * 300) / 1000;
        z[i] = 0.95;
      }
      const body = {
        version: 2,
        deviceId: 'day',
        from,
        to: from + 3_600_000,
        mode: 'raw',
        requestedMode: 'raw',
        gaps: [],
        gapsTruncated: false,
        intervalMs: 20,
        quality: {
          rows: 3600,
          secondsWithData: 3600,
          missingSeconds: 0,
          samples: n,
          duplicates: null,
          conflicts: null,
          latenessMs: null,
          arrivalToWriteMs: null,
        },
        consumedReadUnits: 0,
        t,
        x,
        y,
        z,
      };
      return window.__viewer!.renderBody(body as never);
    });
    if (run === 0) rawFirst = ms;
    else raw.push(ms);
  }
} finally {
  await context.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const byTotal = [...firstCharts].sort((a, b) => a.totalMs - b.totalMs);
const mid = byTotal[Math.floor(byTotal.length / 2)] as FirstChart;
const apiLine = (name: string, t: ApiTiming) =>
  `  ${name}: sent at ${fmt(t.startMs)}, server ${fmt(t.serverMs)} (CPU ${fmt(t.cpuMs)}), transfer ${fmt(t.transferMs)} (${kb(t.encodedBytes)} gzip, ${kb(t.decodedBytes)} JSON), done at ${fmt(t.endMs)}`;
process.stdout.write(
  `${[
    `page JavaScript: ${kb(jsGzip)} gzip (${kb(jsRaw)} raw)                     target ≤ 60 KB gzip`,
    `device-day table: ${day.seeded ? `written now in ${(day.seedMs / 1000).toFixed(0)} s` : 'reused'} (${day.rows.toLocaleString('en')} rows, ${day.dataDir})`,
    `first chart of a day from local servers (navigation start → panes and lane drawn): median ${fmt(mid.totalMs)} of ${FIRST_CHART_RUNS} (${firstCharts.map((c) => fmt(c.totalMs)).join(', ')})   target ≤ 1.5 s`,
    `  the first view after opening the table (LevelDB cold, not in the median): ${fmt(coldChart?.totalMs ?? Number.NaN)}`,
    `  median run: device list at ${fmt(mid.devicesMs)}`,
    apiLine('samples', mid.samples),
    `  draw ${fmt(mid.drawMs)}; ${mid.readUnits} read units (one read for the panes and the quality lane)`,
    `  peer, server side from Node, median of ${PEER_RUNS}: samples with the lane's steps in one read ${fmt(median(peer.oneRead.map((r) => r.ms)))}, ${peer.oneRead[0]?.readUnits} read units; samples and the quality route at once (before) ${fmt(median(peer.twoReads.map((r) => r.ms)))}, ${peer.twoReads[0]?.readUnits} read units`,
    `  peer, the same request without reading ahead (prefetch: false), median of ${PEER_RUNS}: ${fmt(median(peer.noPrefetch.map((r) => r.ms)))}, ${peer.noPrefetch[0]?.readUnits} read units`,
    `device-day envelope drawn after its response: median ${fmt(median(envelope))} of ${RUNS} (${envelope.map(fmt).join(', ')})   target ≤ 100 ms`,
    `raw hour, 180,000 samples, drawn: median ${fmt(median(raw))} of ${RUNS} (first, charts rebuilt from envelope: ${fmt(rawFirst)})   target ≤ 250 ms`,
    `load average: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} on ${availableParallelism()} cores`,
  ].join('\n')}\n`,
);
