import { loadavg } from 'node:os';
import type { WindowSeconds } from '@secondrow/codec';
import { EVENT_SOURCE_MAPPING } from '@secondrow/consumer';
import { ProgressBar } from '@secondrow/devkit';
import { startLocalAws } from '@secondrow/local';
import { type Corpus, type CorpusSummary, summarizeCorpus } from './corpus.js';
import {
  type IngestPath,
  type MeasuredInputs,
  type PipelineAssumptions,
  type PipelineConfig,
  type PipelineCost,
  type PipelinePrices,
  pipelineCost,
  type StreamMode,
} from './pipeline-cost.js';
import {
  combineInputs,
  type LayoutInputs,
  measureHandlerCpu,
  measureLayoutInputs,
  measureRecords,
  PIPELINE_WINDOWS,
  type RecordFigures,
  SECONDROW_FORMATS,
} from './pipeline-inputs.js';
import { DEFAULT_FLUSH_SECONDS } from './strategies.js';

/** The stack's defaults as the model takes them: the consumer's event source mapping, a 256 MB arm64 function. */
export const DEFAULT_PIPELINE_ASSUMPTIONS: Readonly<PipelineAssumptions> = Object.freeze({
  fleet: 1000,
  activeHoursPerDay: 24,
  retentionDays: 365,
  readsPerDeviceHour: 1,
  streamRetentionHours: EVENT_SOURCE_MAPPING.streamRetentionHours,
  batchSize: EVENT_SOURCE_MAPPING.batchSize,
  batchingWindowSeconds: EVENT_SOURCE_MAPPING.batchingWindowSeconds,
  lambdaMemoryMb: 256,
  dynamodbRoundTripMs: 10,
  failedBatchFraction: 1e-4,
  iotTopicBytes: '$aws/rules/secondrow_ingest/'.length + 46,
});

/** The deployment the stack and the phone use by default. */
export const DEFAULT_DEPLOYMENT: Readonly<PipelineConfig> = Object.freeze({
  format: 'json-v1',
  layout: 'per-second-avro',
  stream: 'provisioned',
  ingest: 'kinesis',
});

/** The 2015 pipeline: its app's JSON through a provisioned stream, one PutItem per sample. */
export const PIPELINE_2015: Readonly<PipelineConfig> = Object.freeze({
  format: 'json-2015',
  layout: 'per-sample',
  stream: 'provisioned',
  ingest: 'kinesis',
});

/** Fleet sizes of the provisioned vs on-demand sweep. */
export const SWEEP_FLEETS: readonly number[] = [1, 3, 10, 30, 100, 300, 1000, 3000, 10_000, 30_000, 100_000];

/** Configurations within this fraction of the cheapest total are reported next to it (1 %). */
export const NEAR_CHEAPEST_FRACTION = 0.01;

const STREAM_MODES: readonly StreamMode[] = ['provisioned', 'on-demand'];
const INGEST_PATHS: readonly IngestPath[] = ['kinesis', 'iot-basic-ingest'];

/** Everything a pipeline run needs; the CLI builds it from flags. */
export interface PipelineOptions {
  corpus: Corpus;
  usage: PipelineAssumptions;
  prices: PipelinePrices;
  /** Seconds between the phone's Kinesis flushes (one writeMany per flush). Default 30. */
  flushSeconds?: number;
  /** Minimum CPU ms spent timing the handler per format and window. Default 200. */
  minTimingMs?: number;
  /** Samples written through SampleStore per window. Default 12,000. */
  storeSamples?: number;
  /** Items written to dynalite for the per-sample layout. Default 3,500. */
  maxMeasuredItems?: number;
  quiet?: boolean;
}

/** Provisioned vs on-demand for the default deployment's format and rows, across fleet sizes. */
export interface FleetSweep {
  format: string;
  layout: string;
  fleets: number[];
  /** Total USD per device-month, provisioned stream, at each fleet size. */
  provisioned: number[];
  /** Total USD per device-month, on-demand stream, at each fleet size. */
  onDemand: number[];
  /** Smallest fleet of the sweep from which provisioned stays cheaper; undefined when it never does. */
  provisionedCheaperFrom: number | undefined;
}

/** A saving of one configuration over another. */
export interface Saving {
  usdPerDeviceMonth: number;
  usdPerFleetMonth: number;
  /** Fraction of the other configuration's total. */
  fraction: number;
}

/** The whole pipeline run, as `--pipeline --json` prints it. */
export interface PipelineResult {
  kind: 'pipeline';
  data: CorpusSummary;
  /** What was measured locally. */
  measured: {
    records: RecordFigures[];
    layouts: LayoutInputs[];
    /** Handler CPU ms per record, by format and layout. */
    handler: { format: string; layout: string; cpuMsPerRecord: number }[];
    flushSeconds: number;
  };
  assumptions: PipelineAssumptions;
  prices: PipelinePrices;
  /** The measured inputs of each format and layout, as the model took them. */
  inputs: MeasuredInputs[];
  configurations: PipelineCost[];
  defaultDeployment: PipelineCost;
  pipeline2015: PipelineCost;
  cheapest: PipelineCost;
  cheapestSaving: { vsDefault: Saving; vs2015: Saving };
  /**
   * Other configurations within {@link NEAR_CHEAPEST_FRACTION} of the cheapest: measured CPU time and record
   * sizes differ by little between them, so the ranking among these is not a finding.
   */
  nearCheapest: PipelineCost[];
  sweep: FleetSweep;
  loadAverage: number[];
  runtimeSeconds: number;
  generatedAt: string;
}

/** Same configuration. */
export function sameConfig(a: PipelineConfig, b: PipelineConfig): boolean {
  return a.format === b.format && a.layout === b.layout && a.stream === b.stream && a.ingest === b.ingest;
}

function saving(cheap: PipelineCost, other: PipelineCost): Saving {
  const usd = other.totalUsdPerDeviceMonth - cheap.totalUsdPerDeviceMonth;
  return {
    usdPerDeviceMonth: usd,
    usdPerFleetMonth: other.totalUsdPerFleetMonth - cheap.totalUsdPerFleetMonth,
    fraction: other.totalUsdPerDeviceMonth > 0 ? usd / other.totalUsdPerDeviceMonth : 0,
  };
}

/**
 * Costs every configuration from the measured inputs: the 2015 pipeline and each secondrow format and row
 * window, provisioned and on-demand, direct and through IoT Basic Ingest; names the cheapest and sweeps the
 * fleet size. Pure: no measuring.
 */
export function costConfigurations(
  inputs: readonly MeasuredInputs[],
  usage: PipelineAssumptions,
  prices: PipelinePrices,
): Pick<
  PipelineResult,
  | 'configurations'
  | 'defaultDeployment'
  | 'pipeline2015'
  | 'cheapest'
  | 'cheapestSaving'
  | 'nearCheapest'
  | 'sweep'
> {
  const configurations: PipelineCost[] = [];
  for (const input of inputs)
    for (const stream of STREAM_MODES)
      for (const ingest of INGEST_PATHS)
        configurations.push(
          pipelineCost({ format: input.format, layout: input.layout, stream, ingest }, input, usage, prices),
        );
  const find = (config: PipelineConfig): PipelineCost => {
    const found = configurations.find((c) => sameConfig(c.config, config));
    if (found === undefined) throw new Error(`no inputs for ${JSON.stringify(config)}`);
    return found;
  };
  const defaultDeployment = find(DEFAULT_DEPLOYMENT);
  const pipeline2015 = find(PIPELINE_2015);
  const cheapest = configurations.reduce((a, b) =>
    b.totalUsdPerDeviceMonth < a.totalUsdPerDeviceMonth ? b : a,
  );
  const defaultInputs = inputs.find(
    (i) => i.format === DEFAULT_DEPLOYMENT.format && i.layout === DEFAULT_DEPLOYMENT.layout,
  )!;
  const fleets = [...new Set([...SWEEP_FLEETS, usage.fleet])].sort((a, b) => a - b);
  const at = (stream: StreamMode) =>
    fleets.map(
      (fleet) =>
        pipelineCost({ ...DEFAULT_DEPLOYMENT, stream }, defaultInputs, { ...usage, fleet }, prices)
          .totalUsdPerDeviceMonth,
    );
  const provisioned = at('provisioned');
  const onDemand = at('on-demand');
  let from: number | undefined;
  for (let i = fleets.length - 1; i >= 0 && provisioned[i]! < onDemand[i]!; i--) from = fleets[i];
  return {
    configurations,
    defaultDeployment,
    pipeline2015,
    cheapest,
    nearCheapest: configurations.filter(
      (c) =>
        c !== cheapest &&
        c.totalUsdPerDeviceMonth <= cheapest.totalUsdPerDeviceMonth * (1 + NEAR_CHEAPEST_FRACTION),
    ),
    cheapestSaving: {
      vsDefault: saving(cheapest, defaultDeployment),
      vs2015: saving(cheapest, pipeline2015),
    },
    sweep: {
      format: DEFAULT_DEPLOYMENT.format,
      layout: DEFAULT_DEPLOYMENT.layout,
      fleets,
      provisioned,
      onDemand,
      provisionedCheaperFrom: from,
    },
  };
}

/**
 * Measures what can be measured locally (record bytes per format, handler CPU ms per record, DynamoDB units
 * and storage per row layout on an in-process dynalite), then costs every configuration.
 * @throws {BenchError} when dynalite fails or the handler rejects a format's records.
 */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const started = performance.now();
  const { corpus, usage, prices } = options;
  const flushSeconds = options.flushSeconds ?? DEFAULT_FLUSH_SECONDS;
  const minTimingMs = options.minTimingMs ?? 200;
  const bar = new ProgressBar({ quiet: options.quiet === true, delayMs: 1500 });
  const windows: (WindowSeconds | undefined)[] = [undefined, ...PIPELINE_WINDOWS];
  const steps = windows.length + 1 + SECONDROW_FORMATS.length * PIPELINE_WINDOWS.length;
  let done = 0;
  const step = (label: string): void =>
    bar.update(done++ / steps, `${done}/${steps} ${bar.elapsedSeconds().toFixed(0)}s ${label}`);
  const local = await startLocalAws({ kinesis: false, dynamodbClient: { maxAttempts: 3 } });
  const layouts: LayoutInputs[] = [];
  const handler: PipelineResult['measured']['handler'] = [];
  const inputs: MeasuredInputs[] = [];
  let records: RecordFigures[];
  try {
    for (const windowSeconds of windows) {
      step(`DynamoDB ${windowSeconds === undefined ? 'per-sample' : `${windowSeconds} s rows`}`);
      layouts.push(
        await measureLayoutInputs(windowSeconds, corpus, {
          client: local.dynamodb,
          usage: { ...usage, provisionedTargetUtilization: 0.7 },
          prices: prices.dynamodb,
          maxMeasuredItems: options.maxMeasuredItems ?? 3500,
          storeSamples: options.storeSamples ?? 12_000,
          flushSeconds,
        }),
      );
    }
    step('record bytes');
    records = (['json-2015', ...SECONDROW_FORMATS] as const).map((f) =>
      measureRecords(f, corpus, prices.kinesis),
    );
    const [perSampleLayout, ...rowLayouts] = layouts;
    const ms2015 = await measureHandlerCpu('json-2015', undefined, corpus, minTimingMs);
    handler.push({ format: 'json-2015', layout: perSampleLayout!.layout, cpuMsPerRecord: ms2015 });
    inputs.push(combineInputs(records[0]!, perSampleLayout!, ms2015));
    for (const format of SECONDROW_FORMATS) {
      const figures = records.find((r) => r.format === format)!;
      for (const layout of rowLayouts) {
        step(`handler ${format} ${layout.layout}`);
        const ms = await measureHandlerCpu(
          format,
          layout.windowSeconds as WindowSeconds,
          corpus,
          minTimingMs,
        );
        handler.push({ format, layout: layout.layout, cpuMsPerRecord: ms });
        inputs.push(combineInputs(figures, layout, ms));
      }
    }
  } finally {
    bar.finish();
    await local.close();
  }
  return {
    kind: 'pipeline',
    data: summarizeCorpus(corpus),
    measured: { records, layouts, handler, flushSeconds },
    assumptions: usage,
    prices,
    inputs,
    ...costConfigurations(inputs, usage, prices),
    loadAverage: loadavg(),
    runtimeSeconds: (performance.now() - started) / 1000,
    generatedAt: new Date().toISOString(),
  };
}
