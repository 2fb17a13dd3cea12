/**
 * `@secondrow/query`: read secondrow samples for charts. One pass over a {@link SampleSource}'s pages
 * gives a min/max envelope per pixel, or the raw samples, with explicit gaps (the codec's one gap rule)
 * and a quality summary; `createQueryHandler` serves them as a Lambda Function URL, `createLocalServer`
 * serves the same handler over node:http. Importing runs nothing.
 *
 * @packageDocumentation
 */
export {
  type AuthErrorCode,
  type AuthenticatedCaller,
  type AuthenticatedHandler,
  COGNITO_AUTH_ENV,
  type CognitoAuthOptions,
  type CognitoTokenUse,
  cognitoAuthOptionsFromEnv,
  FORWARDED_AUTHORIZATION_HEADER,
  type TokenVerifier,
  withCognitoAuth,
} from './auth.js';
export { CLOSED_RANGE_MAX_AGE_S, LIVE_WINDOW_MS, samplesCacheControl } from './cache-control.js';
export type { QueryConfig, QueryEnv } from './config.js';
export { createQueryHandlerFromEnv, loadQueryConfig } from './config.js';
export type { CursorState } from './cursor.js';
export { decodeCursor, encodeCursor } from './cursor.js';
export type { BucketLayout, Envelope } from './envelope.js';
export { bucketLayout, EnvelopeBuilder } from './envelope.js';
export type { QueryErrorCode, RequestErrorStatus } from './errors.js';
export { ConfigError, InvalidOptionError, QueryError, RequestError, SourceError } from './errors.js';
export type { GapFinderOptions, GapList } from './gap-finder.js';
export { GapFinder } from './gap-finder.js';
export type { QueryContext, QueryHandler, QueryHandlerOptions, QueryResult } from './handler.js';
export { createQueryHandler, DEADLINE_MARGIN_MS, GZIP_MIN_BYTES } from './handler.js';
export type { LatenessFigures, LatenessSummary } from './lateness.js';
export { LatenessCollector } from './lateness.js';
export {
  DEFAULT_MAX_POINTS,
  DEFAULT_QUALITY_STEP_MS,
  INTERVAL_ESTIMATE_SAMPLES,
  MAX_GAPS,
  MAX_POINTS_LIMIT,
  MAX_QUALITY_STEPS,
  RAW_MAX_RANGE_MS,
  RAW_PAGE_SAMPLES,
  STORE_PAGE_ROWS,
} from './limits.js';
export type { LocalServer, LocalServerOptions } from './local-server.js';
export { createLocalServer, toEvent } from './local-server.js';
export type { QualitySummary } from './quality.js';
export { QualityCounter } from './quality.js';
export { parseQualityRequest, QUALITY_PARAMETERS } from './quality-request.js';
export type {
  QualityQuery,
  QualityResult,
  QualityStep,
  QualityStepsResult,
  QueryQualityOptions,
  StepGaps,
} from './quality-steps.js';
export { queryQuality } from './quality-steps.js';
export type {
  EnvelopeResult,
  QueryMode,
  QuerySamplesOptions,
  RawResult,
  ResultBase,
  SamplesQuery,
  SamplesResult,
} from './query-samples.js';
export { checkQueryOptions, querySamples } from './query-samples.js';
export type {
  DevicesBody,
  EnvelopeBody,
  ErrorBody,
  QualityBody,
  QualityStepBody,
  QualityStepsBody,
  RawBody,
  SamplesBody,
  SamplesBodyBase,
} from './response-body.js';
export { BODY_VERSION, ENVELOPE_STEP_G, qualityBody, samplesBody } from './response-body.js';
export { parseSamplesRequest, SAMPLES_PARAMETERS } from './samples-request.js';
export type { ColumnChunk, ColumnReadOptions, DeviceInfo, RowChunk, SampleSource } from './source.js';
export type { StoreSourceOptions } from './store-source.js';
export { createStoreSource } from './store-source.js';
export { parseTimeParam } from './time-param.js';
