/**
 * `secondrow export --format parquet` of one device from kept local servers: samples per second and peak
 * RSS (the whole process: the export and dynalite on its worker thread). Writes the device's data first
 * (50 Hz, 1 s rows, real recording values) into a temporary data directory, then runs the export in a child
 * process so its peak RSS is its own; with a build, also the built command whole, on the data directory and
 * against an endpoint served by this process (the exporter's own RSS, as against AWS). Targets: >= 500,000
 * samples/s, <= 200 MB.
 *
 *   pnpm exec tsx packages/cli/bench/export-bench.ts [--hours 24]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Sample } from '@secondrow/codec';
import { SampleStore } from '@secondrow/codec/dynamodb';
import { listRecordings, parseNumberFlag } from '@secondrow/devkit';
import { createRowTable, startLocalAws } from '@secondrow/local';
import { exportSamples } from '../src/export.js';
import { openTable } from '../src/table-source.js';

const TABLE = 'export-bench';
const DEVICE = 'watch-bench';
const T0 = Date.UTC(2024, 0, 1);

const { values } = parseArgs({ options: { hours: { type: 'string' }, child: { type: 'string' } } });
const hours =
  values.hours === undefined ? 1 : parseNumberFlag('--hours', values.hours, { min: 0.01, max: 24 });
const toMs = T0 + Math.round(hours * 3_600_000);

if (values.child !== undefined) {
  // The measured run: what `secondrow export --format parquet --out` does (openTable, exportSamples to a
  // file), timed in two parts, then this process's own figures as one JSON line.
  const out = join(values.child, 'out.parquet');
  const openStart = performance.now();
  const table = await openTable({ kind: 'local', dir: values.child, table: TABLE });
  const openSeconds = (performance.now() - openStart) / 1000;
  const rssAtOpenMb = process.memoryUsage().rss / 1e6 / 1.048576;
  const file = createWriteStream(out);
  const start = performance.now();
  const summary = await exportSamples(
    table,
    { device: DEVICE, fromMs: T0, toMs, format: 'parquet', time: 'ms' },
    file,
  );
  await new Promise<void>((resolve) => file.end(resolve));
  const seconds = (performance.now() - start) / 1000;
  await table.close();
  const usage = process.resourceUsage();
  // Resident memory split as Linux counts it at the end: anonymous (heaps, buffers) and file-backed (mapped
  // files: LevelDB maps its table files to read them), in MB; absent off Linux.
  const status = existsSync('/proc/self/status') ? readFileSync('/proc/self/status', 'utf8') : '';
  const kb = (name: string): number =>
    Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  console.log(
    JSON.stringify({
      rssAnonMb: kb('RssAnon') / 1024,
      rssFileMb: kb('RssFile') / 1024,
      samples: summary.samples,
      openSeconds,
      rssAtOpenMb,
      seconds,
      maxRssMb: usage.maxRSS / 1024,
      cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
      bytes: statSync(out).size,
    }),
  );
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'export-bench-'));
try {
  const source = listRecordings()
    .filter((r) => r.name.includes('50hz'))
    .flatMap((r) => r.samples);
  const aws = await startLocalAws({ dataDir: dir, kinesis: false, thread: true });
  const loadStart = performance.now();
  let samples = 0;
  try {
    await createRowTable(aws.dynamodb, TABLE);
    const store = new SampleStore({ client: aws.dynamodb, tableName: TABLE, concurrency: 32 });
    for (let chunkStart = T0; chunkStart < toMs; chunkStart += 600_000) {
      const chunk: Sample[] = [];
      for (let t = chunkStart; t < Math.min(toMs, chunkStart + 600_000); t += 20) {
        const s = source[((t - T0) / 20) % source.length] as Sample;
        chunk.push({
          t,
          x: Math.round(s.x * 1000) / 1000,
          y: Math.round(s.y * 1000) / 1000,
          z: Math.round(s.z * 1000) / 1000,
        });
      }
      const report = await store.write(DEVICE, chunk);
      if (report.failed.length > 0) throw new Error('write failed', { cause: report.failed[0]?.error });
      samples += chunk.length;
    }
  } finally {
    await aws.close();
  }
  const loadSeconds = (performance.now() - loadStart) / 1000;
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const script = fileURLToPath(import.meta.url);
  const output = execFileSync(
    process.execPath,
    [
      ...(process.env.CHILD_NODE_FLAGS ?? '').split(' ').filter(Boolean),
      '--import',
      'tsx',
      script,
      '--hours',
      String(hours),
      '--child',
      dir,
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    },
  );
  const result = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as {
    samples: number;
    openSeconds: number;
    rssAtOpenMb: number;
    rssAnonMb: number;
    rssFileMb: number;
    seconds: number;
    maxRssMb: number;
    cpuSeconds: number;
    bytes: number;
  };
  console.log(`Node ${process.version}, ${cpus().length} cores, load average before the export: ${load}`);
  console.log(
    `wrote ${samples.toLocaleString('en-US')} samples (${hours} device-hour(s)) to dynalite in ${loadSeconds.toFixed(1)} s`,
  );
  console.log(
    `export --format parquet: ${result.samples.toLocaleString('en-US')} samples in ${result.seconds.toFixed(2)} s ` +
      `(+ ${result.openSeconds.toFixed(2)} s to start dynalite on the data directory), ` +
      `${Math.round(samples / result.seconds).toLocaleString('en-US')} samples/s (target >= 500,000), ` +
      `peak RSS ${result.maxRssMb.toFixed(0)} MB (target <= 200; ${result.rssAtOpenMb.toFixed(0)} MB before the first read; at the end ${result.rssAnonMb.toFixed(0)} MB anonymous + ${result.rssFileMb.toFixed(0)} MB mapped files), CPU ${result.cpuSeconds.toFixed(1)} s, ` +
      `file ${(result.bytes / 1e6).toFixed(1)} MB (${(result.bytes / samples).toFixed(2)} bytes/sample)`,
  );
  // The built command as users run it (`node dist/cli.js`, no tsx), timed whole (start-up included) by
  // GNU time, when both are there: `pnpm --filter @secondrow/cli... build` first. Once on the data
  // directory (dynalite in the command's process), once against an endpoint this process serves from the
  // same directory, as users run it against AWS: that peak RSS is the exporter's alone.
  const built = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  if (existsSync(built) && existsSync('/usr/bin/time')) {
    const range = ['--device', DEVICE, '--from', String(T0), '--to', String(toMs), '--quiet'];
    const timeBuilt = (
      label: string,
      args: readonly string[],
      env: NodeJS.ProcessEnv = process.env,
    ): void => {
      const timed = spawnSync('/usr/bin/time', ['-f', '%M %e', process.execPath, built, 'export', ...args], {
        encoding: 'utf8',
        env,
      });
      const [rssKb, elapsed] = (timed.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number) as [
        number,
        number,
      ];
      console.log(
        `node dist/cli.js export ${label}: exit ${timed.status}, ${elapsed.toFixed(2)} s whole command, ` +
          `${Math.round(samples / elapsed).toLocaleString('en-US')} samples/s, peak RSS ${(rssKb / 1024).toFixed(0)} MB`,
      );
    };
    timeBuilt('--format parquet', [
      '--local',
      dir,
      '--table',
      TABLE,
      ...range,
      '--out',
      join(dir, 'built.parquet'),
    ]);
    const server = await startLocalAws({ dataDir: dir, kinesis: false, thread: true });
    try {
      timeBuilt(
        "--endpoint (dynalite in the bench's process; the exporter alone, target <= 200 MB)",
        [
          '--table',
          TABLE,
          '--endpoint',
          server.dynamodbEndpoint ?? '',
          '--region',
          'us-east-1',
          ...range,
          '--out',
          join(dir, 'endpoint.parquet'),
        ],
        {
          ...process.env,
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
      );
    } finally {
      await server.close();
    }
  }
  console.log(
    `load average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
