#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { FlagError, parseNumberFlag, readRecording } from '@secondrow/devkit';
import { PutRecordsFailedError, UsageError } from './errors.js';
import { createStream, startLocalAws } from './local-aws.js';
import { createRowTable } from './row-table.js';

/** Usage text of `pnpm --filter @secondrow/local servers`. */
export const SERVERS_USAGE = `Usage: pnpm --filter @secondrow/local servers [options]

Starts dynalite (DynamoDB) and kinesalite (Kinesis) on 127.0.0.1 until Ctrl-C, in memory, and optionally
creates a row table and a stream and puts a recording on it as JSON v1 records.

  --dynamodb-port N      dynalite port, 0 for any free one (default 8000)
  --kinesis-port N       kinesalite port, 0 for any free one (default 4567)
  --table NAME           create a row table (the codec's tableDefinition)
  --stream NAME          create a stream
  --shards N             shards of the stream, 1..100 (default 1)
  --records FILE         put this t_ms,x,y,z recording on the stream, 50 samples per JSON v1 record
                         (needs --stream; relative to the directory pnpm was started in)
  -h, --help             this help`;

/** Parsed command line of the servers CLI. */
export interface ServersCliArgs {
  help: boolean;
  dynamodbPort: number;
  kinesisPort: number;
  table: string | undefined;
  stream: string | undefined;
  shards: number;
  records: string | undefined;
}

/**
 * Parses the servers CLI's arguments.
 *
 * @throws {UsageError} for unknown options, a malformed or out-of-range number, or `--records` without `--stream`.
 */
export function parseServersArgs(argv: readonly string[]): ServersCliArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        'dynamodb-port': { type: 'string' },
        'kinesis-port': { type: 'string' },
        table: { type: 'string' },
        stream: { type: 'string' },
        shards: { type: 'string' },
        records: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = values[name];
    if (typeof raw !== 'string') return fallback;
    try {
      return parseNumberFlag(`--${name}`, raw, { integer: true, min, max });
    } catch (error) {
      if (error instanceof FlagError) throw new UsageError(error.message, { cause: error });
      throw error;
    }
  };
  const text = (name: string): string | undefined => {
    const raw = values[name];
    return typeof raw === 'string' && raw !== '' ? raw : undefined;
  };
  const args: ServersCliArgs = {
    help: values.help === true,
    dynamodbPort: int('dynamodb-port', 8000, 0, 65_535),
    kinesisPort: int('kinesis-port', 4567, 0, 65_535),
    table: text('table'),
    stream: text('stream'),
    shards: int('shards', 1, 1, 100),
    records: text('records'),
  };
  if (args.records !== undefined && args.stream === undefined) {
    throw new UsageError('--records needs --stream');
  }
  return args;
}

/** Where the CLI writes: stdout for results, stderr for messages. */
export interface ServersOutput {
  out(line: string): void;
  err(line: string): void;
}

/** Samples per JSON v1 record: a phone's batch of one second at 50 Hz. */
const SAMPLES_PER_RECORD = 50;
/** Records per PutRecords call (Kinesis allows 500). */
const RECORDS_PER_PUT = 500;

/**
 * Runs the servers CLI: starts the servers, prepares what the flags ask for, prints one JSON line with the
 * endpoints on stdout, then waits for `signal` and stops the servers.
 *
 * @returns The exit status: 0, or 2 for a usage error (printed with the usage on stderr).
 * @throws {ServerStartError} when a port is in use; {@link PutRecordsFailedError} when records are rejected.
 */
export async function main(
  argv: readonly string[],
  output: ServersOutput,
  signal: AbortSignal,
): Promise<number> {
  let args: ServersCliArgs;
  try {
    args = parseServersArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.err(`servers: ${error.message}\n\n${SERVERS_USAGE}`);
    return 2;
  }
  if (args.help) {
    output.out(SERVERS_USAGE);
    return 0;
  }
  const aws = await startLocalAws({ dynamodbPort: args.dynamodbPort, kinesisPort: args.kinesisPort });
  try {
    if (args.table !== undefined) await createRowTable(aws.dynamodb, args.table);
    let records = 0;
    if (args.stream !== undefined) {
      await createStream(aws.kinesis, args.stream, args.shards);
      if (args.records !== undefined) {
        const path = resolve(process.env.INIT_CWD ?? process.cwd(), args.records);
        records = await putRecording(aws.kinesis, args.stream, path);
      }
    }
    output.out(
      JSON.stringify({
        dynamodbEndpoint: aws.dynamodbEndpoint,
        kinesisEndpoint: aws.kinesisEndpoint,
        table: args.table,
        stream: args.stream,
        records,
      }),
    );
    output.err('servers: running; Ctrl-C stops them (their data is in memory only)');
    await new Promise<void>((done) => {
      if (signal.aborted) return done();
      signal.addEventListener('abort', () => done(), { once: true });
    });
    return 0;
  } finally {
    await aws.close();
  }
}

/** Puts a recording on a stream as JSON v1 records of {@link SAMPLES_PER_RECORD} samples; returns the count. */
async function putRecording(
  kinesis: Awaited<ReturnType<typeof startLocalAws>>['kinesis'],
  stream: string,
  path: string,
): Promise<number> {
  const { name, samples } = readRecording(path);
  const deviceId = basename(name, '.csv');
  const data: Uint8Array[] = [];
  for (let i = 0; i < samples.length; i += SAMPLES_PER_RECORD) {
    const batch = samples.slice(i, i + SAMPLES_PER_RECORD);
    const json = JSON.stringify({
      deviceId,
      batchId: data.length + 1,
      sentAt: batch.at(-1)!.t,
      samples: batch.map((s) => [s.t, s.x, s.y, s.z]),
    });
    data.push(new TextEncoder().encode(json));
  }
  for (let i = 0; i < data.length; i += RECORDS_PER_PUT) {
    const chunk = data.slice(i, i + RECORDS_PER_PUT);
    const result = await kinesis.send(
      new PutRecordsCommand({
        StreamName: stream,
        Records: chunk.map((Data) => ({ Data, PartitionKey: deviceId })),
      }),
    );
    // kinesalite has no throughput limits, so a failed entry here is a real fault, not throttling.
    if ((result.FailedRecordCount ?? 0) > 0) {
      throw new PutRecordsFailedError(`kinesalite rejected ${result.FailedRecordCount} records of ${path}`);
    }
  }
  return data.length;
}

const processOutput: ServersOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

// Through an npm bin symlink argv[1] is the link, import.meta.url the target.
const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (invokedDirectly) {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  process.exitCode = await main(process.argv.slice(2), processOutput, controller.signal);
}
