import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HOURS_PER_MONTH, type Prices, ProgressBar } from '@secondrow/devkit';
import { startLocalAws } from '@secondrow/local';
import { type Corpus, summarizeCorpus } from './corpus.js';
import type { UsageAssumptions } from './cost.js';
import { measureLayout } from './layout-figures.js';
import type { Layout } from './layouts/layout.js';
import type { BenchResult, LayoutResult, StrategyResult } from './results.js';
import { DEFAULT_FLUSH_SECONDS, runStrategy, type Strategy } from './strategies.js';
import { evaluateTargets } from './targets.js';

/** Everything a run needs; the CLI builds it from flags. */
export interface BenchOptions {
  corpus: Corpus;
  layouts: readonly Layout[];
  /** Strategies to run (empty: none). */
  strategies: readonly Strategy[];
  usage: UsageAssumptions;
  prices: Prices;
  /** Items written to dynalite per layout for the computed-vs-measured check. Default 3500 (the whole bundled clip). */
  maxMeasuredItems?: number;
  /** Items written per strategy run. Default 250. */
  strategyMaxItems?: number;
  /** Samples written per strategy run. Default 12,000. */
  strategyMaxSamples?: number;
  /** Seconds between Kinesis flushes for the `sample-store` strategy. Default 30. */
  flushSeconds?: number;
  /** Minimum time spent timing encode and decode of each layout, ms. Default 100. */
  minTimingMs?: number;
  /** A DynamoDB client to use instead of an in-process dynalite. */
  client?: DynamoDBClient;
  /** No progress bar. */
  quiet?: boolean;
}

/** How each device-hour is read back, stated in every report next to the read dollars. */
export function queryPattern(readsPerDeviceHour: number): string {
  return `every device-hour is read ${readsPerDeviceHour === 1 ? 'once' : `${readsPerDeviceHour} times`} with one Query (eventually consistent), e.g. a daily job reading yesterday`;
}

/**
 * Runs the whole benchmark: layout figures (computed and measured on dynalite), then write strategies.
 * @throws {BenchError} when dynalite fails or a layout does not round-trip.
 */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const started = performance.now();
  const local =
    options.client === undefined
      ? await startLocalAws({ kinesis: false, dynamodbClient: { maxAttempts: 3 } })
      : undefined;
  const client = options.client ?? local!.dynamodb;
  const strategyRuns = options.layouts.flatMap((layout) =>
    options.strategies.filter((s) => s.appliesTo(layout)).map((strategy) => ({ layout, strategy })),
  );
  // Silent off a terminal and for the first 1.5 s, so piped output and short runs stay clean.
  const bar = new ProgressBar({ quiet: options.quiet === true, delayMs: 1500 });
  const total = options.layouts.length + strategyRuns.length;
  let done = 0;
  const step = (label: string): void =>
    bar.update(done / total, `${done}/${total} ${bar.elapsedSeconds().toFixed(0)}s ${label}`);
  const layouts: LayoutResult[] = [];
  const strategies: StrategyResult[] = [];
  try {
    for (const layout of options.layouts) {
      step(`layout ${layout.name}`);
      layouts.push(
        await measureLayout(layout, options.corpus, {
          client,
          maxMeasuredItems: options.maxMeasuredItems ?? 3500,
          minTimingMs: options.minTimingMs ?? 100,
          usage: options.usage,
          prices: options.prices,
        }),
      );
      done += 1;
    }
    for (const { layout, strategy } of strategyRuns) {
      step(`${strategy.name} ${layout.name}`);
      strategies.push(
        await runStrategy(strategy, layout, options.corpus, {
          client,
          maxItems: options.strategyMaxItems ?? 250,
          maxSamples: options.strategyMaxSamples ?? 12_000,
          flushSeconds: options.flushSeconds ?? DEFAULT_FLUSH_SECONDS,
        }),
      );
      done += 1;
    }
  } finally {
    bar.finish();
    await local?.close();
  }
  const runtimeSeconds = (performance.now() - started) / 1000;
  const { corpus } = options;
  return {
    layouts,
    strategies,
    prices: options.prices,
    data: {
      ...summarizeCorpus(corpus),
      droppedRepeats: corpus.droppedRepeats,
      sources: corpus.devices.map((d) => d.source),
    },
    assumptions: {
      activeHoursPerDay: options.usage.activeHoursPerDay,
      retentionDays: options.usage.retentionDays,
      queryPattern: queryPattern(options.usage.readsPerDeviceHour),
      readsPerDeviceHour: options.usage.readsPerDeviceHour,
      fleet: options.usage.fleet,
      provisionedTargetUtilization: options.usage.provisionedTargetUtilization,
      hoursPerMonth: HOURS_PER_MONTH,
      flushSeconds: options.flushSeconds ?? DEFAULT_FLUSH_SECONDS,
    },
    targets: evaluateTargets(layouts, strategies, runtimeSeconds),
    runtimeSeconds,
    generatedAt: new Date().toISOString(),
  };
}
