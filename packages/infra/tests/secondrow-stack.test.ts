import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigError,
  DEFAULT_CONFIG,
  EVENT_SOURCE_MAPPING,
  type InvocationSummary,
  publishSummary,
} from '@secondrow/consumer';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CONSUMER_METRIC_NAMES } from '../src/consumer-metrics.js';
import { ConsumerConfigError, InfraError, InvalidContextError, InvalidSettingError } from '../src/errors.js';
import { SecondrowStack, type SecondrowStackProps } from '../src/secondrow-stack.js';
import { MIN_REPLAY_MARGIN_SECONDS, recordAgeProblem } from '../src/setting-limits.js';
import { stackNameFromContext, stackPropsFromContext } from '../src/stack-config.js';

// A one-file stand-in for the bundle keeps synthesis fast and independent of `pnpm bundle`.
const codePath = mkdtempSync(join(tmpdir(), 'consumer-asset-'));
writeFileSync(
  join(codePath, 'index.mjs'),
  'export const handler = async () => ({ batchItemFailures: [] });\n',
);

afterAll(() => {
  rmSync(codePath, { recursive: true, force: true });
});

function synth(props: Partial<SecondrowStackProps> = {}): { stack: SecondrowStack; template: Template } {
  const app = new App();
  const stack = new SecondrowStack(app, 'TestConsumer', { codePath, ...props });
  return { stack, template: Template.fromStack(stack) };
}

describe('SecondrowStack', () => {
  const { template } = synth();

  it('creates the row table from the codec key schema, on demand, with TTL on x and PITR', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'd', KeyType: 'HASH' },
          { AttributeName: 's', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'd', AttributeType: 'S' },
          { AttributeName: 's', AttributeType: 'N' },
        ],
        TimeToLiveSpecification: { AttributeName: 'x', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      },
    });
  });

  it('creates an encrypted provisioned stream with the configured shards', () => {
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      ShardCount: 1,
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    });
    const custom = synth({ shardCount: 4, streamEncryption: 'none' }).template;
    custom.hasResourceProperties('AWS::Kinesis::Stream', {
      ShardCount: 4,
      StreamEncryption: Match.absent(),
    });
  });

  it('runs the bundled handler on nodejs22.x arm64 with 256 MB, 60 s and the table name', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 256,
      Timeout: 60,
      Environment: {
        Variables: Match.objectLike({
          TABLE_NAME: { Ref: Match.stringLikeRegexp('^RowTable') },
          WINDOW_SECONDS: '1',
          NODE_OPTIONS: '--enable-source-maps',
        }),
      },
    });
  });

  it("maps the stream with the consumer's EVENT_SOURCE_MAPPING and an SQS on-failure destination", () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Stream'), 'Arn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: EVENT_SOURCE_MAPPING.batchSize,
      MaximumBatchingWindowInSeconds: EVENT_SOURCE_MAPPING.batchingWindowSeconds,
      BisectBatchOnFunctionError: EVENT_SOURCE_MAPPING.bisectBatchOnFunctionError,
      MaximumRetryAttempts: EVENT_SOURCE_MAPPING.maximumRetryAttempts,
      MaximumRecordAgeInSeconds: EVENT_SOURCE_MAPPING.maximumRecordAgeSeconds,
      ParallelizationFactor: EVENT_SOURCE_MAPPING.parallelizationFactor,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OnFailureQueue'), 'Arn'] } },
      },
    });
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      RetentionPeriodHours: EVENT_SOURCE_MAPPING.streamRetentionHours,
    });
    const custom = synth({ batchSize: 1000, maximumRetryAttempts: 2, batchingWindowSeconds: 5 }).template;
    custom.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 1000,
      MaximumRetryAttempts: 2,
      MaximumBatchingWindowInSeconds: 5,
    });
  });

  it('retries transient failures until the records are older than the record age, safely inside retention', () => {
    const mapping = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'))[0] as {
      Properties: { MaximumRetryAttempts: number; MaximumRecordAgeInSeconds: number };
    };
    const stream = Object.values(template.findResources('AWS::Kinesis::Stream'))[0] as {
      Properties: { RetentionPeriodHours: number };
    };
    // Retries never run out; the record age, not a retry count, decides when a batch is given up on.
    expect(mapping.Properties.MaximumRetryAttempts).toBe(-1);
    expect(
      stream.Properties.RetentionPeriodHours * 3600 - mapping.Properties.MaximumRecordAgeInSeconds,
    ).toBeGreaterThanOrEqual(MIN_REPLAY_MARGIN_SECONDS);
  });

  it.each([
    [{ streamRetentionHours: 24 }, 'streamRetentionHours'],
    [{ maximumRecordAgeSeconds: 604_800 }, 'maximumRecordAgeSeconds'],
    [{ maximumRecordAgeSeconds: -1 }, 'maximumRecordAgeSeconds'],
    [{ streamRetentionHours: 48, maximumRecordAgeSeconds: 48 * 3600 - 60 }, 'maximumRecordAgeSeconds'],
  ])('refuses a record age the stream trims before it can be replayed: %j', (props, setting) => {
    const error = captureError(() => synth(props));
    expect(error).toBeInstanceOf(InvalidSettingError);
    expect((error as InvalidSettingError).setting).toBe(setting);
    expect((error as Error).message).toMatch(/maximumRecordAgeSeconds .* streamRetentionHours/);
  });

  it('accepts a record age at least the replay margin below the retention', () => {
    const { template: short } = synth({
      streamRetentionHours: 24,
      maximumRecordAgeSeconds: 24 * 3600 - MIN_REPLAY_MARGIN_SECONDS,
    });
    short.hasResourceProperties('AWS::Lambda::EventSourceMapping', { MaximumRecordAgeInSeconds: 43_200 });
  });

  it('has the replay margin as a law: every accepted pair leaves it, every refused pair does not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 24, max: 8_760 }),
        fc.oneof(fc.integer({ min: 60, max: 604_800 }), fc.constant(-1)),
        (retentionHours, ageSeconds) => {
          const safe = ageSeconds !== -1 && retentionHours * 3600 - ageSeconds >= MIN_REPLAY_MARGIN_SECONDS;
          expect(recordAgeProblem(ageSeconds, retentionHours) === undefined).toBe(safe);
        },
      ),
    );
  });

  it.each([
    [{ batchSize: 0 }, 'batchSize'],
    [{ batchSize: 10_001 }, 'batchSize'],
    [{ batchingWindowSeconds: 301 }, 'batchingWindowSeconds'],
    [{ maximumRetryAttempts: -2 }, 'maximumRetryAttempts'],
    [{ parallelizationFactor: 11 }, 'parallelizationFactor'],
    [{ streamRetentionHours: 8_761 }, 'streamRetentionHours'],
    [{ memorySize: 64 }, 'memorySize'],
    [{ timeoutSeconds: 901 }, 'timeoutSeconds'],
    [{ shardCount: 1.5 }, 'shardCount'],
    [{ iteratorAgeAlarmMs: 0 }, 'iteratorAgeAlarmMs'],
  ])('rejects %j when the stack is built', (props, setting) => {
    const error = captureError(() => synth(props));
    expect(error).toBeInstanceOf(InvalidSettingError);
    expect(error).toBeInstanceOf(InfraError);
    expect((error as InvalidSettingError).setting).toBe(setting);
    expect((error as Error).message).toContain(setting);
  });

  it('grants only GetItem and PutItem on the row table, stream reads and SendMessage on the queue', () => {
    const statements = statementsOf(template);
    const actions = actionsOf;
    const dynamo = statements.filter((s) => actions(s).some((a) => a.startsWith('dynamodb:')));
    expect(dynamo).toHaveLength(1);
    expect(actions(dynamo[0]!).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
    expect(dynamo[0]!.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^RowTable/), 'Arn'] });

    const all = statements.flatMap(actions);
    expect(all).toEqual(
      expect.arrayContaining(['kinesis:GetRecords', 'kinesis:GetShardIterator', 'sqs:SendMessage']),
    );
    expect(all.filter((a) => a.startsWith('kinesis:Put') || a === 'dynamodb:*' || a === '*')).toEqual([]);
    expect(all.some((a) => /^dynamodb:(Query|Scan|DeleteItem|UpdateItem|BatchWriteItem)$/.test(a))).toBe(
      false,
    );
  });

  it('grants GetItem and PutItem on a quarantine table named in the environment, and nothing more', () => {
    const { template: withQuarantine } = synth({
      environment: { QUARANTINE_TABLE_NAME: 'secondrow-quarantine' },
    });
    const dynamo = statementsOf(withQuarantine).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('dynamodb:')),
    );
    expect(dynamo).toHaveLength(1);
    expect(actionsOf(dynamo[0]!).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
    const resources = dynamo[0]!.Resource as unknown[];
    expect(resources).toHaveLength(2);
    expect(resources[0]).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^RowTable/), 'Arn'] });
    expect(JSON.stringify(resources[1])).toMatch(/:table\/secondrow-quarantine"/);
    expect(JSON.stringify(resources[1])).toContain('dynamodb');
  });

  it('grants on the table TABLE_NAME names when the environment overrides it', () => {
    const { template: other } = synth({ environment: { TABLE_NAME: 'rows-elsewhere' } });
    const dynamo = statementsOf(other).filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    expect(dynamo).toHaveLength(1);
    expect(JSON.stringify(dynamo[0]!.Resource)).toMatch(/:table\/rows-elsewhere"/);
    expect(JSON.stringify(dynamo[0]!.Resource)).not.toMatch(/RowTable/);
  });

  it('alarms on the failure modes: lag, errors, given-up batches, lost failure records, consumer failures', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 8);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'IteratorAge',
      Namespace: 'AWS/Lambda',
      Statistic: 'Maximum',
      Threshold: 60000,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'GetRecords.IteratorAgeMilliseconds',
      Namespace: 'AWS/Kinesis',
      Dimensions: [{ Name: 'StreamName', Value: { Ref: Match.stringLikeRegexp('^Stream') } }],
      Statistic: 'Maximum',
      Threshold: 60000,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DestinationDeliveryFailures',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('^Function') } }],
      Statistic: 'Sum',
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
    });
    for (const name of ['FailedRecords', 'QuarantineFailures', 'RowsQuarantined']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: name,
        Namespace: DEFAULT_CONFIG.metricsNamespace,
        Dimensions: [{ Name: 'service', Value: DEFAULT_CONFIG.serviceName }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
    const withTopic = synth({ alarmTopicArn: 'arn:aws:sns:us-east-1:111122223333:ops' }).template;
    const alarms = Object.values(withTopic.findResources('AWS::CloudWatch::Alarm')) as {
      Properties: { AlarmActions?: unknown };
    }[];
    expect(alarms).toHaveLength(8);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual(['arn:aws:sns:us-east-1:111122223333:ops']);
    }
  });

  it('watches the consumer metrics in the namespace and service the function is configured with', () => {
    const { template: renamed } = synth({
      environment: { POWERTOOLS_METRICS_NAMESPACE: 'acme', POWERTOOLS_SERVICE_NAME: 'rows' },
    });
    renamed.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'FailedRecords',
      Namespace: 'acme',
      Dimensions: [{ Name: 'service', Value: 'rows' }],
    });
  });

  it('alarms only on metric names the consumer publishes', () => {
    const published: string[] = [];
    const quiet = { info: () => {}, warn: () => {}, error: () => {} };
    publishSummary(summaryWithAllCounts(), quiet, {
      addMetric: (name: string) => published.push(name),
      publishStoredMetrics: () => {},
    });
    const watched = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
      .map((alarm) => (alarm as { Properties: { Namespace: string; MetricName: string } }).Properties)
      .filter((properties) => properties.Namespace === DEFAULT_CONFIG.metricsNamespace)
      .map((properties) => properties.MetricName);
    expect(watched.sort()).toEqual(Object.values(CONSUMER_METRIC_NAMES).sort());
    expect(published).toEqual(expect.arrayContaining(watched));
  });

  it('keeps the on-failure queue (14 days) and the function log group when the stack is deleted', () => {
    template.hasResource('AWS::SQS::Queue', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ MessageRetentionPeriod: 14 * 24 * 3600 }),
    });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('encrypts the on-failure queue and refuses plain HTTP to it', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1209600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it.each([
    [{ windowSeconds: 3 }, 'WINDOW_SECONDS', 'windowSeconds'],
    [{ ttlSeconds: 0 }, 'TTL_SECONDS', 'ttlSeconds'],
    [{ environment: { RANGE_G: '-4' } }, 'RANGE_G', 'environment.RANGE_G'],
    [{ environment: { WINDOW_SECONDS: '7' } }, 'WINDOW_SECONDS', 'environment.WINDOW_SECONDS'],
    [{ environment: { TABLE_NAME: ' ' } }, 'TABLE_NAME', 'environment.TABLE_NAME'],
  ])("refuses an environment the consumer's loadConfig rejects: %j", (props, variable, setting) => {
    const error = captureError(() => synth(props as Partial<SecondrowStackProps>));
    expect(error).toBeInstanceOf(ConsumerConfigError);
    expect(error).toBeInstanceOf(InfraError);
    expect(error).toMatchObject({ code: 'CONSUMER_CONFIG', variable, setting });
    expect((error as Error).cause).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(setting);
  });

  it('fails a context that gives the consumer a window it rejects, naming the key', () => {
    const context: Record<string, unknown> = { windowSeconds: '3', ttlSeconds: '0' };
    const props = stackPropsFromContext((key) => context[key], codePath);
    expect(() => new SecondrowStack(new App(), 'Window3', props)).toThrow(
      /windowSeconds sets WINDOW_SECONDS="3"/,
    );
  });

  it('deploys the environment loadConfig accepted, TTL included', () => {
    const { template: withTtl } = synth({ windowSeconds: 2, ttlSeconds: 86_400 });
    withTtl.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ WINDOW_SECONDS: '2', TTL_SECONDS: '86400' }) },
    });
  });

  it('fails with the fix when the bundle is missing', () => {
    expect(() => new SecondrowStack(new App(), 'NoBundle', { codePath: join(codePath, 'nope') })).toThrow(
      /pnpm --filter @secondrow\/consumer bundle/,
    );
  });
});

describe('logical IDs', () => {
  // The IDs of the stack before its capabilities became constructs: an update must replace nothing.
  // The alarms added since keep theirs too.
  it('are those of the single-construct stack', () => {
    const app = new App();
    const stack = new SecondrowStack(app, 'T', { codePath, alarmTopicArn: 'arn:aws:sns:us-east-1:1:t' });
    const types = Object.fromEntries(
      Object.entries(Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string }>).map(
        ([id, resource]) => [id, resource.Type],
      ),
    );
    expect(types).toEqual({
      Stream790BDEE4: 'AWS::Kinesis::Stream',
      RowTable3D26ACF7: 'AWS::DynamoDB::Table',
      OnFailureQueueB6C8C738: 'AWS::SQS::Queue',
      OnFailureQueuePolicyAD2654E2: 'AWS::SQS::QueuePolicy',
      FunctionLogsAE28C13D: 'AWS::Logs::LogGroup',
      FunctionServiceRole675BB04A: 'AWS::IAM::Role',
      FunctionServiceRoleDefaultPolicy2F49994A: 'AWS::IAM::Policy',
      Function76856677: 'AWS::Lambda::Function',
      FunctionKinesisEventSourceTStream8F3D02A0683C4D25: 'AWS::Lambda::EventSourceMapping',
      IteratorAgeAlarm6757AA2B: 'AWS::CloudWatch::Alarm',
      ErrorsAlarm39B3548B: 'AWS::CloudWatch::Alarm',
      DiscardedBatchesAlarm24B67403: 'AWS::CloudWatch::Alarm',
      StreamIteratorAgeAlarm260DF8A2: 'AWS::CloudWatch::Alarm',
      DestinationDeliveryFailuresAlarm7E87260E: 'AWS::CloudWatch::Alarm',
      FailedRecordsAlarmF02583C7: 'AWS::CloudWatch::Alarm',
      QuarantineFailuresAlarmF90AD4BD: 'AWS::CloudWatch::Alarm',
      RowsQuarantinedAlarm7CE42ED9: 'AWS::CloudWatch::Alarm',
    });
  });
});

describe('stackPropsFromContext()', () => {
  it('converts -c strings and keeps defaults for unset keys', () => {
    const context: Record<string, unknown> = {
      shardCount: '4',
      bisectBatchOnFunctionError: 'false',
      streamEncryption: 'kms',
      tableName: 'rows',
    };
    expect(stackPropsFromContext((key) => context[key], 'dist-lambda')).toEqual({
      codePath: 'dist-lambda',
      shardCount: 4,
      bisectBatchOnFunctionError: false,
      streamEncryption: 'kms',
      tableName: 'rows',
    });
  });

  it.each([
    [{ shardCount: 'four' }, /shardCount/],
    [{ retainTable: 'yes' }, /retainTable/],
    [{ streamEncryption: 'aes' }, /streamEncryption/],
    [{ shardCount: '1e3' }, /shardCount must be an integer >= 1, got "1e3"/],
    [{ shardCount: ' 4' }, /shardCount/],
    [{ shardCount: '0x10' }, /shardCount/],
    [{ shardCount: '0' }, /shardCount must be an integer >= 1, got 0/],
    [{ batchSize: '4.5' }, /batchSize/],
    [{ batchSize: '10001' }, /batchSize must be an integer in 1\.\.10000, got 10001/],
    [{ batchSize: 0 }, /batchSize/],
    [{ batchingWindowSeconds: '301' }, /batchingWindowSeconds/],
    [{ maximumRetryAttempts: '-2' }, /maximumRetryAttempts must be an integer in 0\.\.10000 \(or -1\)/],
    [{ maximumRecordAgeSeconds: '59' }, /maximumRecordAgeSeconds/],
    [{ maximumRecordAgeSeconds: '604801' }, /maximumRecordAgeSeconds/],
    [{ parallelizationFactor: '11' }, /parallelizationFactor/],
    [{ streamRetentionHours: '23' }, /streamRetentionHours/],
    [{ memorySize: '127' }, /memorySize/],
    [{ timeoutSeconds: '901' }, /timeoutSeconds/],
    [{ windowSeconds: 'one' }, /windowSeconds/],
    [{ ttlSeconds: '-1' }, /ttlSeconds/],
    [{ iteratorAgeAlarmMs: '0' }, /iteratorAgeAlarmMs/],
    [{ bisectBatchOnFunctionError: 'TRUE' }, /bisectBatchOnFunctionError/],
    [{ tableName: 'ab' }, /tableName/],
    [{ tableName: 42 }, /tableName must be a string/],
    [{ alarmTopicArn: 'ops-topic' }, /alarmTopicArn must be an SNS topic ARN/],
    [{ codePath: true }, /codePath must be a string/],
  ])('rejects %j', (context, message) => {
    const read = (key: string): unknown => (context as Record<string, unknown>)[key];
    expect(() => stackPropsFromContext(read, 'x')).toThrow(message);
    expect(() => stackPropsFromContext(read, 'x')).toThrow(InvalidContextError);
  });
});

function statementsOf(template: Template): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (policy) =>
      (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
        .Statement,
  );
}

function actionsOf(statement: Statement): string[] {
  return [statement.Action].flat();
}

function captureError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

/** A summary in which every count is non-zero, so `publishSummary` publishes every count metric. */
function summaryWithAllCounts(): InvocationSummary {
  const store = {
    rowsWritten: 1,
    rowsMerged: 1,
    rowsUnchanged: 1,
    samplesStored: 1,
    duplicatesDropped: 1,
    conflicts: 1,
    writeUnits: 1,
    writeUnitsEstimated: 1,
    readUnits: 1,
    conditionalCheckFailures: 1,
    requests: 1,
    retries: 1,
  };
  return {
    records: 1,
    userRecords: 1,
    aggregatedRecords: 1,
    compressedRecords: 1,
    formats: { 'json-v1': 1, 'legacy-2015': 0, 'avro-batch': 0 },
    samples: 1,
    gaps: { missingSlots: 1, batchesWithGaps: 1 },
    devices: 1,
    badRecords: 1,
    quarantined: 1,
    quarantineFailures: 1,
    store,
    failedRows: 1,
    rowsQuarantined: 1,
    rowQuarantineFailures: 1,
    failedRecords: 1,
    latencyMs: { sampleToArrival: null, sentToArrival: null, arrivalToWritten: null },
    writeError: null,
    registry: { devices: 1, writes: 1, writeUnits: 1, readUnits: 1, failures: 1 },
    durationMs: 1,
  };
}

interface Statement {
  Action: string | string[];
  Resource: unknown;
  Effect: string;
}

describe('context values', () => {
  it('read an integer in range as itself, from a -c string or a cdk.json number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.boolean(), (batchSize, asString) => {
        const read = (key: string): unknown =>
          key === 'batchSize' ? (asString ? String(batchSize) : batchSize) : undefined;
        expect(stackPropsFromContext(read, 'x').batchSize).toBe(batchSize);
      }),
    );
  });

  it('refuse numbers spelt other than as plain digits, which Number() would take', () => {
    const spelt = fc
      .tuple(
        fc.integer({ min: 1, max: 10_000 }),
        fc.constantFrom('+', ' ', '\t', '0x', '0b', '0o', ''),
        fc.constantFrom('e0', '.0', '.', ' ', '\n', ''),
      )
      .filter(([, prefix, suffix]) => prefix !== '' || suffix !== '')
      .map(([n, prefix, suffix]) => `${prefix}${prefix.startsWith('0') ? n.toString(2) : n}${suffix}`);
    fc.assert(
      fc.property(spelt, (raw) => {
        expect(() => stackPropsFromContext((key) => (key === 'batchSize' ? raw : undefined), 'x')).toThrow(
          InvalidContextError,
        );
      }),
    );
  });

  it('check the stack name', () => {
    expect(stackNameFromContext(() => undefined, 'SecondrowConsumer')).toBe('SecondrowConsumer');
    expect(stackNameFromContext(() => 'Rows-2', 'x')).toBe('Rows-2');
    expect(() => stackNameFromContext(() => '2rows', 'x')).toThrow(/context stackName/);
    expect(() => stackNameFromContext(() => 'rows_2', 'x')).toThrow(InvalidContextError);
  });
});
