import {
  DEFAULT_RANGE,
  DEFAULT_RESOLUTION,
  DEFAULT_WINDOW_SECONDS,
  WINDOW_SECONDS,
  type WindowSeconds,
} from '@secondrow/codec';
import { ConfigError } from './errors.js';

/** Settings of the consumer Lambda, read once per container from the environment by {@link loadConfig}. */
export interface ConsumerConfig {
  /** Table the rows are written to (`TABLE_NAME`, required). */
  tableName: string;
  /** Table bad records are kept in (`QUARANTINE_TABLE_NAME`; default: `tableName`). */
  quarantineTableName: string;
  /** Row window length in seconds (`WINDOW_SECONDS`; default 1). */
  windowSeconds: WindowSeconds;
  /** Quantization step in g (`RESOLUTION_G`; default 0.001). */
  resolution: number;
  /** Largest accepted magnitude on any axis in g (`RANGE_G`; default 16). */
  range: number;
  /** Records holding more samples are rejected (`MAX_SAMPLES_PER_RECORD`; default 20 000). */
  maxSamplesPerRecord: number;
  /**
   * Largest payload of one user record in bytes, after decompression (`MAX_RECORD_BYTES`; default 4 MiB).
   * Bounds gunzip output, so a zip bomb costs at most this much memory.
   */
  maxRecordBytes: number;
  /** Time kept back from the Lambda's remaining time when setting the write deadline, ms (`DEADLINE_MARGIN_MS`; default 1000). */
  deadlineMarginMs: number;
  /** Row expiry in seconds after the window start (`TTL_SECONDS`; default: rows never expire). */
  ttlSeconds: number | undefined;
  /** Attempts per row write before it is reported failed (`WRITE_MAX_ATTEMPTS`; default: the store's). */
  writeMaxAttempts: number | undefined;
  /**
   * Note each device's stored range in the codec's `DeviceRegistry` (`DEVICE_REGISTRY`: `on` or `off`;
   * default `on`). About one write unit per device per hour of data.
   */
  deviceRegistry: boolean;
  /**
   * Quarantine a record whose device id is not its Kinesis partition key, as a permanent failure with code
   * `IDENTITY_MISMATCH` (`REQUIRE_PARTITION_KEY_MATCH`: `on` or `off`; default `off`). Turn it on for a
   * stream that only the IoT topic rule writes (its partition key is the publishing thing's name, taken
   * from the one topic its policy lets it publish to) or where every producer keys records by its own
   * device id; the 2015 app's records (random keys) and KPL aggregates of several devices would fail it.
   */
  requirePartitionKeyMatch: boolean;
  /** CloudWatch metrics namespace (`POWERTOOLS_METRICS_NAMESPACE`; default `secondrow`). */
  metricsNamespace: string;
  /** Service name on logs and metrics (`POWERTOOLS_SERVICE_NAME`; default `secondrow-consumer`). */
  serviceName: string;
}

/** Defaults of every optional setting of {@link ConsumerConfig}. */
export const DEFAULT_CONFIG = {
  windowSeconds: DEFAULT_WINDOW_SECONDS,
  resolution: DEFAULT_RESOLUTION,
  range: DEFAULT_RANGE,
  maxSamplesPerRecord: 20_000,
  maxRecordBytes: 4 * 1024 * 1024,
  deadlineMarginMs: 1_000,
  metricsNamespace: 'secondrow',
  serviceName: 'secondrow-consumer',
} as const satisfies Partial<ConsumerConfig>;

/** Environment variables as {@link loadConfig} reads them: name to value, `undefined` when unset. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads and validates the consumer's settings from environment variables.
 * Empty values count as unset.
 *
 * @param env - Environment to read; defaults to `process.env`.
 * @returns The complete configuration with defaults filled in.
 * @throws {@link ConfigError} naming the first missing or malformed variable.
 * @example
 * ```ts
 * const config = loadConfig({ TABLE_NAME: 'samples', WINDOW_SECONDS: '1' });
 * ```
 */
export function loadConfig(env: Env = process.env): ConsumerConfig {
  const tableName = text(env, 'TABLE_NAME');
  if (tableName === undefined) {
    throw new ConfigError('TABLE_NAME', 'TABLE_NAME is required: the DynamoDB table the rows are written to');
  }
  const windowSeconds = integer(env, 'WINDOW_SECONDS', 1) ?? DEFAULT_CONFIG.windowSeconds;
  if (!(WINDOW_SECONDS as readonly number[]).includes(windowSeconds)) {
    throw new ConfigError(
      'WINDOW_SECONDS',
      `WINDOW_SECONDS must be one of ${WINDOW_SECONDS.join(', ')}, got ${JSON.stringify(env.WINDOW_SECONDS)}`,
    );
  }
  return {
    tableName,
    quarantineTableName: text(env, 'QUARANTINE_TABLE_NAME') ?? tableName,
    windowSeconds: windowSeconds as WindowSeconds,
    resolution: positiveNumber(env, 'RESOLUTION_G') ?? DEFAULT_CONFIG.resolution,
    range: positiveNumber(env, 'RANGE_G') ?? DEFAULT_CONFIG.range,
    maxSamplesPerRecord: integer(env, 'MAX_SAMPLES_PER_RECORD', 1) ?? DEFAULT_CONFIG.maxSamplesPerRecord,
    maxRecordBytes: integer(env, 'MAX_RECORD_BYTES', 1) ?? DEFAULT_CONFIG.maxRecordBytes,
    deadlineMarginMs: integer(env, 'DEADLINE_MARGIN_MS', 0) ?? DEFAULT_CONFIG.deadlineMarginMs,
    ttlSeconds: integer(env, 'TTL_SECONDS', 1),
    writeMaxAttempts: integer(env, 'WRITE_MAX_ATTEMPTS', 1),
    deviceRegistry: onOff(env, 'DEVICE_REGISTRY') ?? true,
    requirePartitionKeyMatch: onOff(env, 'REQUIRE_PARTITION_KEY_MATCH') ?? false,
    metricsNamespace: text(env, 'POWERTOOLS_METRICS_NAMESPACE') ?? DEFAULT_CONFIG.metricsNamespace,
    serviceName: text(env, 'POWERTOOLS_SERVICE_NAME') ?? DEFAULT_CONFIG.serviceName,
  };
}

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, min: number): number | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  // A strict pattern, because Number('1e3') or parseInt('12abc') would accept typos silently.
  const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min) {
    throw new ConfigError(name, `${name} must be an integer >= ${min}, got ${JSON.stringify(env[name])}`);
  }
  return parsed;
}

function onOff(env: Env, name: string): boolean | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new ConfigError(name, `${name} must be on or off, got ${JSON.stringify(env[name])}`);
}

function positiveNumber(env: Env, name: string): number | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  const parsed = /^(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(parsed) || parsed <= 0) {
    throw new ConfigError(name, `${name} must be a positive number, got ${JSON.stringify(env[name])}`);
  }
  return parsed;
}
