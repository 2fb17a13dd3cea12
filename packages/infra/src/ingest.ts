import { EVENT_SOURCE_MAPPING, type EventSourceMappingSettings } from '@secondrow/consumer';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
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
import { requireBuildOutput } from './bundle-paths.js';
import { consumerEnvironment, tablesWritten } from './consumer-environment.js';
import { CONSUMER_METRIC_NAMES, consumerMetric } from './consumer-metrics.js';
import { InvalidSettingError } from './errors.js';
import {
  integerSettingProblem,
  type MIN_REPLAY_MARGIN_SECONDS,
  NUMERIC_SETTING_NAMES,
  type NUMERIC_SETTINGS,
  recordAgeProblem,
} from './setting-limits.js';

/** How the Kinesis stream is encrypted at rest. */
export type StreamEncryptionMode = 'managed' | 'kms' | 'none';

/**
 * Settings of {@link Ingest}; every one but `codePath` and `table` has a default. Each numeric setting
 * accepts what {@link NUMERIC_SETTINGS} says; the mapping defaults are the consumer's `EVENT_SOURCE_MAPPING`.
 */
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
  /** Stream retention in hours. Default `EVENT_SOURCE_MAPPING.streamRetentionHours`. */
  streamRetentionHours?: number;
  /** Records per invocation. Default `EVENT_SOURCE_MAPPING.batchSize`. */
  batchSize?: number;
  /** Batching window in seconds. Default `EVENT_SOURCE_MAPPING.batchingWindowSeconds`. */
  batchingWindowSeconds?: number;
  /** Split a failed batch in two before retrying. Default `EVENT_SOURCE_MAPPING.bisectBatchOnFunctionError`. */
  bisectBatchOnFunctionError?: boolean;
  /** Retries before a batch goes to the on-failure queue; -1: no limit. Default `EVENT_SOURCE_MAPPING.maximumRetryAttempts`. */
  maximumRetryAttempts?: number;
  /**
   * Records older than this (seconds) go to the on-failure queue; must stay {@link MIN_REPLAY_MARGIN_SECONDS}
   * below the retention. Default `EVENT_SOURCE_MAPPING.maximumRecordAgeSeconds`.
   */
  maximumRecordAgeSeconds?: number;
  /** Concurrent batches per shard (1 keeps strict order). Default `EVENT_SOURCE_MAPPING.parallelizationFactor`. */
  parallelizationFactor?: number;
  /** Function memory in MB. Default 256. */
  memorySize?: number;
  /** Function timeout in seconds. Default 60. */
  timeoutSeconds?: number;
  /** Row window length in seconds, passed as `WINDOW_SECONDS`. Default: the consumer's. */
  windowSeconds?: number;
  /** Row expiry after the window start in seconds, passed as `TTL_SECONDS`. Default: rows never expire. */
  ttlSeconds?: number;
  /**
   * Extra environment variables of the function (override the construct's own), e.g. `QUARANTINE_TABLE_NAME`.
   * The whole environment is checked with the consumer's `loadConfig`, and the IAM grants follow the tables it names.
   */
  environment?: Record<string, string>;
  /** Iterator age (function and stream) that raises the alarms, in milliseconds. Default 60 000. */
  iteratorAgeAlarmMs?: number;
  /** SNS topic ARN notified by the alarms. Default: none (alarms only show in CloudWatch). */
  alarmTopicArn?: string;
  /** Log retention of the function. Default one month. */
  logRetention?: logs.RetentionDays;
}

/** DynamoDB actions the function performs on each table it writes: SampleStore.write and the quarantine (GetItem, conditional PutItem). */
export const FUNCTION_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem'] as const;

/** The alarms of {@link Ingest}; the README says what each means and what to do. */
export interface IngestAlarms {
  /** The function's `IteratorAge` (AWS/Lambda): the consumer falls behind or a batch is stuck retrying. */
  iteratorAge: cloudwatch.Alarm;
  /** The stream's `GetRecords.IteratorAgeMilliseconds` (AWS/Kinesis): reads of the stream fall behind. */
  streamIteratorAge: cloudwatch.Alarm;
  /** The function's `Errors`: invocations that threw or timed out. */
  errors: cloudwatch.Alarm;
  /** Messages in the on-failure queue: batches given up on, to replay with `secondrow-replay`. */
  discarded: cloudwatch.Alarm;
  /** `DestinationDeliveryFailures` (AWS/Lambda): a failure record could not be sent to the queue. */
  destinationDeliveryFailures: cloudwatch.Alarm;
  /** The consumer's `FailedRecords`: records retried for 15 minutes running. */
  failedRecords: cloudwatch.Alarm;
  /** The consumer's `QuarantineFailures`: bad records or rows could not be quarantined. */
  quarantineFailures: cloudwatch.Alarm;
  /** The consumer's `RowsQuarantined`: rows that can never be stored are in the quarantine. */
  rowsQuarantined: cloudwatch.Alarm;
}

/**
 * How samples get in: a Kinesis stream, the consumer Lambda (bundled `handler.ts`, nodejs22.x, arm64), the
 * event source mapping between them (the consumer's `EVENT_SOURCE_MAPPING`: partial batch responses, bisect
 * on error, retries that do not run out, a maximum record age below the retention, an SQS on-failure queue),
 * least-privilege access to the tables the function's configuration names, and alarms on the failure modes.
 * The on-failure queue and the function's log group are kept when the stack is deleted.
 *
 * @throws {InvalidSettingError} at construction when a numeric setting is out of range or the maximum record
 *   age is not safely below the retention.
 * @throws {ConsumerConfigError} at construction when the consumer's `loadConfig` rejects the function's environment.
 * @throws {BundleMissingError} at construction when `codePath` holds no bundle (run the `bundle` script first).
 * @example
 * new Ingest(stack, 'Ingest', { codePath: '../consumer/dist-lambda', table, shardCount: 4 });
 */
export class Ingest extends Construct {
  readonly stream: kinesis.Stream;
  readonly function: lambda.Function;
  readonly onFailureQueue: sqs.Queue;
  readonly alarms: IngestAlarms;

  constructor(scope: Construct, id: string, props: IngestProps) {
    super(scope, id);
    const mapping = mappingSettings(props);
    const { environment, config } = consumerEnvironment({
      tableName: props.table.tableName,
      ...(props.windowSeconds === undefined ? {} : { windowSeconds: props.windowSeconds }),
      ...(props.ttlSeconds === undefined ? {} : { ttlSeconds: props.ttlSeconds }),
      ...(props.environment === undefined ? {} : { environment: props.environment }),
    });
    const code = lambdaCode(props.codePath);

    this.stream = new kinesis.Stream(this, 'Stream', {
      streamMode: kinesis.StreamMode.PROVISIONED,
      shardCount: props.shardCount ?? 1,
      retentionPeriod: Duration.hours(mapping.streamRetentionHours),
      encryption: STREAM_ENCRYPTION[props.streamEncryption ?? 'managed'],
    });

    // Kept on stack deletion: its messages are the only record of batches to replay.
    this.onFailureQueue = new sqs.Queue(this, 'OnFailureQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Kept on stack deletion: the invocation summaries and errors explain what the alarms saw.
    const logGroup = new logs.LogGroup(this, 'FunctionLogs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.RETAIN,
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
      environment,
    });

    // Least privilege: exactly the item calls the handler makes, on the tables its configuration names
    // (no Scan, Query, Delete).
    const stack = Stack.of(this);
    const tableArn = (name: string): string =>
      name === props.table.tableName
        ? props.table.tableArn
        : stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: name });
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [...FUNCTION_TABLE_ACTIONS],
        resources: tablesWritten(config).map(tableArn),
      }),
    );

    // The event source grants the stream read actions and sqs:SendMessage on the queue.
    this.function.addEventSource(
      new eventSources.KinesisEventSource(this.stream, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: mapping.batchSize,
        maxBatchingWindow: Duration.seconds(mapping.batchingWindowSeconds),
        bisectBatchOnError: mapping.bisectBatchOnFunctionError,
        retryAttempts: mapping.maximumRetryAttempts,
        maxRecordAge: Duration.seconds(mapping.maximumRecordAgeSeconds),
        parallelizationFactor: mapping.parallelizationFactor,
        reportBatchItemFailures: true,
        onFailure: new eventSources.SqsDlq(this.onFailureQueue),
      }),
    );

    const iteratorAgeMs = props.iteratorAgeAlarmMs ?? 60_000;
    const perMinute = { period: Duration.minutes(1) };
    const consumer = (name: string): cloudwatch.Metric =>
      consumerMetric(name, config.metricsNamespace, config.serviceName);
    const anyIn5Minutes = (metric: cloudwatch.IMetric, alarmDescription: string) => ({
      alarmDescription,
      metric,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const behind = (metric: cloudwatch.IMetric, alarmDescription: string) => ({
      alarmDescription,
      metric,
      threshold: iteratorAgeMs,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarms = {
      iteratorAge: new cloudwatch.Alarm(
        this,
        'IteratorAgeAlarm',
        behind(
          this.function.metric('IteratorAge', { statistic: 'Maximum', ...perMinute }),
          'The consumer falls behind the stream, or a batch is stuck retrying: records wait too long before they are processed.',
        ),
      ),
      streamIteratorAge: new cloudwatch.Alarm(
        this,
        'StreamIteratorAgeAlarm',
        behind(
          this.stream.metricGetRecordsIteratorAgeMilliseconds({ statistic: 'Maximum', ...perMinute }),
          'Reads of the stream fall behind its newest records (GetRecords.IteratorAgeMilliseconds).',
        ),
      ),
      errors: new cloudwatch.Alarm(
        this,
        'ErrorsAlarm',
        anyIn5Minutes(
          this.function.metricErrors({ statistic: 'Sum', period: Duration.minutes(5) }),
          'The consumer function failed invocations (thrown errors or timeouts); Lambda retries the batch.',
        ),
      ),
      discarded: new cloudwatch.Alarm(
        this,
        'DiscardedBatchesAlarm',
        anyIn5Minutes(
          this.onFailureQueue.metricApproximateNumberOfMessagesVisible({
            statistic: 'Maximum',
            period: Duration.minutes(5),
          }),
          'Batches reached the maximum record age and were given up on: replay each on-failure message with secondrow-replay before the stream trims the records.',
        ),
      ),
      destinationDeliveryFailures: new cloudwatch.Alarm(
        this,
        'DestinationDeliveryFailuresAlarm',
        anyIn5Minutes(
          this.function.metric('DestinationDeliveryFailures', {
            statistic: 'Sum',
            period: Duration.minutes(5),
          }),
          'Lambda could not send a failure record to the on-failure queue: a given-up batch left no message to replay it from.',
        ),
      ),
      failedRecords: new cloudwatch.Alarm(this, 'FailedRecordsAlarm', {
        ...anyIn5Minutes(
          consumer(CONSUMER_METRIC_NAMES.failedRecords),
          'The consumer has reported records for retry (batchItemFailures) for 15 minutes running: throttling, DynamoDB errors or deadlines that do not clear.',
        ),
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
      }),
      quarantineFailures: new cloudwatch.Alarm(
        this,
        'QuarantineFailuresAlarm',
        anyIn5Minutes(
          consumer(CONSUMER_METRIC_NAMES.quarantineFailures),
          'Bad records or unstorable rows could not be written to the quarantine table; their records are retried until it succeeds.',
        ),
      ),
      rowsQuarantined: new cloudwatch.Alarm(
        this,
        'RowsQuarantinedAlarm',
        anyIn5Minutes(
          consumer(CONSUMER_METRIC_NAMES.rowsQuarantined),
          'Rows that can never be stored were put in the quarantine table with their samples: they need a look.',
        ),
      ),
    };
    if (props.alarmTopicArn !== undefined) {
      const topic = sns.Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn);
      for (const alarm of Object.values(this.alarms))
        alarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
    }
  }
}

/**
 * The event source mapping and retention settings: the consumer's `EVENT_SOURCE_MAPPING` with the props
 * over it, every numeric prop checked against its range and the record age against the retention.
 *
 * @throws {InvalidSettingError} naming the setting.
 */
function mappingSettings(props: IngestProps): EventSourceMappingSettings {
  for (const setting of NUMERIC_SETTING_NAMES) {
    const value = props[setting];
    if (value === undefined) continue;
    const problem = integerSettingProblem(setting, value);
    if (problem !== undefined) throw new InvalidSettingError(setting, problem);
  }
  const settings: EventSourceMappingSettings = {
    batchSize: props.batchSize ?? EVENT_SOURCE_MAPPING.batchSize,
    batchingWindowSeconds: props.batchingWindowSeconds ?? EVENT_SOURCE_MAPPING.batchingWindowSeconds,
    bisectBatchOnFunctionError:
      props.bisectBatchOnFunctionError ?? EVENT_SOURCE_MAPPING.bisectBatchOnFunctionError,
    maximumRetryAttempts: props.maximumRetryAttempts ?? EVENT_SOURCE_MAPPING.maximumRetryAttempts,
    maximumRecordAgeSeconds: props.maximumRecordAgeSeconds ?? EVENT_SOURCE_MAPPING.maximumRecordAgeSeconds,
    streamRetentionHours: props.streamRetentionHours ?? EVENT_SOURCE_MAPPING.streamRetentionHours,
    parallelizationFactor: props.parallelizationFactor ?? EVENT_SOURCE_MAPPING.parallelizationFactor,
  };
  const problem = recordAgeProblem(settings.maximumRecordAgeSeconds, settings.streamRetentionHours);
  if (problem !== undefined) {
    // Name the setting the user gave; when both or neither were given, the record age is the one to lower.
    const setting =
      props.streamRetentionHours !== undefined && props.maximumRecordAgeSeconds === undefined
        ? 'streamRetentionHours'
        : 'maximumRecordAgeSeconds';
    throw new InvalidSettingError(setting, `${setting}: ${problem}`);
  }
  return settings;
}

const STREAM_ENCRYPTION: Record<StreamEncryptionMode, kinesis.StreamEncryption> = {
  managed: kinesis.StreamEncryption.MANAGED,
  kms: kinesis.StreamEncryption.KMS,
  none: kinesis.StreamEncryption.UNENCRYPTED,
};

/** The function code from a bundle directory or zip, failing early with the fix when it is missing. */
function lambdaCode(codePath: string): lambda.Code {
  requireBuildOutput({
    path: codePath,
    entry: 'index.mjs',
    what: 'Lambda bundle',
    command: 'pnpm --filter @secondrow/consumer bundle',
    writes: 'dist-lambda/index.mjs and artifacts/secondrow-consumer.zip in packages/consumer',
    allowFile: true,
  });
  return lambda.Code.fromAsset(codePath);
}
