#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { EVENT_SOURCE_MAPPING } from '@secondrow/consumer';
import { FlagError, parseNumberFlag, percentileOf } from '@secondrow/devkit';
import { LocalOptionError, UsageError } from './errors.js';
import {
  checkRunEventSourceOptions,
  type DiscardedBatch,
  type KinesisHandler,
  type RunEventSourceOptions,
  type RunnerStats,
  runEventSource,
  type StartingPosition,
} from './event-source-runner.js';
import { createStream, kinesisClientFor } from './local-aws.js';

export { UsageError } from './errors.js';

/** Usage text of `secondrow-runner`. */
export const RUNNER_USAGE = `Usage: secondrow-runner --stream NAME [--handler MODULE[#EXPORT]] [options]

Feeds a Kinesis stream (kinesalite or AWS) to a Lambda handler like the event source mapping does. The mapping
settings default to the ones the stack deploys (the consumer's EVENT_SOURCE_MAPPING).

  --stream NAME                 stream to read (required)
  --handler MODULE[#EXPORT]     handler module path (relative to the working directory) and export; default export
                                name "handler". TypeScript modules need the CLI to run under tsx. Default:
                                @secondrow/consumer, the consumer's own handler built from the environment.
  --endpoint URL                Kinesis endpoint, e.g. http://127.0.0.1:4567 (default: AWS from the environment)
  --region REGION               region (default: SDK resolution; us-east-1 for http:// endpoints)
  --create-stream SHARDS        create the stream with this many shards first if it does not exist
  --batch-size N                1..10000 (default ${EVENT_SOURCE_MAPPING.batchSize})
  --batching-window-ms N        0..300000 (default ${EVENT_SOURCE_MAPPING.batchingWindowSeconds * 1000})
  --bisect / --no-bisect        split a failed batch in halves before retrying (default ${EVENT_SOURCE_MAPPING.bisectBatchOnFunctionError ? 'on' : 'off'})
  --max-retries N               -1 (until expired) or 0..10000 (default ${EVENT_SOURCE_MAPPING.maximumRetryAttempts})
  --max-record-age-s N          -1 (never) or seconds up to 604800 (default ${EVENT_SOURCE_MAPPING.maximumRecordAgeSeconds})
  --retry-base-delay-ms N       backoff before the first retry; doubles per failure in a row (default 1000)
  --retry-max-delay-ms N        longest backoff between retries (default 30000)
  --no-report-batch-item-failures  ignore batchItemFailures in responses
  --starting-position P         TRIM_HORIZON (default), LATEST or AT_TIMESTAMP
  --timestamp ISO               start time for AT_TIMESTAMP
  --idle-ms N                   stop after N ms without records (default 2000)
  --follow                      never stop on idle (Ctrl-C stops)
  --until-records N             stop after N records were checkpointed
  --timeout-ms N                function timeout (default 60000)
  --memory-mb N                 memory reported in the context (default 256)
  --function-name NAME          function name in the context
  --env KEY=VALUE               set an environment variable before loading the handler (repeatable)
  --discard-file PATH           append the on-failure record of each discarded batch as a JSON line (the
                                message Lambda sends to SQS/SNS; secondrow-replay reads it)
  --quiet                       no line per invocation
  -h, --help                    this text

Every option is checked before any work. Prints one line per invocation on stderr and the run's statistics
as JSON on stdout.
Point the handler's DynamoDB client at a local server with --env AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:PORT.`;

/** Parsed command line of `secondrow-runner`. */
export interface RunnerCliArgs {
  help: boolean;
  streamName: string;
  handlerModule: string;
  handlerExport: string;
  endpoint: string | undefined;
  region: string | undefined;
  createShards: number | undefined;
  env: Record<string, string>;
  discardFile: string | undefined;
  quiet: boolean;
  /** Everything for `runEventSource` except the client, stream, handler and callbacks. */
  run: Omit<RunEventSourceOptions, 'kinesis' | 'streamName' | 'handler' | 'onInvoke' | 'onDiscard'>;
}

/**
 * Parses the arguments of `secondrow-runner`.
 *
 * @param argv - Arguments after the script name.
 * @returns The parsed settings; `help` true when `--help` was given (other fields may then be empty).
 * @throws UsageError for unknown options, a missing `--stream` or a malformed number.
 * @example
 * parseRunnerArgs(['--stream', 'samples', '--handler', './dist/handler.js#handler', '--batch-size', '500']);
 */
export function parseRunnerArgs(argv: readonly string[]): RunnerCliArgs {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        stream: { type: 'string' },
        handler: { type: 'string' },
        endpoint: { type: 'string' },
        region: { type: 'string' },
        'create-stream': { type: 'string' },
        'batch-size': { type: 'string' },
        'batching-window-ms': { type: 'string' },
        bisect: { type: 'boolean' },
        'no-bisect': { type: 'boolean' },
        'retry-base-delay-ms': { type: 'string' },
        'retry-max-delay-ms': { type: 'string' },
        'max-retries': { type: 'string' },
        'max-record-age-s': { type: 'string' },
        'no-report-batch-item-failures': { type: 'boolean' },
        'starting-position': { type: 'string' },
        timestamp: { type: 'string' },
        'idle-ms': { type: 'string' },
        follow: { type: 'boolean' },
        'until-records': { type: 'string' },
        'timeout-ms': { type: 'string' },
        'memory-mb': { type: 'string' },
        'function-name': { type: 'string' },
        env: { type: 'string', multiple: true },
        'discard-file': { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const text = (name: string): string | undefined => values[name] as string | undefined;
  const int = (name: string): number | undefined => {
    const raw = text(name);
    if (raw === undefined) return undefined;
    try {
      return parseNumberFlag(`--${name}`, raw, { integer: true });
    } catch (error) {
      if (error instanceof FlagError) throw new UsageError(error.message, { cause: error });
      throw error;
    }
  };
  const help = values.help === true;
  const streamName = text('stream') ?? '';
  const handlerSpec = text('handler') ?? CONSUMER_PACKAGE;
  if (!help && streamName === '') throw new UsageError('--stream is required');
  const hash = handlerSpec.lastIndexOf('#');
  const handlerModule = hash < 0 ? handlerSpec : handlerSpec.slice(0, hash);
  const handlerExport = hash < 0 ? 'handler' : handlerSpec.slice(hash + 1) || 'handler';

  const env: Record<string, string> = {};
  for (const pair of (values.env as string[] | undefined) ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--env expects KEY=VALUE, got ${pair}`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }

  const position = text('starting-position');
  if (position !== undefined && !['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'].includes(position)) {
    throw new UsageError(`--starting-position must be TRIM_HORIZON, LATEST or AT_TIMESTAMP, got ${position}`);
  }
  const timestamp = text('timestamp');
  const startingPositionTimestamp = timestamp === undefined ? undefined : new Date(timestamp);
  if (startingPositionTimestamp !== undefined && Number.isNaN(startingPositionTimestamp.getTime())) {
    throw new UsageError(`--timestamp must be an ISO 8601 date, got ${timestamp}`);
  }

  const run: RunnerCliArgs['run'] = {};
  const set = <K extends keyof RunnerCliArgs['run']>(
    key: K,
    value: RunnerCliArgs['run'][K] | undefined,
  ): void => {
    if (value !== undefined) run[key] = value;
  };
  set('batchSize', int('batch-size'));
  set('batchingWindowMs', int('batching-window-ms'));
  if (values.bisect === true && values['no-bisect'] === true) {
    throw new UsageError('--bisect and --no-bisect contradict each other');
  }
  if (values.bisect === true) run.bisectBatchOnFunctionError = true;
  if (values['no-bisect'] === true) run.bisectBatchOnFunctionError = false;
  set('retryBaseDelayMs', int('retry-base-delay-ms'));
  set('retryMaxDelayMs', int('retry-max-delay-ms'));
  set('maximumRetryAttempts', int('max-retries'));
  set('maximumRecordAgeSeconds', int('max-record-age-s'));
  if (values['no-report-batch-item-failures'] === true) run.reportBatchItemFailures = false;
  set('startingPosition', position as StartingPosition | undefined);
  set('startingPositionTimestamp', startingPositionTimestamp);
  set('stopWhenIdleMs', values.follow === true ? Number.POSITIVE_INFINITY : int('idle-ms'));
  set('untilRecords', int('until-records'));
  const timeoutMs = int('timeout-ms');
  const memoryLimitInMB = int('memory-mb');
  const functionName = text('function-name');
  if (timeoutMs !== undefined || memoryLimitInMB !== undefined || functionName !== undefined) {
    run.function = {
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(memoryLimitInMB === undefined ? {} : { memoryLimitInMB }),
      ...(functionName === undefined ? {} : { functionName }),
    };
  }

  // Ranges are the runner's own; check them now so a bad flag fails before a stream or handler is touched.
  try {
    checkRunEventSourceOptions(run);
  } catch (error) {
    if (error instanceof LocalOptionError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
  return {
    help,
    streamName,
    handlerModule,
    handlerExport,
    endpoint: text('endpoint'),
    region: text('region'),
    createShards: int('create-stream'),
    env,
    discardFile: text('discard-file'),
    quiet: values.quiet === true,
    run,
  };
}

/** The `--handler` that names the consumer's public exports instead of a file; the default. */
export const CONSUMER_PACKAGE = '@secondrow/consumer';

/**
 * Loads `exportName` from the module at `modulePath` (resolved against the working directory), or, when
 * `modulePath` is {@link CONSUMER_PACKAGE}, builds the consumer's handler with `createHandlerFromEnv` from the
 * public exports of `@secondrow/consumer` (the same wiring as the Lambda bundle).
 *
 * @throws UsageError when the export is not a function.
 */
export async function loadHandler(modulePath: string, exportName: string): Promise<KinesisHandler> {
  if (modulePath === CONSUMER_PACKAGE) {
    // The package's index has no module-scope wiring (importing it runs nothing): the handler is built here,
    // from the environment set with --env, as the bundle's entry does at cold start.
    const { createHandlerFromEnv } = await import('@secondrow/consumer');
    return createHandlerFromEnv(process.env);
  }
  const module = (await import(pathToFileURL(resolve(modulePath)).href)) as Record<string, unknown>;
  const candidate = module[exportName];
  if (typeof candidate !== 'function') {
    throw new UsageError(`${modulePath} has no function export named ${exportName}`);
  }
  return candidate as KinesisHandler;
}

/** Where the CLI writes; replaceable in tests. */
export interface CliOutput {
  out: (line: string) => void;
  err: (line: string) => void;
}

const processOutput: CliOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Runs `secondrow-runner`: parses `argv`, loads the handler, reads the stream until idle (or Ctrl-C,
 * or `--until-records`) and prints the statistics.
 *
 * @param argv - Arguments after the script name.
 * @param output - Where lines go; default stdout/stderr.
 * @param signal - Stops the run, like Ctrl-C.
 * @returns The exit status: 0 done, 1 failed, 2 usage error.
 */
export async function main(
  argv: readonly string[],
  output: CliOutput = processOutput,
  signal?: AbortSignal,
): Promise<number> {
  let args: RunnerCliArgs;
  try {
    args = parseRunnerArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.err(`secondrow-runner: ${error.message}\n\n${RUNNER_USAGE}`);
    return 2;
  }
  if (args.help) {
    output.out(RUNNER_USAGE);
    return 0;
  }
  Object.assign(process.env, args.env);
  const kinesis = kinesisClientFor(args.endpoint, args.region);
  try {
    if (args.createShards !== undefined) await createStream(kinesis, args.streamName, args.createShards);
    const handler = await loadHandler(args.handlerModule, args.handlerExport);
    const onDiscard = async (batch: DiscardedBatch): Promise<void> => {
      const info = batch.KinesisBatchInfo;
      output.err(
        `discarded ${info.batchSize} record(s) of ${info.shardId} ${info.startSequenceNumber}..${info.endSequenceNumber}: ${batch.requestContext.condition}`,
      );
      if (args.discardFile !== undefined) {
        await appendFile(args.discardFile, `${JSON.stringify(batch)}\n`);
      }
    };
    const stats: RunnerStats = await runEventSource({
      ...args.run,
      kinesis,
      streamName: args.streamName,
      handler,
      onDiscard,
      ...(signal === undefined ? {} : { signal }),
      ...(args.quiet
        ? {}
        : {
            onInvoke: (info) =>
              output.err(
                `${info.shardId} ${info.records} record(s) ${info.outcome}${info.retries > 0 ? ` retry ${info.retries}` : ''} ${info.durationMs.toFixed(1)} ms`,
              ),
          }),
    });
    output.out(JSON.stringify(summarize(stats)));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`secondrow-runner: ${error.message}`);
      return 2;
    }
    output.err(
      `secondrow-runner: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return 1;
  } finally {
    kinesis.destroy();
  }
}

/** Stats with the per-invocation durations folded into percentiles, so the line stays short. */
function summarize(stats: RunnerStats): Record<string, unknown> {
  const { durationsMs, ...rest } = stats;
  const sorted = [...durationsMs].sort((a, b) => a - b);
  // Nearest-rank, like every percentile in the project.
  const at = (q: number): number | undefined => {
    const value = percentileOf(sorted, q);
    return value === undefined ? undefined : Number(value.toFixed(2));
  };
  return { ...rest, durationMs: { p50: at(0.5), p95: at(0.95), max: at(1) } };
}

// Through an npm bin symlink argv[1] is the link, import.meta.url the target.
const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (invokedDirectly) {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  process.exitCode = await main(process.argv.slice(2), processOutput, controller.signal);
}
