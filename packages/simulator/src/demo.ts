import { loadavg } from 'node:os';
import { DEMO_DEFAULTS, type DemoOptions, type ResolvedDemo } from './demo-options.js';
import { runPass } from './demo-pass.js';
import { buildReport, type CapacityReport, type DemoReport } from './demo-report.js';
import { checkExists, openTarget, prepare } from './demo-target.js';
import { InvalidSimulatorOptionError } from './errors.js';
import { type LocalCeilings, measureLocalCeilings } from './local-ceilings.js';
import { createProgressReporter } from './progress.js';

/**
 * The end-to-end demo: simulated watches and phones → Kinesis → the consumer's real handler (driven by
 * the local event-source runner) → DynamoDB, then every device read back with `SampleStore.read` and
 * compared with the ground truth. Locally (the default) it starts kinesalite and dynalite in-process;
 * with a stream, table or endpoint it uses those instead (and creates them only with `create`).
 *
 * @returns the report; `ok` is false when samples were lost, duplicated or changed.
 * @throws {InvalidSimulatorOptionError} on an option out of range.
 * @throws {SimulatorError} `SETUP_FAILED` when the stream or table cannot be prepared.
 * @example
 * const report = await runDemo({ devices: 5, durationSeconds: 30 });
 * console.log(report.samples.lost, report.capacity.writeUnitsPerDeviceSecond);
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoReport> {
  const wallStart = performance.now();
  const loadBefore = loadavg()[0] ?? 0;
  const o: ResolvedDemo = { ...DEMO_DEFAULTS, ...stripUndefined(options) };
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1 || o.batchSize > 10_000) {
    throw new InvalidSimulatorOptionError(
      'batchSize',
      `batch size must be an integer in 1..10000, got ${o.batchSize}`,
    );
  }
  const env = options.env ?? process.env;
  const kinesisEndpoint = options.endpoint ?? env.AWS_ENDPOINT_URL_KINESIS ?? env.AWS_ENDPOINT_URL;
  const dynamodbEndpoint = options.endpoint ?? env.AWS_ENDPOINT_URL_DYNAMODB ?? env.AWS_ENDPOINT_URL;
  const remote =
    options.streamName !== undefined ||
    options.tableName !== undefined ||
    kinesisEndpoint !== undefined ||
    dynamodbEndpoint !== undefined;
  // A shared table may hold earlier runs of the default seed: give each remote run its own devices.
  if (remote && options.seed === undefined) o.seed = `${DEMO_DEFAULTS.seed}-${Date.now()}`;
  const streamName = options.streamName ?? 'secondrow-demo';
  const tableName = options.tableName ?? 'secondrow-demo';
  const progress = options.progress === false ? undefined : (options.progress ?? createProgressReporter());

  const target = await openTarget(remote, kinesisEndpoint, dynamodbEndpoint, options.region, options.servers);
  try {
    if (!remote || options.create === true) await prepare(target, streamName, tableName, o.shards);
    else await checkExists(target, streamName, tableName);
    let ceilings: LocalCeilings | undefined;
    if (!remote && (options.ceilings ?? true)) {
      progress?.update({ phase: 'ceilings', recorded: 0, expected: 1, accepted: 0, stored: 0 });
      ceilings = await measureLocalCeilings({
        kinesis: target.kinesis,
        dynamodb: target.dynamodb,
        format: o.format,
      });
    }
    const pass = await runPass(target, { ...o, streamName, tableName, remote, reporter: progress });
    const comparison: CapacityReport[] = [];
    if ((o.compareBatchSizes ?? true) && !remote) {
      const other = o.batchSize === 1 ? 100 : 1;
      const suffix = `-batch-${other}`;
      await prepare(target, streamName + suffix, tableName + suffix, o.shards);
      const second = await runPass(target, {
        ...o,
        batchSize: other,
        streamName: streamName + suffix,
        tableName: tableName + suffix,
        remote,
        reporter: progress,
      });
      comparison.push(pass.capacity, second.capacity);
    }
    progress?.done();
    return buildReport({
      o,
      pass,
      comparison,
      ceilings,
      remote,
      streamName,
      tableName,
      wallStart,
      shards: remote ? undefined : o.shards,
      servers: target.servers,
      loadBefore,
    });
  } finally {
    progress?.done();
    await target.close();
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
