#!/usr/bin/env node
/**
 * `secondrow-replay`: replays the Kinesis batches described by on-failure messages of the consumer's event
 * source mapping (as Lambda sends them to SQS or SNS) through the consumer's processing, into the table.
 */
import { realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SampleStore } from '@secondrow/codec/dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { loadConfig } from './config.js';
import { isConsumerError, OptionError } from './errors.js';
import { createHandler } from './handler.js';
import { Quarantine } from './quarantine.js';
import { type KinesisBatchInfo, parseFailureMessage, replayFailedBatch } from './replay.js';

/** Usage text of `secondrow-replay`. */
export const REPLAY_USAGE = `Usage: secondrow-replay --table NAME [options] [FILE]

Replays Kinesis batches that the consumer's event source mapping gave up on. FILE (default: stdin) holds
the on-failure messages Lambda sent to the SQS queue or SNS topic: one JSON message per line, or a JSON
array of them (SQS messages with a Body, SNS notifications with a Message, or the message itself).

Options:
  --table NAME                  rows table (default: TABLE_NAME)
  --quarantine-table NAME       quarantine table (default: QUARANTINE_TABLE_NAME, else the rows table)
  --region REGION               AWS region (default: the SDK's: AWS_REGION, profile)
  --endpoint URL                one endpoint for DynamoDB and Kinesis (e.g. LocalStack); otherwise the
                                standard AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_KINESIS apply
  --help                        print this text

Other settings (WINDOW_SECONDS, RESOLUTION_G, ...) and credentials come from the environment, as for the
Lambda. Prints one JSON line per batch; exits 1 when a batch could not be replayed completely.`;

/** Where the CLI writes and what it reads; the process's own streams by default. */
export interface ReplayIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** The whole of stdin as text. */
  stdin: () => Promise<string>;
  /** Environment (settings, AWS_* variables). */
  env: Readonly<Record<string, string | undefined>>;
}

/** The options of a `secondrow-replay` run, validated. */
export interface ReplayArgs {
  table: string;
  quarantineTable: string | undefined;
  region: string | undefined;
  endpoint: string | undefined;
  file: string | undefined;
  help: boolean;
}

/**
 * Parses and validates the command line of `secondrow-replay`.
 *
 * @param argv - Arguments after the program name.
 * @param env - Environment, for `TABLE_NAME` when `--table` is not given.
 * @throws {@link OptionError} naming the flag when one is unknown, repeated, missing a value or malformed.
 */
export function parseReplayArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): ReplayArgs {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv);
  } catch (error) {
    const flag = /'(--?[\w-]+)/.exec((error as Error).message)?.[1] ?? 'arguments';
    throw new OptionError(flag, (error as Error).message, { cause: error });
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1)
    throw new OptionError('FILE', `expected at most one FILE, got ${positionals.length}`);
  const help = values.help === true;
  const table = values.table ?? (env.TABLE_NAME || undefined);
  if (!help && (table === undefined || !/^[\w.-]{3,255}$/.test(table))) {
    throw new OptionError(
      '--table',
      `--table (or TABLE_NAME) must be a DynamoDB table name, got ${JSON.stringify(table)}`,
    );
  }
  const quarantineTable = values['quarantine-table'];
  if (quarantineTable !== undefined && !/^[\w.-]{3,255}$/.test(quarantineTable)) {
    throw new OptionError(
      '--quarantine-table',
      `--quarantine-table must be a DynamoDB table name, got ${JSON.stringify(quarantineTable)}`,
    );
  }
  if (values.region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(values.region)) {
    throw new OptionError(
      '--region',
      `--region must be an AWS region such as eu-west-1, got ${JSON.stringify(values.region)}`,
    );
  }
  if (values.endpoint !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(values.endpoint);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new OptionError(
        '--endpoint',
        `--endpoint must be an http(s) URL, got ${JSON.stringify(values.endpoint)}`,
      );
    }
  }
  return {
    table: table ?? '',
    quarantineTable,
    region: values.region,
    endpoint: values.endpoint,
    file: positionals[0],
    help,
  };
}

function parseFlags(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      table: { type: 'string' },
      'quarantine-table': { type: 'string' },
      region: { type: 'string' },
      endpoint: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
}

/**
 * Reads on-failure messages: one JSON value per line, or one JSON array of them.
 *
 * @throws {@link OptionError} (`option: 'message'`) naming the line of a message that is not valid.
 */
export function readFailureMessages(text: string): KinesisBatchInfo[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('[')) {
    let list: unknown;
    try {
      list = JSON.parse(trimmed);
    } catch (error) {
      throw new OptionError('message', `input is not a JSON array: ${(error as Error).message}`, {
        cause: error,
      });
    }
    return (list as unknown[]).map((message, i) =>
      withPlace(() => parseFailureMessage(message), `element ${i}`),
    );
  }
  return trimmed
    .split('\n')
    .map((line, i) => [line.trim(), i + 1] as const)
    .filter(([line]) => line !== '')
    .map(([line, number]) => withPlace(() => parseFailureMessage(line), `line ${number}`));
}

function withPlace<T>(read: () => T, place: string): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof OptionError)
      throw new OptionError(error.option, `${place}: ${error.message}`, { cause: error });
    throw error;
  }
}

/**
 * Runs `secondrow-replay`: validates every flag and message first, then replays each batch in turn.
 *
 * @returns The exit status: 0 when every batch was replayed completely, 1 when one was trimmed,
 *   incomplete or still failed, 2 for invalid arguments or messages (nothing was replayed).
 */
export async function main(argv: readonly string[], io: ReplayIo): Promise<number> {
  let args: ReplayArgs;
  let batches: KinesisBatchInfo[];
  let config: ReturnType<typeof loadConfig>;
  try {
    args = parseReplayArgs(argv, io.env);
    if (args.help) {
      io.out(REPLAY_USAGE);
      return 0;
    }
    config = loadConfig({
      ...io.env,
      TABLE_NAME: args.table,
      ...(args.quarantineTable === undefined ? {} : { QUARANTINE_TABLE_NAME: args.quarantineTable }),
    });
    batches = readFailureMessages(
      args.file === undefined ? await io.stdin() : await readFile(args.file, 'utf8'),
    );
  } catch (error) {
    io.err(`secondrow-replay: ${(error as Error).message}`);
    if (!isConsumerError(error)) io.err(REPLAY_USAGE);
    return 2;
  }

  // The standard AWS variables are read from io.env (not only process.env), so a caller's environment applies.
  const env = io.env;
  const region = args.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined);
  const credentials =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
        }
      : undefined;
  const clientConfig = (serviceEndpoint: string | undefined) => {
    const endpoint = args.endpoint ?? (serviceEndpoint || env.AWS_ENDPOINT_URL || undefined);
    return {
      ...(region === undefined ? {} : { region }),
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(credentials === undefined ? {} : { credentials }),
    };
  };
  const dynamodb = new DynamoDBClient(clientConfig(env.AWS_ENDPOINT_URL_DYNAMODB));
  // HTTP/1.1: local Kinesis servers (kinesalite) reject the HTTP/2 the SDK may negotiate.
  const kinesis = new KinesisClient({
    ...clientConfig(env.AWS_ENDPOINT_URL_KINESIS),
    requestHandler: new NodeHttpHandler(),
  });
  try {
    const handler = createHandler({
      store: new SampleStore({
        client: dynamodb,
        tableName: config.tableName,
        windowSeconds: config.windowSeconds,
        resolution: config.resolution,
        range: config.range,
        ...(config.ttlSeconds === undefined ? {} : { ttlSeconds: config.ttlSeconds }),
        ...(config.writeMaxAttempts === undefined ? {} : { maxAttempts: config.writeMaxAttempts }),
      }),
      quarantine: new Quarantine({ client: dynamodb, tableName: config.quarantineTableName }),
      logger: {
        info: () => {},
        warn: (m, e) => io.err(JSON.stringify({ level: 'warn', message: m, ...e })),
        error: (m, e) => io.err(JSON.stringify({ level: 'error', message: m, ...e })),
      },
      metrics: false,
      config,
    });
    let status = 0;
    for (const info of batches) {
      try {
        const result = await replayFailedBatch(info, { kinesis, handler: (event) => handler(event) });
        const complete = !result.trimmed && !result.incomplete && result.batchItemFailures.length === 0;
        if (!complete) status = 1;
        io.out(
          JSON.stringify({
            shardId: info.shardId,
            startSequenceNumber: info.startSequenceNumber,
            endSequenceNumber: info.endSequenceNumber,
            records: result.records,
            trimmed: result.trimmed,
            incomplete: result.incomplete,
            failed: result.batchItemFailures.map((f) => f.itemIdentifier),
          }),
        );
      } catch (error) {
        status = 1;
        io.out(
          JSON.stringify({
            shardId: info.shardId,
            startSequenceNumber: info.startSequenceNumber,
            endSequenceNumber: info.endSequenceNumber,
            error: { code: (error as { code?: unknown }).code, message: (error as Error).message },
          }),
        );
      }
    }
    return status;
  } finally {
    dynamodb.destroy();
    kinesis.destroy();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// Through an npm bin symlink argv[1] is the link, import.meta.url the target.
const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (invokedDirectly) {
  process.exitCode = await main(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    stdin: readStdin,
    env: process.env,
  });
}
