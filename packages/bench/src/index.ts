/**
 * `@secondrow/bench`: compare DynamoDB row layouts and write strategies for high-rate sensor data.
 * Private; the CLI is `src/cli.ts`. These exports serve the tests and anyone scripting a run.
 *
 * @packageDocumentation
 */

export type { CliOptions } from './cli-args.js';
export { HELP, parseCli } from './cli-args.js';
export type { Corpus, Device } from './corpus.js';
export {
  BUNDLED_DATA_PATH,
  cleanSeries,
  deviceIdFor,
  loadRecordings,
  makeCorpus,
  occupiedSeconds,
} from './corpus.js';
export type { UsageAssumptions } from './cost.js';
export { deviceHoursPerMonth, provisionedWrites, usdPerDeviceMonth } from './cost.js';
export type { BenchErrorCode } from './errors.js';
export { ArgumentError, BenchError, DataError, isBenchError } from './errors.js';
export type { Item, KeySchema, Layout } from './layouts/layout.js';
export { LAYOUTS, selectLayouts } from './layouts/registry.js';
export type {
  IngestPath,
  LineItemKey,
  LineItems,
  MeasuredInputs,
  PipelineAssumptions,
  PipelineConfig,
  PipelineCost,
  PipelinePrices,
  ProducerFormatName,
  StreamMode,
} from './pipeline-cost.js';
export {
  invocationsPerShardSecond,
  LINE_ITEM_KEYS,
  LINE_ITEM_LABELS,
  pipelineCost,
  shardsFor,
} from './pipeline-cost.js';
export type { LayoutInputs, RecordFigures } from './pipeline-inputs.js';
export {
  encodeRecords,
  measureHandlerCpu,
  measureLayoutInputs,
  measureRecords,
  PIPELINE_WINDOWS,
  SECONDROW_FORMATS,
} from './pipeline-inputs.js';
export type { FleetSweep, PipelineOptions, PipelineResult, Saving } from './pipeline-run.js';
export {
  costConfigurations,
  DEFAULT_DEPLOYMENT,
  DEFAULT_PIPELINE_ASSUMPTIONS,
  NEAR_CHEAPEST_FRACTION,
  PIPELINE_2015,
  runPipeline,
  SWEEP_FLEETS,
} from './pipeline-run.js';
export { applyPriceOverrides, DEFAULT_PIPELINE_PRICES, readPriceFile } from './price-file.js';
export { renderHtmlReport } from './report/html.js';
export { renderPipelineHtml } from './report/pipeline-html.js';
export { renderPipelineText } from './report/pipeline-text.js';
export { renderTextReport } from './report/table.js';
export type {
  BenchResult,
  LayoutResult,
  StrategyResult,
  TargetResult,
  UnitCheck,
  UsdPerDeviceMonth,
} from './results.js';
export type { BenchOptions } from './run.js';
export { queryPattern, runBench } from './run.js';
export type { Strategy } from './strategies.js';
export {
  DEFAULT_FLUSH_SECONDS,
  lambdaInvocations,
  runStrategy,
  STRATEGIES,
  selectStrategies,
  workload,
} from './strategies.js';
export type { SyntheticOptions } from './synthetic.js';
export { syntheticCorpus } from './synthetic.js';
