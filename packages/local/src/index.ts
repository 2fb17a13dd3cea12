/**
 * A local AWS for secondrow: in-process dynalite and kinesalite (inline or on a worker thread), clients
 * bound to them, row tables and streams, and an event-source runner that feeds a Kinesis stream to a
 * Lambda handler the way the event source mapping does. For tests, benchmarks and the demo; never for
 * the deployed function.
 *
 * @packageDocumentation
 */
export {
  HandlerResponseError,
  HandlerTimeoutError,
  InvalidRecordError,
  LocalError,
  type LocalErrorCode,
  LocalOptionError,
  PutRecordsFailedError,
  ServerStartError,
  StreamNotActiveError,
  UsageError,
} from './errors.js';
export type {
  DiscardedBatch,
  InvocationInfo,
  KinesisHandler,
  RunEventSourceOptions,
  RunnerFunctionOptions,
  RunnerStats,
  StartingPosition,
} from './event-source-runner.js';
export { runEventSource } from './event-source-runner.js';
export type { EventSourceInfo, LambdaContextOptions } from './lambda-event.js';
export { createLambdaContext, toKinesisEvent, toLambdaRecord } from './lambda-event.js';
export type { CreateStreamOptions, LocalAws, LocalAwsOptions, LocalServersMode } from './local-aws.js';
export {
  createStream,
  dynamoDbClientFor,
  kinesisClientFor,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  startLocalAws,
} from './local-aws.js';
export { createRowTable, uniqueTableName } from './row-table.js';
