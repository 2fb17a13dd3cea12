import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FlagError, parseNumberFlag } from '@secondrow/devkit';
import { ViewerUsageError } from './errors.js';
import { DEMO_TABLE } from './kept-table.js';

/** Usage text of `pnpm viewer`. */
export const VIEWER_HELP = `Usage: pnpm viewer [options]

Serves the secondrow viewer page and the query API on one origin and prints its URL. What it serves:
  --data-dir DIR    the table pnpm demo --keep left in DIR (--table picks another of DIR's tables)
  --table NAME      a DynamoDB table on AWS (or --endpoint)
  neither           the demo's kept table (.secondrow/local) when it exists, else (or with --devices or
                    --minutes) a short simulated fleet with holes, written into a local DynamoDB
Stops on Ctrl-C or SIGTERM.

  --host <ip>        interface to listen on                       [127.0.0.1]
  --port <n>         port, 0 for a free one                       [0]
  --data-dir <dir>   data directory of pnpm demo --keep           [.secondrow/local when it exists]
  --table <name>     existing DynamoDB table of secondrow rows (AWS, or of --data-dir)  [${DEMO_TABLE} with --data-dir]
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
  /** A table on AWS (or `endpoint`) to read; `undefined` for a kept table or a local simulated fleet. */
  table: { name: string; region: string | undefined; endpoint: string | undefined } | undefined;
  /** A table `pnpm demo --keep` left, read on local servers; `undefined` for AWS or a simulated fleet. */
  kept: { dir: string; table: string } | undefined;
  /** The local fleet's shape (used without `table` and `kept`). */
  fleet: { devices: number; minutes: number };
}

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/**
 * Parses and checks the flags of `pnpm viewer`, before any work starts. Pure: the caller says whether the
 * default data directory holds kept data.
 *
 * @param keptDir - the default data directory when it holds a kept table (`hasKeptData(defaultDataDir())`),
 *   served when no flag names a source (`--data-dir`, `--table`, `--devices`, `--minutes`); else `undefined`.
 * @throws {ViewerUsageError} naming the flag: unknown flag, bad number, bad host, table name or endpoint,
 *   an empty `--data-dir`, `--region`/`--endpoint` without `--table` or with `--data-dir`, fleet flags with
 *   `--table` or `--data-dir`.
 */
export function parseViewerArgs(argv: readonly string[], keptDir?: string): ViewerArgs {
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
        'data-dir': { type: 'string' },
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
  const dataDir = text('data-dir');
  const fleetFlag =
    text('devices') !== undefined ? '--devices' : text('minutes') !== undefined ? '--minutes' : undefined;
  if (tableName !== undefined && !TABLE_NAME.test(tableName)) {
    throw new ViewerUsageError(
      '--table',
      `must be 3 to 255 of A-Z a-z 0-9 _ - ., got ${JSON.stringify(tableName)}`,
    );
  }
  if (dataDir !== undefined) {
    if (dataDir.trim() === '') throw new ViewerUsageError('--data-dir', 'needs a directory, got nothing');
    for (const [flag, value] of [
      ['--region', region],
      ['--endpoint', endpoint],
      [fleetFlag ?? '--devices', fleetFlag],
    ] as const) {
      if (value !== undefined)
        throw new ViewerUsageError(flag, 'not with --data-dir (a kept table is read on loopback)');
    }
  } else if (tableName === undefined) {
    if (region !== undefined)
      throw new ViewerUsageError('--region', 'needs --table (the local fleet runs on loopback)');
    if (endpoint !== undefined) throw new ViewerUsageError('--endpoint', 'needs --table');
  } else {
    if (fleetFlag !== undefined) {
      throw new ViewerUsageError(fleetFlag, 'only for the local fleet (without --table)');
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
    table:
      tableName === undefined || dataDir !== undefined ? undefined : { name: tableName, region, endpoint },
    kept:
      dataDir !== undefined
        ? { dir: resolve(dataDir), table: tableName ?? DEMO_TABLE }
        : tableName === undefined && fleetFlag === undefined && keptDir !== undefined
          ? { dir: keptDir, table: DEMO_TABLE }
          : undefined,
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
