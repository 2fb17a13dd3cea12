import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as eventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BundleMissingError } from './errors.js';

/** How the Kinesis stream is encrypted at rest. */
export type StreamEncryptionMode = 'managed' | 'kms' | 'none';

/** Settings of {@link Ingest}; every one but `codePath` and `table` has a default. */
export interface IngestProps {
  /**
   * The bundled Lambda code: a directory holding `index.mjs` (`../consumer/dist-lambda`, made by
   * `pnpm --filter @secondrow/consumer bundle`) or the zip `../consumer/artifacts/secondrow-consumer.zip`.
   */
  codePath: string;
  /** The row table the function writes to. */
  table: dynamodb.Table;
  /** Shards of the stream (provisioned mode). Default 1. */
  shardCount?: number;
  /** Stream encryption. Default `managed` (the AWS-owned `aws/kinesis` key, no KMS grants needed). */
  streamEncryption?: StreamEncryptionMode;
  /** Stream retention in hours, 24..8760. Default 24. */
  streamRetentionHours?: number;
  /** Records per invocation, 1..10 000. Default 500. */
  batchSize?: number;
  /** Batching window in seconds, 0..300. Default 1. */
  batchingWindowSeconds?: number;
  /** Split a failed batch in two before retrying. Default true. */
  bisectBatchOnFunctionError?: boolean;
  /** Retries before records go to the on-failure queue, 0..10 000. Default 5. */
  maximumRetryAttempts?: number;
  /** Records older than this go to the on-failure queue, seconds 60..604 800. Default 86 400 (one day). */
  maximumRecordAgeSeconds?: number;
  /** Concurrent batches per shard, 1..10. Default 1 (strict order per shard). */
  parallelizationFactor?: number;
  /** Function memory in MB. Default 256. */
  memorySize?: number;
  /** Function timeout in seconds. Default 60. */
  timeoutSeconds?: number;
  /** Row window length in seconds, passed as `WINDOW_SECONDS`. Default 1. */
  windowSeconds?: number;
  /** Row expiry after the window start in seconds, passed as `TTL_SECONDS`. Default: rows never expire. */
  ttlSeconds?: number;
  /** Extra environment variables of the function (override the construct's own). */
  environment?: Record<string, string>;
  /** Iterator age that raises the alarm, in milliseconds. Default 60 000. */
  iteratorAgeAlarmMs?: number;
  /** SNS topic ARN notified by the alarms. Default: none (alarms only show in CloudWatch). */
  alarmTopicArn?: string;
  /** Log retention of the function. Default one month. */
  logRetention?: logs.RetentionDays;
}

/** DynamoDB actions the function performs: SampleStore.write (GetItem, conditional PutItem) and the quarantine. */
export const FUNCTION_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem'] as const;

/**
 * How samples get in: a Kinesis stream, the consumer Lambda (bundled `handler.ts`, nodejs22.x, arm64), the
 * event source mapping between them (partial batch responses, bisect on error, bounded retries, an SQS
 * on-failure queue), least-privilege access to the row table, and alarms on iterator age, errors and
 * discarded batches.
 *
 * @throws {BundleMissingError} at construction when `codePath` holds no bundle (run the `bundle` script first).
 * @example
 * new Ingest(stack, 'Ingest', { codePath: '../consumer/dist-lambda', table, shardCount: 4 });
 */
export class Ingest extends Construct {
  readonly stream: kinesis.Stream;
  readonly function: lambda.Function;
  readonly onFailureQueue: sqs.Queue;
  readonly alarms: {
    iteratorAge: cloudwatch.Alarm;
    errors: cloudwatch.Alarm;
    discarded: cloudwatch.Alarm;
  };

  constructor(scope: Construct, id: string, props: IngestProps) {
    super(scope, id);
    const code = lambdaCode(props.codePath);

    this.stream = new kinesis.Stream(this, 'Stream', {
      streamMode: kinesis.StreamMode.PROVISIONED,
      shardCount: props.shardCount ?? 1,
      retentionPeriod: Duration.hours(props.streamRetentionHours ?? 24),
      encryption: STREAM_ENCRYPTION[props.streamEncryption ?? 'managed'],
    });

    this.onFailureQueue = new sqs.Queue(this, 'OnFailureQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    const logGroup = new logs.LogGroup(this, 'FunctionLogs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.function = new lambda.Function(this, 'Function', {
      description:
        'secondrow consumer: Kinesis batches of accelerometer samples -> per-second rows in DynamoDB',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code,
      memorySize: props.memorySize ?? 256,
      timeout: Duration.seconds(props.timeoutSeconds ?? 60),
      logGroup,
      environment: {
        TABLE_NAME: props.table.tableName,
        WINDOW_SECONDS: String(props.windowSeconds ?? 1),
        ...(props.ttlSeconds === undefined ? {} : { TTL_SECONDS: String(props.ttlSeconds) }),
        POWERTOOLS_SERVICE_NAME: 'secondrow-consumer',
        POWERTOOLS_METRICS_NAMESPACE: 'secondrow',
        // The bundle ships its source map; stack traces then name the TypeScript sources.
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
    });

    // Least privilege: exactly the item calls the handler makes, on this table only (no Scan, Query, Delete).
    this.function.addToRolePolicy(
      new iam.PolicyStatement({ actions: [...FUNCTION_TABLE_ACTIONS], resources: [props.table.tableArn] }),
    );

    // The event source grants the stream read actions and sqs:SendMessage on the queue.
    this.function.addEventSource(
      new eventSources.KinesisEventSource(this.stream, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: props.batchSize ?? 500,
        maxBatchingWindow: Duration.seconds(props.batchingWindowSeconds ?? 1),
        bisectBatchOnError: props.bisectBatchOnFunctionError ?? true,
        retryAttempts: props.maximumRetryAttempts ?? 5,
        maxRecordAge: Duration.seconds(props.maximumRecordAgeSeconds ?? 86_400),
        parallelizationFactor: props.parallelizationFactor ?? 1,
        reportBatchItemFailures: true,
        onFailure: new eventSources.SqsDlq(this.onFailureQueue),
      }),
    );

    this.alarms = {
      iteratorAge: new cloudwatch.Alarm(this, 'IteratorAgeAlarm', {
        alarmDescription:
          'The consumer falls behind the stream: records wait too long before they are processed.',
        metric: this.function.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(1) }),
        threshold: props.iteratorAgeAlarmMs ?? 60_000,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      errors: new cloudwatch.Alarm(this, 'ErrorsAlarm', {
        alarmDescription: 'The consumer function failed invocations (thrown errors or timeouts).',
        metric: this.function.metricErrors({ statistic: 'Sum', period: Duration.minutes(5) }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      discarded: new cloudwatch.Alarm(this, 'DiscardedBatchesAlarm', {
        alarmDescription: 'Batches were given up on and their metadata sent to the on-failure queue.',
        metric: this.onFailureQueue.metricApproximateNumberOfMessagesVisible({
          statistic: 'Maximum',
          period: Duration.minutes(5),
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    };
    if (props.alarmTopicArn !== undefined) {
      const topic = sns.Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn);
      for (const alarm of Object.values(this.alarms))
        alarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
    }
  }
}

const STREAM_ENCRYPTION: Record<StreamEncryptionMode, kinesis.StreamEncryption> = {
  managed: kinesis.StreamEncryption.MANAGED,
  kms: kinesis.StreamEncryption.KMS,
  none: kinesis.StreamEncryption.UNENCRYPTED,
};

/** The function code from a bundle directory or zip, failing early with the fix when it is missing. */
function lambdaCode(codePath: string): lambda.Code {
  const missing = (): Error =>
    new BundleMissingError(
      `Lambda bundle not found at ${codePath}: run \`pnpm --filter @secondrow/consumer bundle\` first ` +
        '(it writes dist-lambda/index.mjs and artifacts/secondrow-consumer.zip in packages/consumer)',
    );
  if (!existsSync(codePath)) throw missing();
  if (statSync(codePath).isDirectory() && !existsSync(join(codePath, 'index.mjs'))) throw missing();
  return lambda.Code.fromAsset(codePath);
}
