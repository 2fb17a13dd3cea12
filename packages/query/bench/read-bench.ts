/**
 * Read figures of the store source: one device-day of 50 Hz samples written to dynalite through
 * `SampleStore.writeMany` (86,400 one-second rows), then the `/samples` envelope at 1,600 points through
 * `createStoreSource` and the handler, as the Lambda serves it. Prints time, read units (target about 2,800
 * eventually consistent), JSON bytes (target <= 100 KB) and peak memory above the baseline (target <= 64 MB),
 * with the load average. Reported, never asserted.
 *
 * Run: `pnpm --filter @secondrow/query bench:read [--hours 24] [--page-size 1000,5000] [--prefetch on,off] [--runs 3]`:
 * every page size with every prefetch setting (default `on,off`: the source's default and its peer). dynalite runs on
 * a worker thread; memory is this thread's heap plus array buffers, sampled on every page.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Sample } from '@secondrow/codec';
import { SampleStore } from '@secondrow/codec/dynamodb';
import { createRowTable, startLocalAws } from '@secondrow/local';
import { createQueryHandler, createStoreSource, type EnvelopeBody, type SampleSource } from '../src/index.js';

const { values } = parseArgs({
  options: {
    hours: { type: 'string', default: '24' },
    'page-size': { type: 'string' },
    prefetch: { type: 'string', default: 'on,off' },
    runs: { type: 'string', default: '3' },
  },
});
const hours = Number(values.hours);
const runs = Number(values.runs);
/** Rows per Query page to compare, e.g. `--page-size 1000,5000` (0: the source's default, 1,000). */
const pageSizes = (values['page-size'] ?? '0').split(',').map(Number);
const prefetches = values.prefetch.split(',').map((v) => {
  if (v !== 'on' && v !== 'off') throw new Error(`--prefetch takes on, off or both (on,off), got ${v}`);
  return v === 'on';
});
const configurations = pageSizes.flatMap((pageSize) =>
  prefetches.map((prefetch) => ({ pageSize, prefetch })),
);
const RATE_HZ = 50;
const T0 = Date.UTC(2026, 11, 3);
const rangeMs = hours * 3_600_000;
const DEVICE = 'bench-watch';

const aws = await startLocalAws({ kinesis: false, thread: true });
try {
  const tableName = await createRowTable(aws.dynamodb);
  const store = new SampleStore({ client: aws.dynamodb, tableName, concurrency: 32 });

  // Write an hour at a time: 3,600 rows per writeMany.
  let seed = 42;
  const noise = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31 - 0.5;
  };
  const round = (g: number): number => Math.round(g * 1000) / 1000;
  const writeStarted = performance.now();
  let writeUnits = 0;
  for (let hourStart = 0; hourStart < rangeMs; hourStart += 3_600_000) {
    const samples: Sample[] = [];
    for (let ms = hourStart; ms < Math.min(rangeMs, hourStart + 3_600_000); ms += 1000 / RATE_HZ) {
      const motion = Math.sin(ms / 800) * 0.3;
      samples.push({
        t: T0 + ms,
        x: round(motion + noise() * 0.05),
        y: round(0.1 + noise() * 0.05),
        z: round(0.98 + motion * 0.2 + noise() * 0.05),
      });
    }
    const report = await store.writeMany([{ deviceId: DEVICE, samples, arrivalMs: T0 + hourStart + 2000 }]);
    if (report.failed.length > 0) throw new Error(`write failed: ${report.failed[0]?.error.message}`);
    writeUnits += report.writeUnits;
    process.stdout.write(`\rwritten ${((hourStart + 3_600_000) / 3_600_000).toFixed(0)} of ${hours} h`);
  }
  const writeSeconds = (performance.now() - writeStarted) / 1000;
  process.stdout.write('\n');

  let peak = 0;
  const measure = (): void => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.heapUsed + m.arrayBuffers);
  };
  for (const { pageSize, prefetch } of configurations) {
    const storeSource = createStoreSource({
      client: aws.dynamodb,
      tableName,
      prefetch,
      ...(pageSize === 0 ? {} : { pageSize }),
    });
    let pages = 0;
    // Samples memory on every page the query receives.
    const source: SampleSource = {
      devices: () => storeSource.devices(),
      device: async (deviceId) => ({ deviceId, firstMs: T0, lastMs: T0 + rangeMs }),
      async *columns(deviceId, fromMs, toMs, options) {
        for await (const chunk of storeSource.columns(deviceId, fromMs, toMs, options)) {
          pages++;
          measure();
          yield chunk;
        }
      },
    };
    const handler = createQueryHandler({ source, now: () => T0 + 7 * 86_400_000 });
    const event = {
      version: '2.0',
      routeKey: '$default',
      rawPath: `/api/devices/${DEVICE}/samples`,
      rawQueryString: `from=${T0}&to=${T0 + rangeMs}&maxPoints=1600`,
      headers: {},
      requestContext: { requestId: 'bench', http: { method: 'GET' } },
      isBase64Encoded: false,
    } as never;
    const gc = (globalThis as { gc?: () => void }).gc;
    const results: { seconds: number; units: number; bytes: number; peak: number; pages: number }[] = [];
    for (let run = 0; run < runs; run++) {
      gc?.();
      const base = process.memoryUsage();
      const baseline = base.heapUsed + base.arrayBuffers;
      peak = baseline;
      pages = 0;
      const timer = setInterval(measure, 5);
      const started = performance.now();
      const response = await handler(event);
      const seconds = (performance.now() - started) / 1000;
      clearInterval(timer);
      measure();
      if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}: ${response.body}`);
      const body = JSON.parse(response.body) as EnvelopeBody;
      if (body.quality.samples !== (rangeMs / 1000) * RATE_HZ) throw new Error('samples missing');
      results.push({
        seconds,
        units: body.consumedReadUnits,
        bytes: Buffer.byteLength(response.body),
        peak: peak - baseline,
        pages,
      });
    }
    const median = (pick: (r: (typeof results)[number]) => number): number =>
      results.map(pick).sort((a, b) => a - b)[results.length >> 1] as number;
    const scale = 24 / hours;
    const mb = (b: number): string => (b / 2 ** 20).toFixed(1);
    const first = pageSize === pageSizes[0] && prefetch === prefetches[0];
    if (first)
      console.log(
        `store source, ${hours} h of 50 Hz (${((rangeMs / 1000) * RATE_HZ).toLocaleString('en')} samples, ${rangeMs / 1000} rows) in dynalite (${aws.mode})`,
      );
    if (first)
      console.log(
        `  write (writeMany, 1 h per call)  ${writeSeconds.toFixed(1)} s, ${writeUnits} write units`,
      );
    console.log(
      `  envelope, 1,600 points          ${median((r) => r.seconds).toFixed(2)} s median of ${runs}, ${median((r) => r.pages)} pages${pageSize === 0 ? ' (the default size)' : ` of ${pageSize} rows`}, ${prefetch ? 'reading a page ahead' : 'one page at a time'}`,
    );
    console.log(
      `  read units (eventually)         ${median((r) => r.units).toFixed(1)}${scale === 1 ? '' : ` (x${scale} for a day: ${(median((r) => r.units) * scale).toFixed(0)})`} (target about 2,800 a day)`,
    );
    console.log(
      `  JSON body                       ${(median((r) => r.bytes) / 1000).toFixed(1)} KB (target <= 100 KB)`,
    );
    console.log(
      `  peak memory over baseline       ${mb(median((r) => r.peak))} MB median, ${mb(Math.max(...results.map((r) => r.peak)))} MB max (target <= 64 MB)${gc === undefined ? ' (run node with --expose-gc for a clean baseline)' : ''}`,
    );
    console.log(
      `  load average                    ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} (1, 5, 15 min)`,
    );
  }
} finally {
  await aws.close();
}
