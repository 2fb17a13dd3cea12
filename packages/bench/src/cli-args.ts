import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DYNAMODB_PRICES, FlagError, type Prices, parseNumberFlag } from '@secondrow/devkit';
import type { UsageAssumptions } from './cost.js';
import { ArgumentError } from './errors.js';
import type { PipelineAssumptions, PipelinePrices } from './pipeline-cost.js';
import { DEFAULT_PIPELINE_ASSUMPTIONS } from './pipeline-run.js';
import { DEFAULT_PIPELINE_PRICES, readPriceFile } from './price-file.js';

/** What the command line asks for. */
export interface CliOptions {
  help: boolean;
  /** Recording files or folders; undefined with `--synthetic-rate` (synthetic data) or for the bundled clip. */
  data: string[] | undefined;
  synthetic: { rateHz: number; devices: number; seconds: number } | undefined;
  layouts: string[] | undefined;
  strategies: string[] | undefined;
  noStrategies: boolean;
  usage: UsageAssumptions;
  prices: Prices;
  measureItems: number;
  strategyItems: number;
  strategySamples: number;
  flushSeconds: number;
  json: boolean;
  html: string | undefined;
  quiet: boolean;
  /** `--pipeline`: cost the whole pipeline instead of comparing layouts. */
  pipeline: boolean;
  /** Assumptions of the pipeline cost model. */
  pipelineUsage: PipelineAssumptions;
  /** Price sheets of the pipeline cost model (defaults, `--price-*` and `--prices` applied). */
  pipelinePrices: PipelinePrices;
}

/** The `--help` text: every flag, its default, and what it changes. */
export const HELP = `Usage: pnpm bench [options]

Compares DynamoDB row layouts and write strategies for high-rate accelerometer data: bytes, write and read
units (computed by DynamoDB's rules and measured on an in-process dynalite), dollars, encode/decode speed and
write throughput. Prints a table; --json and --html give machine- and people-readable reports.

Data (one corpus per run; each CSV file is one device):
  --data PATH[,PATH]        t_ms,x,y,z CSV files or folders of them (default: the bundled 60 s clip of a
                            real 50 Hz Wear OS recording, data/wearos_tug_s02_50hz_60s.csv). Relative paths
                            are taken from the directory pnpm was started in; e.g. --data
                            packages/devkit/data/accel from the repository root for all real recordings.
  --synthetic-rate HZ       use synthetic devices (gravity + swing + noise) at HZ samples/s instead
  --synthetic-devices N     synthetic devices (default 1)
  --synthetic-seconds S     recorded seconds per synthetic device (default 60)

Selection:
  --layouts a,b             layouts to compare (default all): per-sample, per-sample-avro,
                            per-second-native, per-second-lists, per-second-deflate, per-second-avro,
                            window-avro-2, window-avro-4, window-avro-10, window-avro-60
  --strategies x,y          write strategies (default all): put-sequential, put-concurrent-8, batch-write,
                            sample-store (one SampleStore.writeMany per 30 s Kinesis flush) and
                            sample-store-per-batch (one write per 200-sample phone batch); the last
                            two for the codec layouts only
  --no-strategies           skip the write strategies (layout figures only)
  --flush-seconds S         seconds between the phone's Kinesis flushes for sample-store: each flush is
                            one Lambda invocation and one writeMany call (default 30, as in 2015)

Cost model (printed with the results):
  --fleet N                 devices sharing a table, for provisioned WCU (default 1000)
  --active-hours H          hours per day a device streams (default 24)
  --retention-days D        days rows are kept (TTL); storage is that steady state (default 30)
  --reads-per-device-hour R Queries per device-hour of data over its life (default 1: each hour read once)
  --utilization F           provisioned target utilization, 0..1 (default 0.7)
  --price-wru USD           on-demand USD per million write request units (default ${DYNAMODB_PRICES.onDemandWriteUsdPerMillion})
  --price-rru USD           on-demand USD per million read request units (default ${DYNAMODB_PRICES.onDemandReadUsdPerMillion})
  --price-storage USD       USD per GB-month (default ${DYNAMODB_PRICES.storageUsdPerGbMonth})
  --price-wcu-hour USD      provisioned USD per WCU-hour (default ${DYNAMODB_PRICES.provisionedWcuUsdPerHour})
  --price-rcu-hour USD      provisioned USD per RCU-hour (default ${DYNAMODB_PRICES.provisionedRcuUsdPerHour})
                            (defaults: ${DYNAMODB_PRICES.region}, checked ${DYNAMODB_PRICES.checked})

Effort (bounds the run time):
  --measure-items N         items written to dynalite per layout to measure units (default 3500, all of
                            the bundled clip; a prefix of each device beyond that)
  --strategy-items N        items written per strategy run (default 250)
  --strategy-samples N      samples written per strategy run (default 12000)

Pipeline cost (--pipeline: every AWS line item per device-month, by design choice):
  --pipeline                cost the whole pipeline (Kinesis, IoT Core, Lambda, DynamoDB, SQS) for the
                            2015 pipeline and each producer format (json-v1, avro, gzip-json-v1), row
                            window (1, 4, 60 s), stream mode and ingest path, from figures measured here
                            (record bytes, handler CPU ms per record, write/read units, storage)
  --rate HZ                 measure synthetic devices at HZ samples/s (default: the bundled 50 Hz clip)
  --prices FILE             JSON price overrides: {"kinesis": {"shardHourUsd": 0.017}, "lambda": {...},
                            "dynamodb": {...}, "sqs": {...}, "iot": {...}, "region": "...", "checked": "..."}
  --lambda-memory MB        consumer memory (default ${DEFAULT_PIPELINE_ASSUMPTIONS.lambdaMemoryMb}, as the stack deploys it)
  --dynamodb-ms MS          assumed wall time of one round of DynamoDB writes from Lambda (default ${DEFAULT_PIPELINE_ASSUMPTIONS.dynamodbRoundTripMs})
  --failure-rate F          assumed fraction of invocations whose batch goes to the on-failure queue
                            (default ${DEFAULT_PIPELINE_ASSUMPTIONS.failedBatchFraction})
  (also read: --fleet, the devices streaming at once, which share shards and stream-hours;
  --retention-days, default 365 with --pipeline; --active-hours, --reads-per-device-hour,
  --flush-seconds, --price-*. Stream retention,
  batch size and window are the consumer's EVENT_SOURCE_MAPPING: ${DEFAULT_PIPELINE_ASSUMPTIONS.streamRetentionHours} h, ${DEFAULT_PIPELINE_ASSUMPTIONS.batchSize} records, ${DEFAULT_PIPELINE_ASSUMPTIONS.batchingWindowSeconds} s)

Output:
  --json                    print the results as JSON on stdout instead of the table
  --html FILE               also write a self-contained HTML report with charts to FILE
  --quiet                   no progress bar on stderr
  -h, --help                this text
`;

function baseDir(): string {
  // pnpm runs package scripts in the package folder; INIT_CWD is where the user typed the command.
  return process.env.INIT_CWD ?? process.cwd();
}

function userPath(path: string): string {
  return isAbsolute(path) ? path : resolve(baseDir(), path);
}

/** A numeric flag's value by devkit's strict rule, as an {@link ArgumentError} naming the flag when bad. */
function numberFlag(
  values: Record<string, unknown>,
  flag: string,
  fallback: number,
  min: number,
  max = Infinity,
  integer = false,
): number {
  const raw = values[flag];
  if (raw === undefined) return fallback;
  try {
    return parseNumberFlag(`--${flag}`, String(raw), { min, ...(max === Infinity ? {} : { max }), integer });
  } catch (error) {
    if (error instanceof FlagError) throw new ArgumentError(flag, error.message, { cause: error });
    throw error;
  }
}

function integerFlag(
  values: Record<string, unknown>,
  flag: string,
  fallback: number,
  min: number,
  max = Infinity,
): number {
  return numberFlag(values, flag, fallback, min, max, true);
}

function listFlag(value: unknown): string[] | undefined {
  if (typeof value !== 'string') return undefined;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Parses the command line.
 * @param argv Arguments after the script name.
 * @throws {ArgumentError} for unknown flags, missing values or values out of range.
 */
export function parseCli(argv: readonly string[]): CliOptions {
  let parsed: ReturnType<typeof parseArgs>;
  const string = { type: 'string' } as const;
  const boolean = { type: 'boolean' } as const;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        help: { ...boolean, short: 'h' },
        data: string,
        'synthetic-rate': string,
        'synthetic-devices': string,
        'synthetic-seconds': string,
        layouts: string,
        strategies: string,
        'no-strategies': boolean,
        fleet: string,
        'active-hours': string,
        'retention-days': string,
        'reads-per-device-hour': string,
        utilization: string,
        'price-wru': string,
        'price-rru': string,
        'price-storage': string,
        'price-wcu-hour': string,
        'price-rcu-hour': string,
        'measure-items': string,
        'strategy-items': string,
        'strategy-samples': string,
        'flush-seconds': string,
        json: boolean,
        html: string,
        quiet: boolean,
        pipeline: boolean,
        rate: string,
        prices: string,
        'lambda-memory': string,
        'dynamodb-ms': string,
        'failure-rate': string,
      },
    });
  } catch (error) {
    throw new ArgumentError('', `${(error as Error).message} (see --help)`);
  }
  const v = parsed.values as Record<string, unknown>;
  const syntheticRate = v['synthetic-rate'];
  if (syntheticRate !== undefined && v.data !== undefined) {
    throw new ArgumentError(
      'data',
      '--data and --synthetic-rate cannot be combined: a run measures one corpus',
    );
  }
  const pipeline = v.pipeline === true;
  for (const flag of ['rate', 'prices', 'lambda-memory', 'dynamodb-ms', 'failure-rate']) {
    if (v[flag] !== undefined && !pipeline)
      throw new ArgumentError(flag, `--${flag} applies to --pipeline only`);
  }
  for (const flag of [
    'layouts',
    'strategies',
    'no-strategies',
    'measure-items',
    'strategy-items',
    'strategy-samples',
  ]) {
    if (v[flag] !== undefined && pipeline)
      throw new ArgumentError(flag, `--${flag} does not apply to --pipeline`);
  }
  if (v.rate !== undefined && (syntheticRate !== undefined || v.data !== undefined)) {
    throw new ArgumentError(
      'rate',
      '--rate measures synthetic devices: it cannot be combined with --data or --synthetic-rate',
    );
  }
  const prices: Prices = {
    ...DYNAMODB_PRICES,
    onDemandWriteUsdPerMillion: numberFlag(v, 'price-wru', DYNAMODB_PRICES.onDemandWriteUsdPerMillion, 0),
    onDemandReadUsdPerMillion: numberFlag(v, 'price-rru', DYNAMODB_PRICES.onDemandReadUsdPerMillion, 0),
    storageUsdPerGbMonth: numberFlag(v, 'price-storage', DYNAMODB_PRICES.storageUsdPerGbMonth, 0),
    provisionedWcuUsdPerHour: numberFlag(v, 'price-wcu-hour', DYNAMODB_PRICES.provisionedWcuUsdPerHour, 0),
    provisionedRcuUsdPerHour: numberFlag(v, 'price-rcu-hour', DYNAMODB_PRICES.provisionedRcuUsdPerHour, 0),
  };
  const overridden = ['price-wru', 'price-rru', 'price-storage', 'price-wcu-hour', 'price-rcu-hour'].filter(
    (f) => v[f] !== undefined,
  );
  if (overridden.length > 0)
    prices.source = `${prices.source}; overridden by ${overridden.map((f) => `--${f}`).join(', ')}`;
  const rateFlag = v.rate !== undefined ? 'rate' : 'synthetic-rate';
  const fleet = integerFlag(v, 'fleet', 1000, 1);
  const activeHoursPerDay = numberFlag(v, 'active-hours', 24, 0, 24);
  const readsPerDeviceHour = numberFlag(v, 'reads-per-device-hour', 1, 0);
  const basePipelinePrices: PipelinePrices = { ...DEFAULT_PIPELINE_PRICES, dynamodb: prices };
  return {
    help: v.help === true,
    data: listFlag(v.data)?.map(userPath),
    synthetic:
      syntheticRate === undefined && v.rate === undefined
        ? undefined
        : {
            rateHz: numberFlag(v, rateFlag, 50, 1, 1000),
            devices: integerFlag(v, 'synthetic-devices', 1, 1, 1000),
            seconds: integerFlag(v, 'synthetic-seconds', v.rate !== undefined ? 300 : 60, 1, 86_400),
          },
    layouts: listFlag(v.layouts),
    strategies: listFlag(v.strategies),
    noStrategies: v['no-strategies'] === true,
    usage: {
      fleet,
      activeHoursPerDay,
      retentionDays: numberFlag(v, 'retention-days', 30, 0),
      readsPerDeviceHour,
      provisionedTargetUtilization: numberFlag(v, 'utilization', 0.7, 0.01, 1),
    },
    prices,
    measureItems: integerFlag(v, 'measure-items', 3500, 1),
    strategyItems: integerFlag(v, 'strategy-items', 250, 1),
    strategySamples: integerFlag(v, 'strategy-samples', 12_000, 1),
    flushSeconds: numberFlag(v, 'flush-seconds', 30, 1),
    json: v.json === true,
    html: typeof v.html === 'string' ? userPath(v.html) : undefined,
    quiet: v.quiet === true,
    pipeline,
    pipelineUsage: {
      ...DEFAULT_PIPELINE_ASSUMPTIONS,
      fleet,
      activeHoursPerDay,
      readsPerDeviceHour,
      retentionDays: numberFlag(v, 'retention-days', DEFAULT_PIPELINE_ASSUMPTIONS.retentionDays, 0),
      lambdaMemoryMb: integerFlag(
        v,
        'lambda-memory',
        DEFAULT_PIPELINE_ASSUMPTIONS.lambdaMemoryMb,
        128,
        10_240,
      ),
      dynamodbRoundTripMs: numberFlag(v, 'dynamodb-ms', DEFAULT_PIPELINE_ASSUMPTIONS.dynamodbRoundTripMs, 0),
      failedBatchFraction: numberFlag(
        v,
        'failure-rate',
        DEFAULT_PIPELINE_ASSUMPTIONS.failedBatchFraction,
        0,
        1,
      ),
    },
    pipelinePrices:
      typeof v.prices === 'string'
        ? readPriceFile(userPath(v.prices), basePipelinePrices)
        : basePipelinePrices,
  };
}
