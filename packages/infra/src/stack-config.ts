import { InvalidContextError } from './errors.js';
import type { StreamEncryptionMode } from './ingest.js';
import type { SecondrowStackProps } from './secondrow-stack.js';
import {
  describeRange,
  integerSettingProblem,
  NUMERIC_SETTING_NAMES,
  NUMERIC_SETTINGS,
} from './setting-limits.js';

/** Reads one context value (`cdk synth -c key=value` or `cdk.json` "context"). */
export type ContextReader = (key: string) => unknown;

/** Context keys the app reads, each mapped to a {@link SecondrowStackProps} field. */
export const CONTEXT_KEYS = {
  codePath: 'codePath',
  shardCount: 'shardCount',
  streamEncryption: 'streamEncryption',
  streamRetentionHours: 'streamRetentionHours',
  batchSize: 'batchSize',
  batchingWindowSeconds: 'batchingWindowSeconds',
  bisectBatchOnFunctionError: 'bisectBatchOnFunctionError',
  maximumRetryAttempts: 'maximumRetryAttempts',
  maximumRecordAgeSeconds: 'maximumRecordAgeSeconds',
  parallelizationFactor: 'parallelizationFactor',
  memorySize: 'memorySize',
  timeoutSeconds: 'timeoutSeconds',
  windowSeconds: 'windowSeconds',
  ttlSeconds: 'ttlSeconds',
  tableName: 'tableName',
  retainTable: 'retainTable',
  iteratorAgeAlarmMs: 'iteratorAgeAlarmMs',
  alarmTopicArn: 'alarmTopicArn',
  stackName: 'stackName',
  viewer: 'viewer',
  viewerDomainPrefix: 'viewerDomainPrefix',
  queryCodePath: 'queryCodePath',
  viewerPagePath: 'viewerPagePath',
  iot: 'iot',
  requirePartitionKeyMatch: 'requirePartitionKeyMatch',
} as const;

const BOOLEAN_KEYS = ['bisectBatchOnFunctionError', 'retainTable'] as const;

/** What AWS accepts for the free-text keys (DynamoDB table names; SNS topic ARNs). */
const STRING_PATTERNS = {
  codePath: { pattern: /^.+$/, accepts: 'a path' },
  queryCodePath: { pattern: /^.+$/, accepts: 'a path' },
  viewerPagePath: { pattern: /^.+$/, accepts: 'a path' },
  viewerDomainPrefix: {
    pattern: /^(?!.*(aws|amazon|cognito))[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    accepts: '1 to 63 lowercase letters, digits and inner hyphens, without aws, amazon or cognito',
  },
  tableName: { pattern: /^[A-Za-z0-9_.-]{3,255}$/, accepts: '3 to 255 of A-Z a-z 0-9 _ . -' },
  alarmTopicArn: {
    pattern: /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/,
    accepts: 'an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)',
  },
} as const;

/**
 * Builds the stack settings from CDK context. Values given with `-c` arrive as strings and are converted
 * strictly (an integer is digits with an optional minus, a boolean `true` or `false`); values from
 * `cdk.json` may be JSON numbers and booleans. Unset keys keep the stack's defaults. Settings that depend on
 * each other (record age and retention) and the consumer's environment are checked when the stack is built.
 *
 * @param read - Usually `(key) => app.node.tryGetContext(key)`.
 * @param defaultCodePath - Bundle location when `codePath` is not set.
 * @returns Props for `SecondrowStack` (without `env`).
 * @throws {InvalidContextError} naming the key when a value is malformed or outside what AWS accepts
 *   (ranges in `NUMERIC_SETTINGS`), or `streamEncryption` is unknown.
 * @example
 * const props = stackPropsFromContext((key) => app.node.tryGetContext(key), 'dist-lambda');
 */
export function stackPropsFromContext(
  read: ContextReader,
  defaultCodePath: string,
  viewerDefaults?: { queryCodePath: string; pagePath: string },
): SecondrowStackProps {
  const props: Record<string, unknown> = {
    codePath: stringValue(read, 'codePath') ?? defaultCodePath,
  };
  for (const key of NUMERIC_SETTING_NAMES) {
    const raw = read(CONTEXT_KEYS[key]);
    if (isUnset(raw)) continue;
    const value = integerValue(raw);
    if (value === undefined) {
      throw new InvalidContextError(
        `context ${key} must be ${describeRange(NUMERIC_SETTINGS[key])}, got ${JSON.stringify(raw)}`,
      );
    }
    const problem = integerSettingProblem(key, value);
    if (problem !== undefined) throw new InvalidContextError(`context ${problem}`);
    props[key] = value;
  }
  for (const key of BOOLEAN_KEYS) {
    const raw = read(CONTEXT_KEYS[key]);
    if (isUnset(raw)) continue;
    if (raw === true || raw === 'true') props[key] = true;
    else if (raw === false || raw === 'false') props[key] = false;
    else throw new InvalidContextError(`context ${key} must be true or false, got ${JSON.stringify(raw)}`);
  }
  for (const key of ['tableName', 'alarmTopicArn'] as const) {
    const value = stringValue(read, key);
    if (value !== undefined) props[key] = value;
  }
  const encryption = stringValue(read, 'streamEncryption');
  if (encryption !== undefined) {
    if (!['managed', 'kms', 'none'].includes(encryption)) {
      throw new InvalidContextError(
        `context streamEncryption must be managed, kms or none, got ${encryption}`,
      );
    }
    props.streamEncryption = encryption as StreamEncryptionMode;
  }
  const viewer = read(CONTEXT_KEYS.viewer);
  if (!isUnset(viewer) && viewer !== true && viewer !== 'true' && viewer !== false && viewer !== 'false') {
    throw new InvalidContextError(`context viewer must be true or false, got ${JSON.stringify(viewer)}`);
  }
  const viewerOnly = ['viewerDomainPrefix', 'queryCodePath', 'viewerPagePath'] as const;
  if (viewer === true || viewer === 'true') {
    const queryCodePath = stringValue(read, 'queryCodePath') ?? viewerDefaults?.queryCodePath;
    const pagePath = stringValue(read, 'viewerPagePath') ?? viewerDefaults?.pagePath;
    if (queryCodePath === undefined || pagePath === undefined) {
      throw new InvalidContextError('context viewer=true needs queryCodePath and viewerPagePath');
    }
    const domainPrefix = stringValue(read, 'viewerDomainPrefix');
    props.viewer = { queryCodePath, pagePath, ...(domainPrefix === undefined ? {} : { domainPrefix }) };
  } else {
    const stray = viewerOnly.find((key) => !isUnset(read(CONTEXT_KEYS[key])));
    if (stray !== undefined) {
      throw new InvalidContextError(`context ${stray} applies to the viewer only: add -c viewer=true`);
    }
  }
  const iot = booleanContext(read, 'iot');
  const keyMatch = booleanContext(read, 'requirePartitionKeyMatch');
  if (iot === true) props.iot = keyMatch === undefined ? {} : { requirePartitionKeyMatch: keyMatch };
  else if (keyMatch !== undefined) {
    throw new InvalidContextError(
      'context requirePartitionKeyMatch applies to IoT ingestion only: add -c iot=true',
    );
  }
  return props as unknown as SecondrowStackProps;
}

/** A `true` / `false` context value, or `undefined` when unset. */
function booleanContext(read: ContextReader, key: 'iot' | 'requirePartitionKeyMatch'): boolean | undefined {
  const raw = read(CONTEXT_KEYS[key]);
  if (isUnset(raw)) return undefined;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw new InvalidContextError(`context ${key} must be true or false, got ${JSON.stringify(raw)}`);
}

/**
 * The CloudFormation stack name from context key `stackName`, or `fallback` when unset.
 *
 * @throws {InvalidContextError} when it is not a valid stack name (a letter, then letters, digits and
 *   hyphens, at most 128 characters).
 */
export function stackNameFromContext(read: ContextReader, fallback: string): string {
  const raw = read(CONTEXT_KEYS.stackName);
  if (isUnset(raw)) return fallback;
  if (typeof raw !== 'string' || !/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(raw)) {
    throw new InvalidContextError(
      `context stackName must start with a letter and hold only letters, digits and hyphens (at most 128), got ${JSON.stringify(raw)}`,
    );
  }
  return raw;
}

function isUnset(raw: unknown): boolean {
  return raw === undefined || raw === null || raw === '';
}

/** The integer `raw` spells, or `undefined`: `Number()` would take `1e3`, `0x10`, ` 4 ` or `4.0` silently. */
function integerValue(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) ? raw : undefined;
  if (typeof raw !== 'string' || !/^-?\d+$/.test(raw)) return undefined;
  const value = Number(raw);
  return Number.isSafeInteger(value) ? value : undefined;
}

function stringValue(
  read: ContextReader,
  key: keyof typeof STRING_PATTERNS | 'streamEncryption',
): string | undefined {
  const raw = read(CONTEXT_KEYS[key]);
  if (isUnset(raw)) return undefined;
  if (typeof raw !== 'string') {
    throw new InvalidContextError(`context ${key} must be a string, got ${JSON.stringify(raw)}`);
  }
  if (key !== 'streamEncryption' && !STRING_PATTERNS[key].pattern.test(raw)) {
    throw new InvalidContextError(
      `context ${key} must be ${STRING_PATTERNS[key].accepts}, got ${JSON.stringify(raw)}`,
    );
  }
  return raw;
}
