import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { WindowSeconds } from '@secondrow/codec';
import { FlagError, type NumberFlagOptions, parseNumberFlag } from '@secondrow/devkit';
import { defaultDataDir } from '@secondrow/local';
import { type AwsFaults, DEFAULT_AWS_FAULTS, NO_AWS_FAULTS } from './aws-faults.js';
import { DEMO_DEFAULTS, DEMO_TRANSPORTS, type DemoOptions, type DemoTransport } from './demo-options.js';
import { InvalidSimulatorOptionError } from './errors.js';
import { NO_FAULTS, parseFaultRates } from './faults.js';
import { type BrokerFaults, DEFAULT_BROKER_FAULTS } from './mqtt-path.js';
import { PRODUCER_FORMATS, type ProducerFormat } from './producer-formats.js';
import { parseSourceSpec } from './source-spec.js';

/** Usage text of `pnpm demo`. */
export const DEMO_HELP = `Usage: pnpm demo [options]

Simulates watches and phones sending accelerometer batches through Kinesis to the secondrow consumer
and DynamoDB, then reads every device back and checks that no sample was lost or duplicated.
By default it starts kinesalite and dynalite in this process, behind endpoints that inject AWS's faults,
and feeds the consumer with the stack's event source mapping settings. Exit code 1 when verification
fails or a batch was discarded.

Simulation
  --devices <n>           devices (watch + phone)                         [${DEMO_DEFAULTS.devices}]
  --duration <s>          simulated seconds of recording                  [${DEMO_DEFAULTS.durationSeconds}]
  --speed <x|max>         simulated seconds per wall second               [max]
  --rate <hz>             synthetic sample rate, up to 100                [${DEMO_DEFAULTS.rateHz}]
  --source <spec>         mix | csv | csv:<path> | <path>.csv | synthetic:rest|walk|run   [mix]
  --format <f>            ${PRODUCER_FORMATS.join(' | ')}                 [${DEMO_DEFAULTS.format}; avro over mqtt]
  --transport <t>         kinesis: phones call PutRecords; mqtt: devices publish their Avro batches
                          (QoS 1) to a local MQTT broker whose IoT topic rule writes the stream  [${DEMO_DEFAULTS.transport}]
  --faults <spec>         off: no fault at all (devices and AWS); or the device faults:
                          default | none | all=<p> | duplicate=<p>,drop=<p>,reorder=<p>,skew=<p>,offline=<p>
                          (rates per record, per sample, per record, per device, per phone)
  --flush-interval <s>    phone recorder flush interval, simulated seconds [${DEMO_DEFAULTS.flushIntervalSeconds}]
  --seed <text>           seed of every random choice                     [${DEMO_DEFAULTS.seed}]

Local AWS faults (per consumer request to DynamoDB; local runs only)
  --aws-faults <on|off>   the faults below (off: none unless a rate is given) [on]
  --throttle <p>          throttled (ProvisionedThroughputExceeded)        [${DEFAULT_AWS_FAULTS.throttle}]
  --reset-before <p>      connection reset before the write               [${DEFAULT_AWS_FAULTS.resetBefore}]
  --reset-after <p>       connection reset after the write was applied    [${DEFAULT_AWS_FAULTS.resetAfter}]
  --server-errors <p>     500 / 503                                       [${DEFAULT_AWS_FAULTS.serverError}]
  --latency-ms <ms>       latency added to every request                  [${DEFAULT_AWS_FAULTS.latencyMs}]
  --latency-jitter-ms <ms> plus up to this much more                      [${DEFAULT_AWS_FAULTS.latencyJitterMs}]
  --kinesis-limits <on|off> Kinesis's 1 MiB/s and 1,000 records/s per shard  [on]
  --outage <s>            throttle every DynamoDB request for this long, half-way through  [0]
  --broker-drops <n>      MQTT: device connections the broker drops per second  [${DEFAULT_BROKER_FAULTS.dropsPerSecond}]
  --lost-puback <p>       MQTT: connection dropped after the rule took a message, before its PUBACK  [${DEFAULT_BROKER_FAULTS.lostPuback}]

Pipeline (the other event source mapping settings are the stack's)
  --batch-size <n>        records per Lambda invocation                   [${DEMO_DEFAULTS.batchSize}]
  --window <s>            row window seconds (1,2,4,5,10,15,30,60)        [${DEMO_DEFAULTS.windowSeconds}]
  --shards <n>            shards of the stream the demo creates           [${DEMO_DEFAULTS.shards}]
  --compare-batch-sizes   also run at batch size 1 (or 100) and print both write costs (default, local only)
  --no-compare            do not run the second pass
  --skip-ceilings         do not measure the local servers' raw write rates

Against AWS or another endpoint (no local servers then)
  --stream <name>         existing Kinesis stream
  --table <name>          existing DynamoDB table
  --region <region>       AWS region (else the SDK's default resolution)
  --endpoint <url>        endpoint of both services (else AWS_ENDPOINT_URL_KINESIS,
                          AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL)
  --create                create the stream and table first

Keep the data (local runs)
  --keep [dir]            leave the DynamoDB table on disk (emptied first) for \`pnpm secondrow\`  [.secondrow/local]

Output
  --json                  print the report as JSON on stdout
  --quiet                 no progress on stderr
  -h, --help              this help
`;

/** The demo's command line, parsed. */
export interface DemoArgs {
  /** `--help` was given: print {@link DEMO_HELP} and run nothing. */
  help: boolean;
  /** `--json`: print the report as JSON. */
  json: boolean;
  /** Options for `runDemo`; their ranges are checked there, when the demo starts. */
  options: DemoOptions;
}

/**
 * Parses the demo's arguments. Numbers follow devkit's strict rule (no empty text, `NaN` or trailing
 * garbage such as `4x`).
 *
 * @param argv - Arguments after the script name.
 * @throws {InvalidSimulatorOptionError} naming the flag for an unknown flag, a missing value, a malformed
 *   number or an unknown `--format`.
 */
export function parseDemoArgs(argv: readonly string[]): DemoArgs {
  let values: ReturnType<typeof parseDemoFlags>;
  try {
    values = parseDemoFlags(withKeepDir(argv));
  } catch (error) {
    throw new InvalidSimulatorOptionError('', `${(error as Error).message} (see --help)`, { cause: error });
  }
  const options: DemoOptions = {};
  const number = (name: string, text: string | undefined, limits?: NumberFlagOptions): number | undefined => {
    if (text === undefined) return undefined;
    try {
      return parseNumberFlag(`--${name}`, text, limits);
    } catch (error) {
      if (error instanceof FlagError)
        throw new InvalidSimulatorOptionError(name, error.message, { cause: error });
      throw error;
    }
  };
  const set = <K extends keyof DemoOptions>(key: K, value: DemoOptions[K] | undefined): void => {
    if (value !== undefined) options[key] = value;
  };
  set('devices', number('devices', values.devices));
  set('durationSeconds', number('duration', values.duration));
  if (values.speed !== undefined) {
    options.speed = ['max', 'inf', 'infinity', 'Infinity'].includes(values.speed)
      ? Number.POSITIVE_INFINITY
      : (number('speed', values.speed) as number);
  }
  set('rateHz', number('rate', values.rate));
  if (values.source !== undefined) options.source = parseSourceSpec(values.source);
  if (values.format !== undefined) {
    if (!(PRODUCER_FORMATS as readonly string[]).includes(values.format)) {
      throw new InvalidSimulatorOptionError(
        'format',
        `--format must be one of ${PRODUCER_FORMATS.join(', ')}, got ${values.format}`,
      );
    }
    options.format = values.format as ProducerFormat;
  }
  if (values.transport !== undefined) {
    if (!(DEMO_TRANSPORTS as readonly string[]).includes(values.transport)) {
      throw new InvalidSimulatorOptionError(
        'transport',
        `--transport must be one of ${DEMO_TRANSPORTS.join(', ')}, got ${values.transport}`,
      );
    }
    options.transport = values.transport as DemoTransport;
  }
  if (options.transport === 'mqtt' && options.format !== undefined && options.format !== 'avro') {
    throw new InvalidSimulatorOptionError(
      'format',
      `--transport mqtt sends the codec's Avro batches: --format must be avro, got ${options.format}`,
    );
  }
  const allOff = values.faults === 'off';
  if (allOff) options.faults = { ...NO_FAULTS };
  else if (values.faults !== undefined) options.faults = parseFaultRates(values.faults);
  const awsFaults = parseAwsFaults(values, allOff, number);
  if (awsFaults !== undefined) options.awsFaults = awsFaults;
  set('outageSeconds', number('outage', values.outage, { min: 0, max: 3_600 }));
  const brokerOff = allOff || values['aws-faults'] === 'off';
  const drops = number('broker-drops', values['broker-drops'], { min: 0, max: 1000 });
  const lostPuback = number('lost-puback', values['lost-puback'], { min: 0, max: 1 });
  if (drops !== undefined || lostPuback !== undefined || brokerOff) {
    const base: BrokerFaults = brokerOff
      ? { dropsPerSecond: 0, lostPuback: 0 }
      : { ...DEFAULT_BROKER_FAULTS };
    const faults = {
      ...base,
      ...(drops === undefined ? {} : { dropsPerSecond: drops }),
      ...(lostPuback === undefined ? {} : { lostPuback }),
    };
    options.brokerFaults = faults.dropsPerSecond === 0 && faults.lostPuback === 0 ? false : faults;
  }
  set('flushIntervalSeconds', number('flush-interval', values['flush-interval']));
  set('seed', values.seed);
  set('batchSize', number('batch-size', values['batch-size']));
  set('windowSeconds', number('window', values.window) as WindowSeconds | undefined);
  set('shards', number('shards', values.shards));
  if (values['compare-batch-sizes']) options.compareBatchSizes = true;
  if (values['no-compare']) options.compareBatchSizes = false;
  if (values['skip-ceilings']) options.ceilings = false;
  set('streamName', values.stream);
  set('tableName', values.table);
  set('region', values.region);
  set('endpoint', values.endpoint);
  set('create', values.create);
  if (values.quiet) options.progress = false;
  if (values.keep !== undefined) {
    if (values.keep.trim() === '')
      throw new InvalidSimulatorOptionError('keep', '--keep needs a directory, got nothing');
    options.keep = resolve(values.keep);
  }
  return { help: values.help === true, json: values.json === true, options };
}

/** `on` / `off` of a switch flag. */
function onOff(name: string, text: string | undefined): boolean | undefined {
  if (text === undefined) return undefined;
  if (text === 'on') return true;
  if (text === 'off') return false;
  throw new InvalidSimulatorOptionError(name, `--${name} must be on or off, got ${text}`);
}

/**
 * The AWS faults the flags ask for: `undefined` for the defaults, `false` for none, or the defaults (or
 * nothing, after `--faults off` / `--aws-faults off`) with the given rates on top.
 */
function parseAwsFaults(
  values: ReturnType<typeof parseDemoFlags>,
  allOff: boolean,
  number: (name: string, text: string | undefined, limits?: NumberFlagOptions) => number | undefined,
): AwsFaults | false | undefined {
  const enabled = onOff('aws-faults', values['aws-faults']);
  const off = allOff || enabled === false;
  const given: Partial<AwsFaults> = {};
  const rate = (key: keyof AwsFaults, name: string, limits: NumberFlagOptions): void => {
    const value = number(name, values[name as keyof typeof values] as string | undefined, limits);
    if (value !== undefined) (given as Record<string, number>)[key] = value;
  };
  const probability = { min: 0, max: 1 };
  const ms = { min: 0, max: 60_000 };
  rate('throttle', 'throttle', probability);
  rate('resetBefore', 'reset-before', probability);
  rate('resetAfter', 'reset-after', probability);
  rate('serverError', 'server-errors', probability);
  rate('latencyMs', 'latency-ms', ms);
  rate('latencyJitterMs', 'latency-jitter-ms', ms);
  const limits = onOff('kinesis-limits', values['kinesis-limits']);
  if (limits !== undefined) given.kinesisLimits = limits;
  if (Object.keys(given).length === 0) return off ? false : undefined;
  return { ...(off ? NO_AWS_FAULTS : DEFAULT_AWS_FAULTS), ...given };
}

/** `--keep` takes an optional directory: a bare `--keep` (last, or before another flag) gets the default. */
function withKeepDir(argv: readonly string[]): string[] {
  return argv.map((arg, i) => {
    const next = argv[i + 1];
    return arg === '--keep' && (next === undefined || next.startsWith('-'))
      ? `--keep=${defaultDataDir()}`
      : arg;
  });
}

function parseDemoFlags(argv: readonly string[]) {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      devices: { type: 'string' },
      duration: { type: 'string' },
      speed: { type: 'string' },
      rate: { type: 'string' },
      source: { type: 'string' },
      format: { type: 'string' },
      transport: { type: 'string' },
      'broker-drops': { type: 'string' },
      'lost-puback': { type: 'string' },
      faults: { type: 'string' },
      'aws-faults': { type: 'string' },
      throttle: { type: 'string' },
      'reset-before': { type: 'string' },
      'reset-after': { type: 'string' },
      'server-errors': { type: 'string' },
      'latency-ms': { type: 'string' },
      'latency-jitter-ms': { type: 'string' },
      'kinesis-limits': { type: 'string' },
      outage: { type: 'string' },
      'flush-interval': { type: 'string' },
      seed: { type: 'string' },
      'batch-size': { type: 'string' },
      window: { type: 'string' },
      shards: { type: 'string' },
      'compare-batch-sizes': { type: 'boolean' },
      'no-compare': { type: 'boolean' },
      'skip-ceilings': { type: 'boolean' },
      stream: { type: 'string' },
      table: { type: 'string' },
      region: { type: 'string' },
      endpoint: { type: 'string' },
      create: { type: 'boolean' },
      keep: { type: 'string' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  return values;
}
