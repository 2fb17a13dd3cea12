import { type ParseArgsConfig, parseArgs } from 'node:util';
import { defaultDataDir } from '@secondrow/local';
import { ArgumentError } from './errors.js';
import { parseTimeFlag } from './time-flag.js';

/** Export formats of `secondrow export`. */
export const EXPORT_FORMATS = ['csv', 'ndjson', 'parquet'] as const;
/** One of {@link EXPORT_FORMATS}. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** How `secondrow export` writes times in CSV and NDJSON: epoch ms or ISO-8601 UTC. Parquet always stores a timestamp. */
export type TimeFormat = 'ms' | 'iso';

/** Table the demo writes and the commands read by default on the local servers. */
export const DEFAULT_LOCAL_TABLE = 'secondrow-demo';

/** Where the rows are read from: the servers kept on disk by `pnpm demo --keep`, or DynamoDB. */
export type Source =
  | { kind: 'local'; dir: string; table: string }
  | { kind: 'aws'; table: string; region: string | undefined; endpoint: string | undefined };

/** Flags common to every command. */
export interface CommonArgs {
  source: Source;
  /** No progress on stderr. */
  quiet: boolean;
}

/** `secondrow export`, parsed and checked. */
export interface ExportArgs extends CommonArgs {
  command: 'export';
  device: string;
  /** Inclusive start, epoch ms. */
  fromMs: number;
  /** Exclusive end, epoch ms. */
  toMs: number;
  format: ExportFormat;
  time: TimeFormat;
  /** Output file; `undefined` for stdout. */
  out: string | undefined;
}

/** `secondrow audit`, parsed and checked. */
export interface AuditArgs extends CommonArgs {
  command: 'audit';
  /** One device, or `undefined` for every device of the registry. */
  device: string | undefined;
  fromMs: number;
  toMs: number;
  json: boolean;
  /** Write the HTML report here. */
  html: string | undefined;
}

/** What the command line asks for. */
export type CliArgs = ExportArgs | AuditArgs | { command: 'help'; text: string };

const SOURCE_HELP = `Where (default: the local servers kept by \`pnpm demo --keep\`)
  --local <dir>          data directory of the kept local servers   [${'<repo>/.secondrow/local'}]
  --table <name>         DynamoDB table; alone, or with --region / --endpoint, reads AWS
                         (credentials and region from the standard AWS environment)
                         With --local, a table of the local servers  [${DEFAULT_LOCAL_TABLE}]
  --region <region>      AWS region (else AWS_REGION / the SDK's resolution)
  --endpoint <url>       DynamoDB endpoint URL (else AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL)
`;

const TIME_HELP = `Times are epoch ms, ISO-8601 with a zone or relative to now: 1733300000000, 2024-12-04T08:00:00Z,
2024-12-04 (midnight UTC), now, now-90s, now-15m, now-2h, now-7d, now+1h.`;

/** Usage of `secondrow` without a command. */
export const MAIN_HELP = `Usage: secondrow <command> [options]

Read secondrow's stored samples from DynamoDB or the local servers kept by \`pnpm demo --keep\`.

Commands
  export    a device's samples over a time range as CSV, NDJSON or Parquet
  audit     coverage, gaps, rows, bytes, write units and lateness per device and for the fleet

\`secondrow <command> --help\` lists a command's options. Exit status: 0 done, 1 failed while reading
or writing, 2 bad flags or no local data.
`;

/** Usage of `secondrow export`. */
export const EXPORT_HELP = `Usage: secondrow export --device <id> --from <time> --to <time> [options]

Streams one device's samples with from <= t < to, page by page (bounded memory), in time order.

  --device <id>          device id (required)
  --from <time>          inclusive start (required)
  --to <time>            exclusive end (required)
  --format <f>           csv | ndjson | parquet      [from --out's extension, else csv]
  --out <file>           write here                  [stdout; parquet needs --out or a pipe]
  --time <ms|iso>        CSV / NDJSON times as epoch ms (t_ms) or ISO-8601 UTC (t_utc)  [ms]
  --quiet                no progress on stderr
  -h, --help             this help

${SOURCE_HELP}
${TIME_HELP}
CSV columns: t_ms,x_g,y_g,z_g. NDJSON: {"t_ms":…,"x_g":…,"y_g":…,"z_g":…} per line.
Parquet: t (INT64 timestamp, ms, UTC), x_g, y_g, z_g (DOUBLE, g); units also in the key-value metadata.
`;

/** Usage of `secondrow audit`. */
export const AUDIT_HELP = `Usage: secondrow audit --from <time> --to <time> [--device <id>] [options]

Per device (every device of the registry without --device) and for the fleet: coverage, gaps (the
codec's rule: more than 3 nominal intervals without a sample), rows, bytes, write units, lateness.

  --device <id>          one device                  [every registered device]
  --from <time>          inclusive start (required)
  --to <time>            exclusive end (required)
  --json                 the numbers as JSON on stdout
  --html <file>          a self-contained HTML report with charts
  --quiet                no progress on stderr
  -h, --help             this help

${SOURCE_HELP}
${TIME_HELP}
`;

/**
 * Parses `secondrow`'s arguments and checks every flag, before anything is read.
 *
 * @param argv - Arguments after the program name.
 * @param env - Environment, for the endpoint variables. Default `process.env`.
 * @param nowMs - What `now` in a time flag means, epoch ms. Default `Date.now()`.
 * @throws {ArgumentError} naming the flag: unknown command or flag, missing value or required flag, a
 *   malformed time or format, `--from` not before `--to`, `--local` with `--region` / `--endpoint`.
 */
export function parseCliArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
  nowMs: number = Date.now(),
): CliArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    return { command: 'help', text: MAIN_HELP };
  }
  if (command === 'export') return parseExport(rest, env, nowMs);
  if (command === 'audit') return parseAudit(rest, env, nowMs);
  throw new ArgumentError('', `unknown command ${JSON.stringify(command)}: use export or audit (see --help)`);
}

const COMMON_OPTIONS = {
  local: { type: 'string' },
  table: { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  device: { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseExport(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  nowMs: number,
): CliArgs {
  const values = parseFlags(argv, {
    ...COMMON_OPTIONS,
    format: { type: 'string' },
    out: { type: 'string' },
    time: { type: 'string' },
  });
  if (values.help === true) return { command: 'help', text: EXPORT_HELP };
  const device = deviceFlag(text(values, 'device'));
  if (device === undefined) throw new ArgumentError('--device', '--device is required (see --help)');
  const { fromMs, toMs } = rangeFlags(text(values, 'from'), text(values, 'to'), nowMs);
  const out = nonEmpty('--out', text(values, 'out'));
  let format: ExportFormat;
  const formatText = text(values, 'format');
  if (formatText !== undefined) {
    if (!(EXPORT_FORMATS as readonly string[]).includes(formatText)) {
      throw new ArgumentError(
        '--format',
        `--format must be one of ${EXPORT_FORMATS.join(', ')}, got ${JSON.stringify(formatText)}`,
      );
    }
    format = formatText as ExportFormat;
  } else {
    const extension = out === undefined ? '' : (/\.([a-z]+)$/i.exec(out)?.[1]?.toLowerCase() ?? '');
    format = extension === 'parquet' || extension === 'ndjson' ? extension : 'csv';
  }
  const time = text(values, 'time') ?? 'ms';
  if (time !== 'ms' && time !== 'iso') {
    throw new ArgumentError(
      '--time',
      `--time must be ms or iso, got ${JSON.stringify(text(values, 'time'))}`,
    );
  }
  return {
    command: 'export',
    device,
    fromMs,
    toMs,
    format,
    time,
    out,
    source: sourceFlags(values, env),
    quiet: values.quiet === true,
  };
}

function parseAudit(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  nowMs: number,
): CliArgs {
  const values = parseFlags(argv, { ...COMMON_OPTIONS, json: { type: 'boolean' }, html: { type: 'string' } });
  if (values.help === true) return { command: 'help', text: AUDIT_HELP };
  const { fromMs, toMs } = rangeFlags(text(values, 'from'), text(values, 'to'), nowMs);
  return {
    command: 'audit',
    device: deviceFlag(text(values, 'device')),
    fromMs,
    toMs,
    json: values.json === true,
    html: nonEmpty('--html', text(values, 'html')),
    source: sourceFlags(values, env),
    quiet: values.quiet === true,
  };
}

type FlagValues = Record<string, string | boolean | undefined>;

/** The text of a string flag (parseArgs gives only strings for them). */
function text(values: FlagValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function parseFlags(argv: readonly string[], options: NonNullable<ParseArgsConfig['options']>): FlagValues {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options,
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length > 0) {
      throw new ArgumentError('', `unexpected argument ${JSON.stringify(positionals[0])} (see --help)`);
    }
    return values as FlagValues;
  } catch (error) {
    if (error instanceof ArgumentError) throw error;
    const message = (error as Error).message;
    // node:util names the flag in quotes: "Unknown option '--formt'", "Option '--from <value>' argument missing".
    const flag = /'(-{1,2}[a-zA-Z][\w-]*)/.exec(message)?.[1] ?? '';
    throw new ArgumentError(flag, `${message.split('. ')[0]} (see --help)`, { cause: error });
  }
}

function nonEmpty(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new ArgumentError(flag, `${flag} needs a value, got nothing`);
  return value;
}

function deviceFlag(value: string | undefined): string | undefined {
  const device = nonEmpty('--device', value);
  if (device !== undefined && (device.length > 1024 || device.startsWith('#'))) {
    // The registry lives in the '#registry' partition; ids of devices never start with '#'.
    throw new ArgumentError('--device', `--device is not a device id: ${JSON.stringify(device)}`);
  }
  return device;
}

function rangeFlags(
  from: string | undefined,
  to: string | undefined,
  nowMs: number,
): { fromMs: number; toMs: number } {
  if (from === undefined) throw new ArgumentError('--from', '--from is required (see --help)');
  if (to === undefined) throw new ArgumentError('--to', '--to is required (see --help)');
  const fromMs = parseTimeFlag('--from', from, nowMs);
  const toMs = parseTimeFlag('--to', to, nowMs);
  if (!(toMs > fromMs)) {
    throw new ArgumentError('--to', `--to must be after --from (${from} .. ${to} is empty)`);
  }
  return { fromMs, toMs };
}

function sourceFlags(values: FlagValues, env: Readonly<Record<string, string | undefined>>): Source {
  const local = nonEmpty('--local', text(values, 'local'));
  const table = nonEmpty('--table', text(values, 'table'));
  const region = nonEmpty('--region', text(values, 'region'));
  const endpoint = nonEmpty('--endpoint', text(values, 'endpoint'));
  if (table !== undefined && !/^[a-zA-Z0-9_.-]{3,255}$/.test(table)) {
    throw new ArgumentError(
      '--table',
      `--table must be 3 to 255 of a-z A-Z 0-9 _ - ., got ${JSON.stringify(table)}`,
    );
  }
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint)) {
    throw new ArgumentError(
      '--endpoint',
      `--endpoint must be an http(s) URL, got ${JSON.stringify(endpoint)}`,
    );
  }
  if (local !== undefined && (region !== undefined || endpoint !== undefined)) {
    const flag = region !== undefined ? '--region' : '--endpoint';
    throw new ArgumentError(flag, `${flag} reads AWS and --local the local servers: give one of them`);
  }
  if (local === undefined && (table !== undefined || region !== undefined || endpoint !== undefined)) {
    if (table === undefined) throw new ArgumentError('--table', '--table is required to read AWS');
    return {
      kind: 'aws',
      table,
      region,
      endpoint: endpoint ?? env.AWS_ENDPOINT_URL_DYNAMODB ?? env.AWS_ENDPOINT_URL,
    };
  }
  return { kind: 'local', dir: local ?? defaultDataDir(), table: table ?? DEFAULT_LOCAL_TABLE };
}
