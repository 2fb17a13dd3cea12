import { parseArgs } from 'node:util';
import { FlagError, parseNumberFlag } from '@secondrow/devkit';
import { ViewerUsageError } from './errors.js';

/** Usage text of `pnpm viewer`. */
export const VIEWER_HELP = `Usage: pnpm viewer [options]

Serves the secondrow viewer page and the query API on one origin and prints its URL. Without --table it
starts a local DynamoDB, writes a short simulated fleet (with holes) into it and serves that.
Stops on Ctrl-C or SIGTERM.

  --host <ip>        interface to listen on                       [127.0.0.1]
  --port <n>         port, 0 for a free one                       [0]
  --table <name>     existing DynamoDB table of secondrow rows (else a local one with a simulated fleet)
  --region <region>  AWS region (else the SDK's default resolution; with --table only)
  --endpoint <url>   DynamoDB endpoint (else AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL; with --table only)
  --devices <n>      simulated devices (local only)               [3]
  --minutes <n>      simulated minutes per device (local only)    [10]
  --rebuild          rebuild the page even when dist/ is current
  --help             this text
`;

/** What `pnpm viewer` was asked to do. */
export interface ViewerArgs {
  help: boolean;
  host: string;
  port: number;
  rebuild: boolean;
  /** A table to read; `undefined` for a local simulated fleet. */
  table: { name: string; region: string | undefined; endpoint: string | undefined } | undefined;
  /** The local fleet's shape (used without `table`). */
  fleet: { devices: number; minutes: number };
}

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/**
 * Parses and checks the flags of `pnpm viewer`, before any work starts.
 *
 * @throws {ViewerUsageError} naming the flag: unknown flag, bad number, bad host, table name or endpoint,
 *   `--region`/`--endpoint` without `--table`, fleet flags with `--table`.
 */
export function parseViewerArgs(argv: readonly string[]): ViewerArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean' },
        host: { type: 'string' },
        port: { type: 'string' },
        table: { type: 'string' },
        region: { type: 'string' },
        endpoint: { type: 'string' },
        devices: { type: 'string' },
        minutes: { type: 'string' },
        rebuild: { type: 'boolean' },
      },
    }));
  } catch (error) {
    const flag = /'(--?[^'\s]+)/.exec((error as Error).message)?.[1] ?? 'arguments';
    throw new ViewerUsageError(flag, (error as Error).message);
  }
  const text = (name: string): string | undefined => values[name] as string | undefined;
  const number = (
    flag: string,
    raw: string | undefined,
    fallback: number,
    min: number,
    max: number,
  ): number => {
    if (raw === undefined) return fallback;
    try {
      return parseNumberFlag(flag, raw, { integer: true, min, max });
    } catch (error) {
      if (error instanceof FlagError) {
        const reason = error.message.startsWith(`${flag} `)
          ? error.message.slice(flag.length + 1)
          : error.message;
        throw new ViewerUsageError(flag, reason);
      }
      throw error;
    }
  };
  const host = text('host') ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(host))
    throw new ViewerUsageError('--host', `not a host name or address: ${host}`);
  const port = number('--port', text('port'), 0, 0, 65_535);
  const tableName = text('table');
  const region = text('region');
  const endpoint = text('endpoint');
  if (tableName === undefined) {
    if (region !== undefined)
      throw new ViewerUsageError('--region', 'needs --table (the local fleet runs on loopback)');
    if (endpoint !== undefined) throw new ViewerUsageError('--endpoint', 'needs --table');
  } else {
    if (!TABLE_NAME.test(tableName)) {
      throw new ViewerUsageError(
        '--table',
        `must be 3 to 255 of A-Z a-z 0-9 _ - ., got ${JSON.stringify(tableName)}`,
      );
    }
    if (text('devices') !== undefined || text('minutes') !== undefined) {
      throw new ViewerUsageError(
        text('devices') !== undefined ? '--devices' : '--minutes',
        'only for the local fleet (without --table)',
      );
    }
    if (endpoint !== undefined && !isHttpUrl(endpoint)) {
      throw new ViewerUsageError('--endpoint', `must be an http(s) URL, got ${JSON.stringify(endpoint)}`);
    }
    if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
      throw new ViewerUsageError('--region', `not an AWS region: ${JSON.stringify(region)}`);
    }
  }
  return {
    help: values.help === true,
    host,
    port,
    rebuild: values.rebuild === true,
    table: tableName === undefined ? undefined : { name: tableName, region, endpoint },
    fleet: {
      devices: number('--devices', text('devices'), 3, 1, 50),
      minutes: number('--minutes', text('minutes'), 10, 1, 120),
    },
  };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
