import { IOT_TOPICS, iotDeviceTopic, iotPartitionKey, iotRuleSql } from '@secondrow/devkit';
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as iot from 'aws-cdk-lib/aws-iot';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { InvalidSettingError } from './errors.js';

/** The policy variable naming a device that connects with a certificate: its thing name. */
export const THING_NAME_VARIABLE = `$\{iot:Connection.Thing.ThingName}`;
/** The policy variable naming a phone that connects with Cognito credentials: its identity id. */
export const COGNITO_IDENTITY_VARIABLE = `$\{cognito-identity.amazonaws.com:sub}`;

/** Settings of {@link IotIngest}. */
export interface IotIngestProps {
  /** The stream the rule writes to (the one the consumer reads). */
  stream: kinesis.IStream;
  /** Name of the topic rule (letters, digits, `_`). Default `IOT_TOPICS.ruleName`, what the devices publish to. */
  ruleName?: string;
}

/**
 * AWS IoT ingestion into the pipeline's stream. Devices publish their Avro batches to their own Basic Ingest
 * topic `$aws/rules/<rule>/secondrow/devices/<deviceId>` (no messaging charge); the topic rule (SQL
 * 2016-03-23, `SELECT * FROM 'secondrow/devices/+'`) writes each payload unchanged to the stream with the
 * device id level `${topic(3)}` as partition key, and its error action keeps every message it could not
 * deliver in a private S3 bucket (AWS IoT's error message, payload base64, kept when the stack is deleted).
 * The rule's role may only `kinesis:PutRecord` on the stream and `s3:PutObject` in that bucket (plus
 * `kms:GenerateDataKey` on the stream's key when it has a customer-managed one).
 *
 * Two IoT policies let a device publish only to its own topic: `devicePolicy` for certificates (connect
 * with client id = thing name, only while the certificate is attached to the thing; publish to the topic of
 * that thing name), `phonePolicy` for Cognito identities (the identity id in place of the thing name). With
 * the consumer's `REQUIRE_PARTITION_KEY_MATCH=on`, a record naming another device is then quarantined.
 *
 * @throws {InvalidSettingError} (`ruleName`) when the rule name is not letters, digits and `_`.
 */
export class IotIngest extends Construct {
  readonly rule: iot.CfnTopicRule;
  readonly role: iam.Role;
  readonly errorBucket: s3.Bucket;
  readonly devicePolicy: iot.CfnPolicy;
  readonly phonePolicy: iot.CfnPolicy;
  readonly ruleName: string;

  constructor(scope: Construct, id: string, props: IotIngestProps) {
    super(scope, id);
    const ruleName = props.ruleName ?? IOT_TOPICS.ruleName;
    if (!/^[a-zA-Z0-9_]{1,128}$/.test(ruleName)) {
      throw new InvalidSettingError(
        'ruleName',
        `ruleName must be 1 to 128 of a-z A-Z 0-9 _, got ${ruleName}`,
      );
    }
    this.ruleName = ruleName;
    this.errorBucket = new s3.Bucket(this, 'ErrorBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // The messages the rule could not deliver are data: they outlive the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'RuleRole', {
      assumedBy: new iam.ServicePrincipal('iot.amazonaws.com'),
      description:
        'The secondrow topic rule: PutRecord into the stream, error messages into the error bucket',
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['kinesis:PutRecord'], resources: [props.stream.streamArn] }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [this.errorBucket.arnForObjects('*')],
      }),
    );
    props.stream.encryptionKey?.grant(this.role, 'kms:GenerateDataKey');

    this.rule = new iot.CfnTopicRule(this, 'Rule', {
      ruleName,
      topicRulePayload: {
        sql: iotRuleSql(),
        awsIotSqlVersion: IOT_TOPICS.sqlVersion,
        ruleDisabled: false,
        description: 'secondrow: device Avro batches, unchanged, into the stream keyed by device id',
        actions: [
          {
            kinesis: {
              streamName: props.stream.streamName,
              partitionKey: iotPartitionKey(),
              roleArn: this.role.roleArn,
            },
          },
        ],
        errorAction: {
          s3: {
            bucketName: this.errorBucket.bucketName,
            key: `${iotPartitionKey()}/$\{timestamp()}-$\{newuuid()}.json`,
            roleArn: this.role.roleArn,
          },
        },
      },
    });
    // The role's policy must exist before IoT checks the rule can use it.
    this.rule.node.addDependency(this.role);

    this.devicePolicy = new iot.CfnPolicy(this, 'DevicePolicy', {
      policyDocument: ownTopicPolicy(this, ruleName, THING_NAME_VARIABLE, {
        Bool: { 'iot:Connection.Thing.IsAttached': 'true' },
      }),
    });
    this.phonePolicy = new iot.CfnPolicy(this, 'PhonePolicy', {
      policyDocument: ownTopicPolicy(this, ruleName, COGNITO_IDENTITY_VARIABLE),
    });
  }
}

/** An IoT policy: connect with client id `identity`, publish only to that identity's Basic Ingest topic. */
function ownTopicPolicy(
  scope: Construct,
  ruleName: string,
  identity: string,
  connectCondition?: Record<string, unknown>,
): Record<string, unknown> {
  const stack = Stack.of(scope);
  const arn = (resource: string, name: string) =>
    stack.formatArn({ service: 'iot', resource, resourceName: name });
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'iot:Connect',
        Resource: arn('client', identity),
        ...(connectCondition === undefined ? {} : { Condition: connectCondition }),
      },
      { Effect: 'Allow', Action: 'iot:Publish', Resource: arn('topic', iotDeviceTopic(identity, ruleName)) },
    ],
  };
}
