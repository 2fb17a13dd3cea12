/**
 * Benchmark of the consumer Lambda's handler. Prints measured numbers next to their targets; nothing
 * is asserted (numbers depend on the machine).
 *
 *   pnpm exec tsx packages/consumer/bench/handler-bench.ts [--samples 1000000] [--runs 5] [--only cpu,cold,memory,2015]
 *     [--bundle path/to/index.mjs]   (another build of the Lambda bundle, e.g. to compare two commits)
 *
 * 1. CPU path (base64, parse, validate, group, pack, encode) for JSON v1 on one core: target >= 1 M
 *    samples/s, measured on processBatch itself with a store that packs and encodes as
 *    SampleStore.writeMany does but sends nothing. Before it, a breakdown by phase of the same steps
 *    run one after the other over the whole input (so all sample objects are alive at once, which the
 *    handler avoids by writing devices in groups).
 * 2. Cold start: module load + client creation, measured as whole `node` processes on the Lambda
 *    bundle (dist-lambda/index.mjs when built with `pnpm --filter @secondrow/consumer bundle`,
 *    else the sources through tsx), next to an empty `node` process (the baseline, node's own start-up):
 *    target <= 150 ms for what the handler adds (handler process - empty process, medians).
 * 3. Memory of a 6 MB invocation (max RSS and peak heap of a fresh process): target < 128 MB. A 128 MB
 *    function is approximated by capping V8's heap as Lambda's runtime sizes it from the function's
 *    memory (`--max-old-space-size=110 --max-semi-space-size=4`); the run with default limits shows
 *    what an uncapped process lets its heap grow to.
 * 4. The 2015 log's figures against local dynalite: 1 record of 200 samples (5.5 s in 2015) and
 *    10 records of 200 samples (51.8 s in 2015).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { encodeRow, packRows, type Sample } from '@secondrow/codec';
import { createTable, SampleStore, type WriteReport } from '@secondrow/codec/dynamodb';
import { createHandler, processBatch, Quarantine } from '@secondrow/consumer';
import { jsonV1, kinesisRecord, legacy2015 } from '@secondrow/devkit';
import { startLocalAws } from '@secondrow/local';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
// The handler's own parse (JSON v1 samples packed in a Float64Array until written) and the step that
// makes sample objects for the store: internal, so imported from the sources.
import { type PartSamples, sampleCount, toSamples } from '../src/packed-samples.js';
import { recordParser } from '../src/parse-record.js';

const { values } = parseArgs({
  options: {
    samples: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '5' },
    only: { type: 'string', default: 'cpu,cold,memory,2015' },
    bundle: { type: 'string' },
  },
});
const sections = new Set(values.only.split(','));
const RUNS = Number(values.runs);
const root = fileURLToPath(new URL('..', import.meta.url));
const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

// ---------- corpus ----------

/** A phone batch: `count` samples at 50 Hz with a smooth random walk, 3 decimals like a real producer. */
function phoneSamples(startMs: number, count: number, seed: number): Sample[] {
  let x = 0;
  let y = 0;
  let z = 1;
  let s = seed;
  const rnd = () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648 - 0.5;
  };
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return Array.from({ length: count }, (_, i) => {
    x = Math.max(-4, Math.min(4, x + rnd() * 0.05));
    y = Math.max(-4, Math.min(4, y + rnd() * 0.05));
    z = Math.max(-4, Math.min(4, z + rnd() * 0.05));
    return { t: startMs + i * 20, x: round(x), y: round(y), z: round(z) };
  });
}

/** JSON v1 records of 200 samples: `devices` phones, each sending consecutive 4 s batches. */
function jsonV1Records(totalSamples: number, devices = 100, startMs = T0): KinesisStreamRecord[] {
  const perRecord = 200;
  const count = Math.ceil(totalSamples / perRecord);
  const records: KinesisStreamRecord[] = [];
  for (let i = 0; i < count; i++) {
    const device = i % devices;
    const batch = Math.floor(i / devices);
    const samples = phoneSamples(startMs + batch * perRecord * 20, perRecord, i + 1);
    // The phone sends 250 ms after its last sample.
    const sentAt = (samples.at(-1)?.t ?? 0) + 250;
    records.push(
      kinesisRecord(jsonV1(`watch-${device}`, samples, { batchId: batch, sentAt }), {
        arrivalMs: startMs + (batch + 1) * perRecord * 20 + 900,
      }),
    );
  }
  return records;
}

// ---------- report ----------

const rows: [string, string, string, string][] = [];
function report(name: string, measured: string, target: string, ok: boolean | undefined): void {
  const status = ok === undefined ? '' : ok ? 'meets target' : 'MISSES target';
  rows.push([name, measured, target, status]);
  console.log(`  ${name.padEnd(44)} ${measured.padStart(16)}   target ${target.padEnd(12)} ${status}`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const fmt = (n: number, digits = 1) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

// ---------- 1. CPU path ----------

function cpuPath(): void {
  const total = Number(values.samples);
  console.log(
    `\n1. Handler CPU path, JSON v1, one core (${fmt(total / 1e6, 2)} M samples in records of 200); breakdown by phase first:`,
  );
  const records = jsonV1Records(total);
  const run = () => {
    const times = { decode: 0, parse: 0, pack: 0, encode: 0 };
    let samples = 0;
    let rowsOut = 0;
    let bytesOut = 0;
    const byDevice = new Map<string, PartSamples[]>();
    // CPU time (user + system), not wall time: on a shared machine wall time counts other processes too.
    const cpu = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    let t = cpu();
    const decoded = records.map((r) => Buffer.from(r.kinesis.data, 'base64'));
    times.decode = cpu() - t;
    t = cpu();
    const parser = recordParser();
    for (let i = 0; i < decoded.length; i++) {
      const parsed = parser.parsePacked(decoded[i] as Uint8Array, { sequenceNumber: String(i) });
      for (const part of parsed.parts) {
        if (!part.ok) throw new Error(part.error.message);
        samples += sampleCount(part.samples);
        const list = byDevice.get(part.deviceId);
        if (list) list.push(part.samples);
        else byDevice.set(part.deviceId, [part.samples]);
      }
    }
    times.parse = cpu() - t;
    const packed = [];
    t = cpu();
    // As processBatch and writeMany do: sample objects per part, one list per device, packRows.
    for (const parts of byDevice.values()) {
      const list: Sample[] = [];
      for (const part of parts) for (const sample of toSamples(part)) list.push(sample);
      packed.push(...packRows(list));
    }
    times.pack = cpu() - t;
    t = cpu();
    for (const row of packed) {
      bytesOut += encodeRow(row).length;
      rowsOut++;
    }
    times.encode = cpu() - t;
    return { times, samples, rowsOut, bytesOut };
  };
  run(); // warm-up: JIT, avsc types
  const results = Array.from({ length: Math.max(1, RUNS) }, run);
  const best = results.reduce((a, b) =>
    Object.values(a.times).reduce((x, y) => x + y) <= Object.values(b.times).reduce((x, y) => x + y) ? a : b,
  );
  const ms = Object.values(best.times).reduce((x, y) => x + y);
  const cpuMs = ms;
  for (const [phase, phaseMs] of Object.entries(best.times)) {
    report(
      `  ${phase} (${fmt(phaseMs, 0)} ms CPU)`,
      `${fmt(((best.samples / phaseMs) * 1000) / 1e6, 2)} M/s`,
      '',
      undefined,
    );
  }
  report(
    '  sum of the phases (all samples alive at once)',
    `${fmt(((best.samples / cpuMs) * 1000) / 1e6, 2)} M/s`,
    '',
    undefined,
  );
  console.log(
    `  (${best.samples} samples -> ${best.rowsOut} rows, ${fmt(best.bytesOut / best.rowsOut, 0)} B/row; best of ${results.length} runs by CPU time, ${fmt(cpuMs, 0)} ms CPU)`,
  );
}

/** processBatch end to end (base64, parse, validate, instrumentation, group, pack, encode), no I/O. */
async function cpuProcessBatch(): Promise<void> {
  const total = Number(values.samples);
  const event: KinesisStreamEvent = { Records: jsonV1Records(total) };
  // What SampleStore.writeMany does before its requests: one list per device, packRows, encodeRow.
  const store = {
    async writeMany(entries: readonly { deviceId: string; samples: readonly Sample[] }[]) {
      const lists = new Map<string, Sample[]>();
      for (const { deviceId, samples } of entries) {
        const list = lists.get(deviceId);
        if (list === undefined) lists.set(deviceId, [...samples]);
        else for (const sample of samples) list.push(sample);
      }
      for (const list of lists.values()) for (const row of packRows(list)) encodeRow(row);
      return {
        ...Object.fromEntries(REPORT_COUNTS.map((k) => [k, 0])),
        failed: [],
      } as unknown as WriteReport;
    },
  };
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const times: number[] = [];
  for (let i = 0; i <= Math.max(1, RUNS); i++) {
    const t = cpu();
    const result = await processBatch(event, undefined, { store });
    if (result.summary.samples !== total) throw new Error('unexpected sample count');
    if (i > 0) times.push(cpu() - t); // the first run warms up
  }
  const best = Math.min(...times);
  const rate = (total / best) * 1000;
  report(
    'CPU path: processBatch, base64 to encoded rows',
    `${fmt(rate / 1e6, 2)} M/s`,
    '>= 1 M/s',
    rate >= 1e6,
  );
  console.log(
    `  (the handler's own code on the same records, instrumentation included, with a store that packs and encodes as SampleStore.writeMany does but sends nothing; best of ${times.length} runs by CPU time, ${fmt(best, 0)} ms CPU; median ${fmt(median(times), 0)} ms)`,
  );
}
const REPORT_COUNTS = [
  'rowsWritten',
  'rowsMerged',
  'rowsUnchanged',
  'samplesStored',
  'duplicatesDropped',
  'conflicts',
  'writeUnits',
  'readUnits',
  'retries',
] as const;

// ---------- 2. cold start ----------

function coldStart(): void {
  const bundle = values.bundle ?? join(root, 'dist-lambda', 'index.mjs');
  const useBundle = existsSync(bundle);
  console.log(
    `\n2. Cold start: module load + client creation as a whole process (${useBundle ? bundle : 'src/lambda.ts via tsx: run the bundle script for the deployed figure'})`,
  );
  const env = {
    ...process.env,
    TABLE_NAME: 'bench',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_LAMBDA_FUNCTION_NAME: 'bench',
    POWERTOOLS_METRICS_DISABLED: 'true',
    NODE_NO_WARNINGS: '1',
  };
  // Each child prints: ms since process start when the script begins, ms the import took (load + init
  // of the handler module: evaluation and client creation), and its CPU time (user + system) at the end.
  const target = JSON.stringify(useBundle ? bundle : join(root, 'src', 'lambda.ts'));
  const measureTail =
    'const c = process.cpuUsage(); console.log(JSON.stringify({ start, importMs, cpuMs: (c.user + c.system) / 1000 }));';
  const handlerScript = `const start = performance.now(); const m = await import(${target}); const importMs = performance.now() - start; if (typeof m.handler !== 'function') process.exit(2); ${measureTail}`;
  const emptyScript = `const start = performance.now(); const importMs = 0; ${measureTail}`;
  const args = (script: string) =>
    useBundle
      ? ['--input-type=module', '-e', script]
      : ['--import', 'tsx', '--input-type=module', '-e', script];
  const spawnOnce = (argv: string[]) => {
    const started = performance.now();
    const out = spawnSync(process.execPath, argv, { env, encoding: 'utf8', cwd: root });
    const wall = performance.now() - started;
    if (out.status !== 0) throw new Error(`cold start child failed: ${out.stderr}`);
    const line = JSON.parse(out.stdout.trim().split('\n').at(-1) ?? '{}') as {
      start: number;
      importMs: number;
      cpuMs: number;
    };
    return { wall, ...line };
  };
  spawnOnce(args(handlerScript)); // fill the OS file cache
  // Alternate the two kinds of process so that a change in the machine's load hits both alike.
  const empty: ReturnType<typeof spawnOnce>[] = [];
  const loaded: ReturnType<typeof spawnOnce>[] = [];
  for (let i = 0; i < Math.max(RUNS, 5); i++) {
    empty.push(spawnOnce(args(emptyScript)));
    loaded.push(spawnOnce(args(handlerScript)));
  }
  const m = (xs: ReturnType<typeof spawnOnce>[], key: 'wall' | 'importMs' | 'cpuMs') =>
    median(xs.map((r) => r[key]));
  report('empty node process, spawn to exit (baseline)', `${fmt(m(empty, 'wall'))} ms`, '', undefined);
  report('  its CPU time', `${fmt(m(empty, 'cpuMs'))} ms`, '', undefined);
  report('handler process, spawn to exit', `${fmt(m(loaded, 'wall'))} ms`, '', undefined);
  report('  its CPU time', `${fmt(m(loaded, 'cpuMs'))} ms`, '', undefined);
  report('  import of the handler module (in process)', `${fmt(m(loaded, 'importMs'))} ms`, '', undefined);
  const added = m(loaded, 'wall') - m(empty, 'wall');
  report(
    'cold start: module load + client creation (handler - baseline)',
    `${fmt(added)} ms`,
    '<= 150 ms',
    added <= 150,
  );
  console.log(
    `  (medians of ${empty.length} alternating runs; CPU added ${fmt(m(loaded, 'cpuMs') - m(empty, 'cpuMs'))} ms. The empty process is node's own start-up, which Lambda's runtime also pays before our module loads)`,
  );
}

// ---------- local dynalite ----------

async function withDynalite<T>(fn: (endpoint: string, client: DynamoDBClient) => Promise<T>): Promise<T> {
  const aws = await startLocalAws({ kinesis: false });
  try {
    return await fn(aws.dynamodbEndpoint!, aws.dynamodb);
  } finally {
    await aws.close();
  }
}

// ---------- 3. memory ----------

function runChild(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function memory(): Promise<void> {
  const bundle = values.bundle ?? join(root, 'dist-lambda', 'index.mjs');
  const useBundle = existsSync(bundle);
  console.log(
    `\n3. Memory of a 6 MB invocation (fresh process on ${useBundle ? 'the bundle' : 'the sources via tsx'}, real store against dynalite in the parent)`,
  );
  const records: KinesisStreamRecord[] = [];
  // Lambda caps an invocation payload at 6 MB: fill the event up to it with phone batches.
  let size = 20;
  for (const r of jsonV1Records(2_000_000, 200, T0 + 3_600_000)) {
    const bytes = JSON.stringify(r).length + 1;
    if (size + bytes > 6 * 1024 * 1024) break;
    size += bytes;
    records.push(r);
  }
  const dir = await mkdtemp(join(tmpdir(), 'secondrow-bench-'));
  const eventFile = join(dir, 'event.json');
  await writeFile(eventFile, JSON.stringify({ Records: records } satisfies KinesisStreamEvent));
  try {
    await withDynalite(async (endpoint, client) => {
      await createTable(client, 'bench');
      const script = `
        import { readFileSync } from 'node:fs';
        const m = await import(${JSON.stringify(useBundle ? bundle : join(root, 'src', 'lambda.ts'))});
        const baseRss = process.memoryUsage().rss;
        let peakHeap = 0;
        const sample = () => { peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed); };
        const timer = setInterval(sample, 2);
        const event = JSON.parse(readFileSync(${JSON.stringify(eventFile)}, 'utf8'));
        sample();
        const started = performance.now();
        const res = await m.handler(event, { getRemainingTimeInMillis: () => 300000 });
        const ms = performance.now() - started;
        sample();
        clearInterval(timer);
        console.log(JSON.stringify({ baseRss, maxRss: process.resourceUsage().maxRSS * 1024, peakHeap, ms, failures: res.batchItemFailures.length }));
      `;
      for (const [label, flags] of [
        ['default V8 heap limits', []],
        // Lambda's bootstrap sizes the V8 heap from the function's memory; emulate a 128 MB function.
        ['heap capped as in a 128 MB function', ['--max-old-space-size=110', '--max-semi-space-size=4']],
      ] as const) {
        const args = [
          ...flags,
          ...(useBundle ? [] : ['--import', 'tsx']),
          '--input-type=module',
          '-e',
          script,
        ];
        const out = await runChild(args, {
          ...process.env,
          TABLE_NAME: 'bench',
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_ENDPOINT_URL_DYNAMODB: endpoint,
          POWERTOOLS_METRICS_DISABLED: 'true',
          POWERTOOLS_LOG_LEVEL: 'ERROR',
          NODE_NO_WARNINGS: '1',
        });
        const line = out.stdout.trim().split('\n').at(-1) ?? '';
        if (out.status !== 0 || !line.startsWith('{')) throw new Error(`memory child failed: ${out.stderr}`);
        const result = JSON.parse(line) as {
          baseRss: number;
          maxRss: number;
          peakHeap: number;
          ms: number;
          failures: number;
        };
        const mb = (b: number) => b / 1024 / 1024;
        console.log(
          `  ${label}${flags.length > 0 ? ` (node ${flags.join(' ')})` : ''}: ${records.length} records, ${records.length * 200} samples, ${fmt(size / 1024 / 1024, 2)} MB event; handled in ${fmt(result.ms, 0)} ms, ${result.failures} failures`,
        );
        report(
          `  RSS after load + init (${label.split(' ')[0]})`,
          `${fmt(mb(result.baseRss))} MB`,
          '',
          undefined,
        );
        report(`  peak heap used (${label.split(' ')[0]})`, `${fmt(mb(result.peakHeap))} MB`, '', undefined);
        report(`max RSS (${label})`, `${fmt(mb(result.maxRss))} MB`, '< 128 MB', mb(result.maxRss) < 128);
      }
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---------- 4. the 2015 figures ----------

async function figures2015(): Promise<void> {
  console.log('\n4. The 2015 log (2015 app JSON, batches of 200 samples) against local dynalite, in process');
  await withDynalite(async (_endpoint, client) => {
    await createTable(client, 'bench2015');
    const handler = createHandler({
      store: new SampleStore({ client, tableName: 'bench2015' }),
      quarantine: new Quarantine({ client, tableName: 'bench2015' }),
      logger: { info() {}, warn() {}, error() {} },
      metrics: false,
    });
    let hour = 0;
    const invoke = async (recordCount: number) => {
      // A fresh hour per run, so every run writes new rows as the 2015 function did.
      hour++;
      const records = Array.from({ length: recordCount }, (_, i) => {
        const start = T0 + hour * 3_600_000 + i * 4_000;
        return kinesisRecord(legacy2015('us-east-1:cognito-1', phoneSamples(start, 200, i + hour)), {
          arrivalMs: start + 4_500,
        });
      });
      const started = performance.now();
      const response = await handler({ Records: records }, { getRemainingTimeInMillis: () => 300_000 });
      if (response.batchItemFailures.length > 0) throw new Error('unexpected failures');
      return performance.now() - started;
    };
    await invoke(1); // warm-up: connections, JIT
    for (const [records, then] of [
      [1, 5_524.53],
      [10, 51_795.09],
    ] as const) {
      const times = [];
      for (let i = 0; i < RUNS; i++) times.push(await invoke(records));
      const ms = median(times);
      report(
        `${records} record${records > 1 ? 's' : ''} x 200 samples (2015: ${fmt(then / 1000)} s)`,
        `${fmt(ms)} ms`,
        `< ${fmt(then / 1000)} s`,
        ms < then,
      );
      console.log(
        `  (median of ${RUNS}; ${fmt(then / ms, 0)}x faster than 2015; ${fmt((records * 200) / (ms / 1000), 0)} samples/s)`,
      );
    }
  });
}

// ---------- main ----------

console.log(
  `secondrow consumer handler bench (node ${process.version}, ${process.platform}/${process.arch}, ${availableParallelism()} cores, load average ${loadavg()
    .map((l) => fmt(l, 2))
    .join(' ')})`,
);
if (sections.has('cpu')) {
  cpuPath();
  await cpuProcessBatch();
}
if (sections.has('cold')) coldStart();
if (sections.has('memory')) await memory();
if (sections.has('2015')) await figures2015();
console.log(
  `\nsummary (load average now ${loadavg()
    .map((l) => fmt(l, 2))
    .join(' ')})`,
);
for (const [name, measured, target, status] of rows) {
  if (target !== '')
    console.log(`  ${name.padEnd(44)} ${measured.padStart(16)}   target ${target.padEnd(12)} ${status}`);
}
