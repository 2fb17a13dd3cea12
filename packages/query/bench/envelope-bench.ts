/**
 * Envelope of one device-day at 50 Hz (4.32 M samples) read from an in-memory source in pages, at the
 * default 1,600 points: throughput, JSON size (target <= 100 KB) and peak memory above the baseline
 * taken after the day is generated (target <= 64 MB). Run: `pnpm --filter @secondrow/query bench`.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import {
  type ColumnChunk,
  DEFAULT_MAX_POINTS,
  querySamples,
  type SampleSource,
  type SamplesQuery,
  samplesBody,
} from '../src/index.js';

const DAY_MS = 86_400_000;
const RATE_HZ = 50;
const SAMPLES = (DAY_MS / 1000) * RATE_HZ;
const T0 = Date.UTC(2026, 11, 4);
/** Samples per page: about one DynamoDB 1 MB Query page of 1 s rows at 50 Hz (~230 B each, ~4,500 rows). */
const PAGE_SAMPLES = Number(process.env.PAGE_SAMPLES ?? 200_000);
const RUNS = 3;

function day() {
  const t = new Float64Array(SAMPLES);
  const x = new Float64Array(SAMPLES);
  const y = new Float64Array(SAMPLES);
  const z = new Float64Array(SAMPLES);
  let seed = 42;
  const noise = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31 - 0.5;
  };
  for (let i = 0; i < SAMPLES; i++) {
    t[i] = T0 + i * (1000 / RATE_HZ);
    const motion = Math.sin(i / 40) * 0.3;
    x[i] = Math.round((motion + noise() * 0.05) * 1000) / 1000;
    y[i] = Math.round((0.1 + noise() * 0.05) * 1000) / 1000;
    z[i] = Math.round((0.98 + motion * 0.2 + noise() * 0.05) * 1000) / 1000;
  }
  return { t, x, y, z };
}

const data = day();
let peakBytes = 0;
const measure = (): void => {
  const m = process.memoryUsage();
  peakBytes = Math.max(peakBytes, m.heapUsed + m.arrayBuffers);
};

/** Pages are fresh arrays, as a store adapter decoding rows makes them. */
const source: SampleSource = {
  async *columns(_deviceId, fromMs, toMs) {
    for (let i = 0; i < SAMPLES; i += PAGE_SAMPLES) {
      const end = Math.min(SAMPLES, i + PAGE_SAMPLES);
      if ((data.t[i] as number) >= toMs || (data.t[end - 1] as number) < fromMs) continue;
      const chunk: ColumnChunk = {
        length: end - i,
        t: data.t.slice(i, end),
        x: data.x.slice(i, end),
        y: data.y.slice(i, end),
        z: data.z.slice(i, end),
        readUnits: 0,
      };
      measure();
      yield chunk;
    }
  },
  devices: async () => [],
  device: async () => undefined,
};

const gc = (globalThis as { gc?: () => void }).gc;
const query: SamplesQuery = {
  deviceId: 'bench',
  fromMs: T0,
  toMs: T0 + DAY_MS,
  maxPoints: DEFAULT_MAX_POINTS,
  mode: 'auto',
  consistentRead: false,
};

const rates: number[] = [];
let bytes = 0;
let gzipBytes = 0;
let peaks: number[] = [];
for (let run = 0; run < RUNS; run++) {
  gc?.();
  const base = process.memoryUsage();
  const baseline = base.heapUsed + base.arrayBuffers;
  peakBytes = baseline;
  const started = performance.now();
  const result = await querySamples(source, query);
  const json = JSON.stringify(samplesBody(query, result));
  const seconds = (performance.now() - started) / 1000;
  measure();
  if (result.mode !== 'envelope' || result.quality.samples !== SAMPLES) throw new Error('unexpected result');
  rates.push(SAMPLES / seconds);
  bytes = Buffer.byteLength(json);
  gzipBytes = gzipSync(json).length;
  peaks.push(peakBytes - baseline);
}
peaks = peaks.sort((a, b) => a - b);
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1] as number;
const mb = (b: number): string => (b / 2 ** 20).toFixed(1);

console.log(
  `envelope of one device-day: ${SAMPLES.toLocaleString('en')} samples, ${PAGE_SAMPLES} per page, ${DEFAULT_MAX_POINTS} points`,
);
console.log(
  `  throughput (query + JSON)  ${(median(rates) / 1e6).toFixed(1)} M samples/s (median of ${RUNS})`,
);
console.log(
  `  JSON body                  ${(bytes / 1000).toFixed(1)} KB (target <= 100 KB), ${(gzipBytes / 1000).toFixed(1)} KB gzipped`,
);
console.log(
  `  peak memory over baseline  ${mb(median(peaks))} MB median, ${mb(peaks.at(-1) as number)} MB max (target <= 64 MB)${gc === undefined ? ' (run with --expose-gc for a clean baseline)' : ''}`,
);
console.log(
  `  load average               ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (1, 5, 15 min)`,
);
