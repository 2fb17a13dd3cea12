import type { WindowSeconds } from '@secondrow/codec';
import { EVENT_SOURCE_MAPPING } from '@secondrow/consumer';
import type { LocalServersMode } from '@secondrow/local';
import { type AwsFaults, DEFAULT_AWS_FAULTS } from './aws-faults.js';
import type { KeptTable } from './demo-keep.js';
import { DEFAULT_FAULT_RATES, type FaultRates } from './faults.js';
import { type BrokerFaults, DEFAULT_BROKER_FAULTS } from './mqtt-path.js';
import type { ProducerFormat } from './producer-formats.js';
import type { ProgressReporter } from './progress.js';
import { DEFAULT_FLUSH_INTERVAL_MS } from './simulation.js';
import type { SourceSpec } from './source-spec.js';

/** How the demo's records reach the stream (see {@link DemoOptions.transport}). */
export type DemoTransport = 'kinesis' | 'mqtt';

/** Every {@link DemoTransport}. */
export const DEMO_TRANSPORTS: readonly DemoTransport[] = ['kinesis', 'mqtt'];

/** Options of {@link runDemo}; every field has a default (see {@link DEMO_DEFAULTS}). */
export interface DemoOptions {
  /** Devices (watch + phone). */
  devices?: number;
  /** Simulated seconds of recording. */
  durationSeconds?: number;
  /** Simulated ms per wall ms; `Infinity` = as fast as possible. */
  speed?: number;
  /** Synthetic sample rate, Hz (≤ 100). */
  rateHz?: number;
  /** Reading source. */
  source?: SourceSpec;
  /** Record format of the phones (`avro` with the MQTT transport). */
  format?: ProducerFormat;
  /**
   * How records reach Kinesis: `kinesis`, the phones' PutRecords; or `mqtt`, each device publishing its Avro
   * batches over MQTT (QoS 1) to its Basic Ingest topic on a local broker, whose topic rule writes them to
   * the stream (local runs only). Default `kinesis`.
   */
  transport?: DemoTransport;
  /**
   * Faults of the local broker with the MQTT transport (dropped connections, lost PUBACKs); `false` for none.
   * Default {@link DEFAULT_BROKER_FAULTS}.
   */
  brokerFaults?: BrokerFaults | false;
  /** Fault rates of the simulated devices and phones. */
  faults?: FaultRates;
  /**
   * Faults of the local AWS (DynamoDB throttling, resets, latency; Kinesis limits), through the fault proxies of
   * `@secondrow/local`; `false` for none. Local runs only. Default {@link DEFAULT_AWS_FAULTS}.
   */
  awsFaults?: AwsFaults | false;
  /**
   * Seconds during which every DynamoDB request of the consumer is throttled, starting when half the samples
   * are recorded (main pass, local runs). Default 0: no outage.
   */
  outageSeconds?: number;
  /**
   * Records per handler invocation (the event source mapping's BatchSize). The other mapping settings are the
   * stack's (`EVENT_SOURCE_MAPPING`). Default the stack's, 500.
   */
  batchSize?: number;
  /** Row window, seconds. */
  windowSeconds?: WindowSeconds;
  /** Phone flush interval, simulated seconds. */
  flushIntervalSeconds?: number;
  /** Shards of the stream the demo creates. */
  shards?: number;
  /** Seed of every random choice. */
  seed?: string;
  /** Also run the pipeline at Lambda batch size 1 (or 100 when `batchSize` is 1) and report both write costs. Local only; default true. */
  compareBatchSizes?: boolean;
  /** Measure the local servers' raw write rates first. Default true locally, never against AWS. */
  ceilings?: boolean;
  /** Existing stream to use (then no local servers are started). */
  streamName?: string;
  /** Existing table to use (then no local servers are started). */
  tableName?: string;
  /** AWS region for a remote run. */
  region?: string;
  /** One endpoint URL for both services (else `AWS_ENDPOINT_URL_KINESIS` / `_DYNAMODB` / `AWS_ENDPOINT_URL`). */
  endpoint?: string;
  /** Create the stream and table of a remote run. Default false. */
  create?: boolean;
  /** Progress display; `false` for none. Default: stderr. */
  progress?: ProgressReporter | false;
  /** Where local servers run: their own thread (default) or the caller's event loop. */
  servers?: LocalServersMode;
  /**
   * Keep the local servers' DynamoDB tables in this directory after the run (`startLocalAws({ dataDir })`),
   * emptied first, with every device noted in the table's registry; local runs only. Default: nothing kept.
   */
  keep?: string;
  /** Called with the kept table after a run with `keep` (e.g. to print how to read it). */
  onKept?: (kept: KeptTable) => void;
  /** Environment to read endpoints from. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Defaults of the demo: 20 devices × 120 simulated s at 50 Hz, every device fault on at a modest rate, the
 * local AWS faults on ({@link DEFAULT_AWS_FAULTS}), the stack's mapping settings, as fast as possible.
 */
export const DEMO_DEFAULTS: Readonly<DemoDefaults> = {
  devices: 20,
  durationSeconds: 120,
  speed: Number.POSITIVE_INFINITY,
  rateHz: 50,
  source: { kind: 'mix' },
  format: 'json-v1',
  transport: 'kinesis',
  brokerFaults: DEFAULT_BROKER_FAULTS,
  faults: DEFAULT_FAULT_RATES,
  awsFaults: DEFAULT_AWS_FAULTS,
  outageSeconds: 0,
  batchSize: EVENT_SOURCE_MAPPING.batchSize,
  windowSeconds: 1,
  flushIntervalSeconds: DEFAULT_FLUSH_INTERVAL_MS / 1000,
  shards: 4,
  seed: 'secondrow',
};

/** The options of {@link DemoOptions} that have a default. */
export type DemoDefaults = Required<
  Pick<
    DemoOptions,
    | 'devices'
    | 'durationSeconds'
    | 'speed'
    | 'rateHz'
    | 'source'
    | 'format'
    | 'transport'
    | 'brokerFaults'
    | 'faults'
    | 'awsFaults'
    | 'outageSeconds'
    | 'batchSize'
    | 'windowSeconds'
    | 'flushIntervalSeconds'
    | 'shards'
    | 'seed'
  >
>;

/** {@link DemoOptions} with every default applied. */
export type ResolvedDemo = DemoOptions & DemoDefaults;
