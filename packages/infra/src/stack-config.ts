import { InvalidContextError } from './errors.js';
import type { StreamEncryptionMode } from './ingest.js';
import type { SecondrowStackProps } from './secondrow-stack.js';

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
} as const;

const NUMBER_KEYS = [
  'shardCount',
  'streamRetentionHours',
  'batchSize',
  'batchingWindowSeconds',
  'maximumRetryAttempts',
  'maximumRecordAgeSeconds',
  'parallelizationFactor',
  'memorySize',
  'timeoutSeconds',
  'windowSeconds',
  'ttlSeconds',
  'iteratorAgeAlarmMs',
] as const;

const BOOLEAN_KEYS = ['bisectBatchOnFunctionError', 'retainTable'] as const;
const STRING_KEYS = ['tableName', 'alarmTopicArn'] as const;

/**
 * Builds the stack settings from CDK context. Values given with `-c` arrive as strings and are
 * converted; unset keys keep the stack's defaults.
 *
 * @param read - Usually `(key) => app.node.tryGetContext(key)`.
 * @param defaultCodePath - Bundle location when `codePath` is not set.
 * @returns Props for `SecondrowStack` (without `env`).
 * @throws {InvalidContextError} naming the key when a number or boolean is malformed or `streamEncryption` is unknown.
 * @example
 * const props = stackPropsFromContext((key) => app.node.tryGetContext(key), 'dist-lambda');
 */
export function stackPropsFromContext(read: ContextReader, defaultCodePath: string): SecondrowStackProps {
  const props: Record<string, unknown> = {
    codePath: stringValue(read(CONTEXT_KEYS.codePath)) ?? defaultCodePath,
  };
  for (const key of NUMBER_KEYS) {
    const raw = read(CONTEXT_KEYS[key]);
    if (raw === undefined || raw === null || raw === '') continue;
    const value = Number(raw);
    if (!Number.isFinite(value))
      throw new InvalidContextError(`context ${key} must be a number, got ${JSON.stringify(raw)}`);
    props[key] = value;
  }
  for (const key of BOOLEAN_KEYS) {
    const raw = read(CONTEXT_KEYS[key]);
    if (raw === undefined || raw === null || raw === '') continue;
    if (raw === true || raw === 'true') props[key] = true;
    else if (raw === false || raw === 'false') props[key] = false;
    else throw new InvalidContextError(`context ${key} must be true or false, got ${JSON.stringify(raw)}`);
  }
  for (const key of STRING_KEYS) {
    const value = stringValue(read(CONTEXT_KEYS[key]));
    if (value !== undefined) props[key] = value;
  }
  const encryption = stringValue(read(CONTEXT_KEYS.streamEncryption));
  if (encryption !== undefined) {
    if (!['managed', 'kms', 'none'].includes(encryption)) {
      throw new InvalidContextError(
        `context streamEncryption must be managed, kms or none, got ${encryption}`,
      );
    }
    props.streamEncryption = encryption as StreamEncryptionMode;
  }
  return props as unknown as SecondrowStackProps;
}

function stringValue(raw: unknown): string | undefined {
  return typeof raw === 'string' && raw !== '' ? raw : undefined;
}
