/**
 * A local AWS for secondrow: in-process dynalite and kinesalite (inline or on a worker thread), clients
 * bound to them, row tables and streams, and an event-source runner that feeds a Kinesis stream to a
 * Lambda handler the way the event source mapping does, and fault-injecting DynamoDB and Kinesis endpoints
 * (`DynamoFaultProxy`, `KinesisLimitsProxy`) that put back what the local servers lack. For tests, benchmarks and the demo; never for
 * the deployed function.
 *
 * @packageDocumentation
 */
export {
  HandlerResponseError,
  HandlerTimeoutError,
  InvalidProxyOptionError,
  InvalidRecordError,
  LocalError,
  type LocalErrorCode,
  LocalOptionError,
  ProxyNotListeningError,
  PutRecordsFailedError,
  ServerStartError,
  StreamNotActiveError,
  UsageError,
} from './errors.js';
export type {
  DiscardCallback,
  DiscardedBatch,
  InvocationInfo,
  KinesisHandler,
  RunEventSourceOptions,
  RunnerFunctionOptions,
  RunnerStats,
  StartingPosition,
} from './event-source-runner.js';
export { checkRunEventSourceOptions, runEventSource } from './event-source-runner.js';
export { DynamoFaultProxy, type DynamoFaultProxyOptions } from './fault-injection/dynamo-fault-proxy.js';
export type { FaultCountsSnapshot, InjectedKind } from './fault-injection/fault-counters.js';
export type { FaultOptions } from './fault-injection/fault-plan.js';
export { FaultProxy, type FaultProxyOptions } from './fault-injection/fault-proxy.js';
export {
  KinesisLimitsProxy,
  type KinesisLimitsProxyOptions,
} from './fault-injection/kinesis-limits-proxy.js';
export { type RandomSource, seededRandom } from './fault-injection/random.js';
export {
  type IotActionFailure,
  type IotErrorAction,
  type IotErrorMessage,
  LocalErrorBucket,
  readErrorMessages,
} from './iot/error-action.js';
export {
  type IotBroker,
  type IotBrokerFaults,
  type IotBrokerOptions,
  type IotBrokerStats,
  startIotBroker,
} from './iot/iot-broker.js';
export { CLIENT_ID_VARIABLE, DevicePolicy } from './iot/iot-policy.js';
export {
  type IotMessage,
  IotRuleRunner,
  type IotRuleRunnerOptions,
  type RuleDelivery,
  type RuleRunnerStats,
  type RuleVerdict,
} from './iot/rule-runner.js';
export {
  BASIC_INGEST_PREFIX,
  type BasicIngestTopic,
  basicIngestTopic,
  IOT_MAX_PAYLOAD_BYTES,
  IOT_SQL_VERSION,
  type ParsedTopicRule,
  parseBasicIngestTopic,
  parseTopicRule,
  substituteTopic,
  type TopicRuleDefinition,
  topicMatches,
  topicSubstitution,
} from './iot/topic-rule.js';
export type { EventSourceInfo, LambdaContextOptions } from './lambda-event.js';
export { createLambdaContext, toKinesisEvent, toLambdaRecord } from './lambda-event.js';
export type {
  CreateStreamOptions,
  LocalAws,
  LocalAwsOptions,
  LocalFaultOptions,
  LocalFaultProxies,
  LocalServersMode,
} from './local-aws.js';
export {
  createStream,
  defaultDataDir,
  dynamoDbClientFor,
  kinesisClientFor,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  startLocalAws,
} from './local-aws.js';
export { createRowTable, uniqueTableName } from './row-table.js';
