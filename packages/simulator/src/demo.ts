import { loadavg } from 'node:os';
import { checkAwsFaults, toLocalFaultOptions } from './aws-faults.js';
import { readKeptTable } from './demo-keep.js';
import { DEMO_DEFAULTS, type DemoOptions, type ResolvedDemo } from './demo-options.js';
import { type PassResult, runPass } from './demo-pass.js';
import { buildReport, type DemoReport } from './demo-report.js';
import { checkExists, openTarget, prepare } from './demo-target.js';
import { InvalidSimulatorOptionError } from './errors.js';
import { type LocalCeilings, measureLocalCeilings } from './local-ceilings.js';
import type { BrokerFaults } from './mqtt-path.js';
import { createProgressReporter } from './progress.js';

/**
 * The end-to-end demo: simulated watches and phones → Kinesis → the consumer's real handler (driven by
 * the local event-source runner) → DynamoDB, then every device read back with `SampleStore.read` and
 * compared with the ground truth. Locally (the default) it starts kinesalite and dynalite in-process;
 * with a stream, table or endpoint it uses those instead (and creates them only with `create`).
 *
 * Locally the consumer's DynamoDB requests go through a fault-injecting proxy and Kinesis through AWS's
 * shard limits (`awsFaults`, on by default), and the event source runner uses the stack's mapping settings.
 *
 * @returns the report; `ok` is false when samples were lost, duplicated or changed, or a batch was discarded,
 *   in either pass.
 * @throws {InvalidSimulatorOptionError} on an option out of range (checked before anything starts).
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
  if (o.awsFaults !== false) checkAwsFaults(o.awsFaults);
  if (!(Number.isFinite(o.outageSeconds) && o.outageSeconds >= 0)) {
    throw new InvalidSimulatorOptionError(
      'outageSeconds',
      `outage must be a finite number of seconds >= 0, got ${o.outageSeconds}`,
    );
  }
  if (o.brokerFaults !== false) checkBrokerFaults(o.brokerFaults);
  if (o.transport === 'mqtt') {
    if (options.format !== undefined && options.format !== 'avro') {
      throw new InvalidSimulatorOptionError(
        'format',
        `the MQTT transport sends the codec's Avro batches: --format must be avro, got ${options.format}`,
      );
    }
    o.format = 'avro';
  } else if (o.transport !== 'kinesis') {
    throw new InvalidSimulatorOptionError(
      'transport',
      `transport must be kinesis or mqtt, got ${String(o.transport)}`,
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
  if (remote && options.keep !== undefined) {
    throw new InvalidSimulatorOptionError(
      'keep',
      '--keep keeps the local servers: not with --stream, --table or an endpoint',
    );
  }
  if (remote && o.transport === 'mqtt') {
    throw new InvalidSimulatorOptionError(
      'transport',
      '--transport mqtt runs on the local broker only: not with --stream, --table or an endpoint',
    );
  }
  const progress = options.progress === false ? undefined : (options.progress ?? createProgressReporter());

  // The AWS faults exist only locally; an outage needs the DynamoDB proxy even with the other faults off.
  const awsFaults = remote ? false : o.awsFaults;
  const faultSeed = seedNumber(o.seed);
  const localFaults =
    awsFaults !== false
      ? toLocalFaultOptions(awsFaults, faultSeed)
      : !remote && o.outageSeconds > 0
        ? { dynamodb: { seed: faultSeed }, kinesis: false as const }
        : undefined;
  const dynamoFaults = localFaults?.dynamodb === false ? {} : (localFaults?.dynamodb?.faults ?? {});
  const target = await openTarget(
    remote,
    kinesisEndpoint,
    dynamodbEndpoint,
    options.region,
    options.servers,
    localFaults,
    options.keep,
  );
  try {
    if (!remote || options.create === true) await prepare(target, streamName, tableName, o.shards);
    else await checkExists(target, streamName, tableName);
    let ceilings: LocalCeilings | undefined;
    if (!remote && (options.ceilings ?? true)) {
      progress?.update({ phase: 'ceilings', recorded: 0, expected: 1, accepted: 0, stored: 0 });
      // The servers' raw rates: past the fault proxies.
      ceilings = await measureLocalCeilings({
        kinesis: target.direct.kinesis,
        dynamodb: target.direct.dynamodb,
        format: o.format,
      });
    }
    const comparing = (o.compareBatchSizes ?? true) && !remote;
    const pass = await runPass(target, {
      ...o,
      streamName,
      tableName,
      remote,
      reporter: progress,
      name: `${comparing ? 'pass 1/2' : 'pass'} (batch size ${o.batchSize})`,
      dynamoFaults,
      faultSeed,
    });
    const passes: PassResult[] = [pass];
    if (comparing) {
      const other = o.batchSize === 1 ? 100 : 1;
      const suffix = `-batch-${other}`;
      await prepare(target, streamName + suffix, tableName + suffix, o.shards);
      passes.push(
        await runPass(target, {
          ...o,
          batchSize: other,
          streamName: streamName + suffix,
          tableName: tableName + suffix,
          remote,
          reporter: progress,
          // The comparison pass measures write cost: the same faults, but no second outage.
          outageSeconds: 0,
          name: `pass 2/2 (batch size ${other}, write-cost comparison)`,
          dynamoFaults,
          faultSeed,
        }),
      );
    }
    progress?.done();
    if (options.keep !== undefined) {
      options.onKept?.(await readKeptTable(target.direct.dynamodb, options.keep, tableName, o.windowSeconds));
    }
    return buildReport({
      o,
      passes,
      awsFaults,
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

/** A 31-bit seed for the fault proxies from the demo's text seed (FNV-1a). */
function seedNumber(seed: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 1;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function checkBrokerFaults(faults: BrokerFaults): void {
  if (
    !(Number.isFinite(faults.dropsPerSecond) && faults.dropsPerSecond >= 0 && faults.dropsPerSecond <= 1000)
  ) {
    throw new InvalidSimulatorOptionError(
      'brokerFaults.dropsPerSecond',
      `dropped connections per second must be in [0, 1000], got ${faults.dropsPerSecond}`,
    );
  }
  if (!(faults.lostPuback >= 0 && faults.lostPuback <= 1)) {
    throw new InvalidSimulatorOptionError(
      'brokerFaults.lostPuback',
      `lost PUBACK rate must be a probability in [0, 1], got ${faults.lostPuback}`,
    );
  }
}
