import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IOT_TOPICS } from '@secondrow/devkit';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidContextError } from '../src/errors.js';
import { COGNITO_IDENTITY_VARIABLE, THING_NAME_VARIABLE } from '../src/iot-ingest.js';
import { SecondrowStack, type SecondrowStackProps } from '../src/secondrow-stack.js';
import { stackPropsFromContext } from '../src/stack-config.js';

const builds = mkdtempSync(join(tmpdir(), 'iot-builds-'));
const codePath = join(builds, 'consumer');
mkdirSync(codePath);
writeFileSync(
  join(codePath, 'index.mjs'),
  'export const handler = async () => ({ batchItemFailures: [] });\n',
);
afterAll(() => rmSync(builds, { recursive: true, force: true }));

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** The stack with `iot: {}` unless `props` says otherwise (`withoutIot` leaves it out). */
function synth(props: Partial<SecondrowStackProps> = {}, withoutIot = false): Template {
  const iot = withoutIot ? {} : { iot: {} };
  return Template.fromStack(new SecondrowStack(new App(), 'T', { codePath, ...iot, ...props }));
}

function ofType(template: Template, type: string): { Type: string; Properties?: Record<string, unknown> }[] {
  return Object.values(template.toJSON().Resources as Resources).filter((r) => r.Type === type);
}

/** The ARN `Fn::Join` of an IoT resource with `name` after the account. */
const iotArn = (resource: string, name: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':iot:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:${resource}/${name}`,
    ],
  ],
});

describe('IotIngest in the stack (-c iot=true)', () => {
  it('adds nothing IoT without iot', () => {
    const template = synth({}, true);
    expect(ofType(template, 'AWS::IoT::TopicRule')).toHaveLength(0);
    expect(ofType(template, 'AWS::IoT::Policy')).toHaveLength(0);
    const fn = ofType(template, 'AWS::Lambda::Function')[0];
    expect(JSON.stringify(fn?.Properties)).not.toContain('REQUIRE_PARTITION_KEY_MATCH');
  });

  it('declares a 2016-03-23 rule: SELECT * from the device topics into the stream, keyed by topic(3)', () => {
    const template = synth();
    template.hasResourceProperties('AWS::IoT::TopicRule', {
      RuleName: IOT_TOPICS.ruleName,
      TopicRulePayload: {
        Sql: "SELECT * FROM 'secondrow/devices/+'",
        AwsIotSqlVersion: '2016-03-23',
        RuleDisabled: false,
        Actions: [
          {
            Kinesis: {
              StreamName: { Ref: Match.stringLikeRegexp('Stream') },
              PartitionKey: `$\{topic(${IOT_TOPICS.deviceLevel})}`,
              RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('RuleRole'), 'Arn'] },
            },
          },
        ],
        ErrorAction: {
          S3: {
            BucketName: { Ref: Match.stringLikeRegexp('ErrorBucket') },
            Key: Match.stringLikeRegexp('^\\$\\{topic\\(3\\)\\}/'),
            RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('RuleRole'), 'Arn'] },
          },
        },
      },
    });
  });

  it("gives the rule's role kinesis:PutRecord on the stream and s3:PutObject in the error bucket, nothing else", () => {
    const template = synth();
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({ Principal: { Service: 'iot.amazonaws.com' }, Action: 'sts:AssumeRole' }),
        ],
      },
    });
    const policies = ofType(template, 'AWS::IAM::Policy').filter((p) =>
      JSON.stringify(p.Properties?.Roles).includes('RuleRole'),
    );
    expect(policies).toHaveLength(1);
    const document = policies[0]?.Properties?.PolicyDocument as
      | { Statement: Record<string, unknown>[] }
      | undefined;
    const statements = document?.Statement ?? [];
    expect(statements.map((s) => s.Action)).toEqual(['kinesis:PutRecord', 's3:PutObject']);
    expect(statements[0]?.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/Stream/), 'Arn'] });
    expect(JSON.stringify(statements[1]?.Resource)).toMatch(/ErrorBucket.*\/\*/);
  });

  it('keeps the error bucket private, encrypted, TLS-only and past the stack', () => {
    const template = synth();
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('lets a device connect as its thing name and publish only to its own Basic Ingest topic', () => {
    const template = synth();
    const topic = (who: string) => `$aws/rules/${IOT_TOPICS.ruleName}/secondrow/devices/${who}`;
    template.hasResourceProperties('AWS::IoT::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'iot:Connect',
            Resource: iotArn('client', THING_NAME_VARIABLE),
            Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
          },
          { Effect: 'Allow', Action: 'iot:Publish', Resource: iotArn('topic', topic(THING_NAME_VARIABLE)) },
        ],
      },
    });
    template.hasResourceProperties('AWS::IoT::Policy', {
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: 'iot:Connect', Resource: iotArn('client', COGNITO_IDENTITY_VARIABLE) },
          {
            Effect: 'Allow',
            Action: 'iot:Publish',
            Resource: iotArn('topic', topic(COGNITO_IDENTITY_VARIABLE)),
          },
        ],
      },
    });
    // Nothing else: no subscribe, receive or wildcard topic.
    const text = JSON.stringify(ofType(template, 'AWS::IoT::Policy'));
    expect(text).not.toMatch(/iot:Subscribe|iot:Receive|iot:\*|topic\/\*|\/#/);
  });

  it("turns on the consumer's partition key check, unless told not to", () => {
    const env = (template: Template) =>
      (
        ofType(template, 'AWS::Lambda::Function')[0]?.Properties?.Environment as
          | { Variables: Record<string, string> }
          | undefined
      )?.Variables ?? {};
    expect(env(synth()).REQUIRE_PARTITION_KEY_MATCH).toBe('on');
    expect(
      env(synth({ iot: { requirePartitionKeyMatch: false } })).REQUIRE_PARTITION_KEY_MATCH,
    ).toBeUndefined();
    expect(
      env(synth({ environment: { REQUIRE_PARTITION_KEY_MATCH: 'off' } })).REQUIRE_PARTITION_KEY_MATCH,
    ).toBe('off');
  });

  it('outputs the rule, error bucket and policies', () => {
    const outputs = synth().toJSON().Outputs as Record<string, unknown>;
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining([
        'IotRuleName',
        'IotErrorBucketName',
        'IotDevicePolicyName',
        'IotPhonePolicyName',
      ]),
    );
  });
});

describe('context iot and requirePartitionKeyMatch', () => {
  const props = (context: Record<string, unknown>) => stackPropsFromContext((key) => context[key], 'dist');

  it('reads iot=true, and requirePartitionKeyMatch with it', () => {
    expect(props({ iot: 'true' }).iot).toEqual({});
    expect(props({ iot: true, requirePartitionKeyMatch: 'false' }).iot).toEqual({
      requirePartitionKeyMatch: false,
    });
    expect(props({ iot: 'false' }).iot).toBeUndefined();
    expect(props({}).iot).toBeUndefined();
  });

  it.each([
    [{ iot: 'yes' }, /context iot must be true or false, got "yes"/],
    [{ iot: 1 }, /context iot must be true or false/],
    [
      { iot: 'true', requirePartitionKeyMatch: 'on' },
      /context requirePartitionKeyMatch must be true or false/,
    ],
    [{ requirePartitionKeyMatch: 'true' }, /applies to IoT ingestion only: add -c iot=true/],
  ])('rejects %j', (context, message) => {
    expect(() => props(context)).toThrow(InvalidContextError);
    expect(() => props(context)).toThrow(message);
  });
});
