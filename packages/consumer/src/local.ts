/**
 * Local tools of `@secondrow/consumer`: in-process dynalite and kinesalite, and an event-source
 * runner that feeds a Kinesis stream to a Lambda handler the way the event source mapping does.
 * Not for the deployed function: these pull in the local servers.
 *
 * @packageDocumentation
 */
export type {
  DiscardedBatch,
  InvocationInfo,
  KinesisHandler,
  RunEventSourceOptions,
  RunnerFunctionOptions,
  RunnerStats,
  StartingPosition,
} from './local/event-source-runner.js';
export { runEventSource } from './local/event-source-runner.js';
export type { EventSourceInfo, LambdaContextOptions } from './local/lambda-event.js';
export { createLambdaContext, toKinesisEvent, toLambdaRecord } from './local/lambda-event.js';
export type { CreateStreamOptions, LocalAws, LocalAwsOptions } from './local/local-aws.js';
export {
  createStream,
  dynamoDbClientFor,
  kinesisClientFor,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  startLocalAws,
} from './local/local-aws.js';
