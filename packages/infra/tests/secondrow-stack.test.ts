import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidContextError } from '../src/errors.js';
import { SecondrowStack, type SecondrowStackProps } from '../src/secondrow-stack.js';
import { stackPropsFromContext } from '../src/stack-config.js';

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

  it('maps the stream with partial batch responses, bisect, bounded retries and an SQS on-failure destination', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Stream'), 'Arn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 500,
      MaximumBatchingWindowInSeconds: 1,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 86400,
      ParallelizationFactor: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OnFailureQueue'), 'Arn'] } },
      },
    });
    const custom = synth({ batchSize: 1000, maximumRetryAttempts: 2, batchingWindowSeconds: 5 }).template;
    custom.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 1000,
      MaximumRetryAttempts: 2,
      MaximumBatchingWindowInSeconds: 5,
    });
  });

  it('grants only GetItem and PutItem on the row table, stream reads and SendMessage on the queue', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const statements = Object.values(policies).flatMap(
      (policy) =>
        (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
          .Statement,
    );
    const actions = (statement: Statement): string[] => [statement.Action].flat();
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

  it('alarms on iterator age, function errors and discarded batches', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'IteratorAge',
      Namespace: 'AWS/Lambda',
      Statistic: 'Maximum',
      Threshold: 60000,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
    });
    const withTopic = synth({ alarmTopicArn: 'arn:aws:sns:us-east-1:111122223333:ops' }).template;
    withTopic.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'IteratorAge',
      AlarmActions: ['arn:aws:sns:us-east-1:111122223333:ops'],
    });
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

  it('fails with the fix when the bundle is missing', () => {
    expect(() => new SecondrowStack(new App(), 'NoBundle', { codePath: join(codePath, 'nope') })).toThrow(
      /pnpm --filter @secondrow\/consumer bundle/,
    );
  });
});

describe('logical IDs', () => {
  // The IDs of the stack before its capabilities became constructs: an update must replace nothing.
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
  ])('rejects %j', (context, message) => {
    const read = (key: string): unknown => (context as Record<string, unknown>)[key];
    expect(() => stackPropsFromContext(read, 'x')).toThrow(message);
    expect(() => stackPropsFromContext(read, 'x')).toThrow(InvalidContextError);
  });
});

interface Statement {
  Action: string | string[];
  Resource: unknown;
  Effect: string;
}
