/**
 * `pnpm --filter @secondrow/viewer bench`: the page's JavaScript size gzipped, and draw times in headless
 * Chromium measured with the page's performance marks (`viewer:response` → `viewer:drawn`: from the parsed
 * response to the four panes and the quality lane drawn):
 * - a device-day envelope (one device, 24 h at 50 Hz = 4.32 M samples from an in-memory source, served
 *   by the query handler at the panes' width);
 * - a raw hour of 180,000 samples (50 Hz), handed to the page as a raw body (the API serves raw ranges of
 *   at most 10 minutes, so this measures the drawing alone).
 * Targets: ≤ 60 KB gzip, ≤ 100 ms, ≤ 250 ms. Prints the load average: the machine is shared.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '@secondrow/devkit';
import type { ColumnChunk, SampleSource } from '@secondrow/query';
import { buildPage } from '../src/page-build.js';
import { startViewerServer } from '../src/viewer-server.js';

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
process.stdout.write(
  `${[
    `page JavaScript: ${kb(jsGzip)} gzip (${kb(jsRaw)} raw)                     target ≤ 60 KB gzip`,
    `device-day envelope drawn after its response: median ${fmt(median(envelope))} of ${RUNS} (${envelope.map(fmt).join(', ')})   target ≤ 100 ms`,
    `raw hour, 180,000 samples, drawn: median ${fmt(median(raw))} of ${RUNS} (first, charts rebuilt from envelope: ${fmt(rawFirst)})   target ≤ 250 ms`,
    `load average: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} on ${availableParallelism()} cores`,
  ].join('\n')}\n`,
);
