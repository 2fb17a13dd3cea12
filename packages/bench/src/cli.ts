#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { HELP, parseCli } from './cli-args.js';
import { BUNDLED_DATA_DESCRIPTION, BUNDLED_DATA_PATH, type Corpus, loadRecordings } from './corpus.js';
import { isBenchError } from './errors.js';
import { selectLayouts } from './layouts/registry.js';
import { runPipeline } from './pipeline-run.js';
import { renderHtmlReport } from './report/html.js';
import { renderPipelineHtml } from './report/pipeline-html.js';
import { renderPipelineText } from './report/pipeline-text.js';
import { renderTextReport } from './report/table.js';
import { runBench } from './run.js';
import { selectStrategies } from './strategies.js';
import { syntheticCorpus } from './synthetic.js';

// The AWS SDK warns on every run under Node 20 about a future Node 22 requirement; it says nothing about
// the measurements, so it is kept out of the report.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
  if (type === 'NodeVersionSupportWarning' || text.includes('node >=22')) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

async function main(argv: readonly string[]): Promise<number> {
  const options = parseCli(argv);
  if (options.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const corpus: Corpus =
    options.synthetic !== undefined
      ? syntheticCorpus(options.synthetic)
      : options.data !== undefined
        ? loadRecordings(
            options.data,
            options.data.map((p) => relative(process.env.INIT_CWD ?? process.cwd(), p) || '.').join(', '),
          )
        : loadRecordings(BUNDLED_DATA_PATH, BUNDLED_DATA_DESCRIPTION);
  if (options.pipeline) {
    const result = await runPipeline({
      corpus,
      usage: options.pipelineUsage,
      prices: options.pipelinePrices,
      flushSeconds: options.flushSeconds,
      quiet: options.quiet,
    });
    writeReports(result, options, renderPipelineHtml, renderPipelineText);
    return 0;
  }
  const result = await runBench({
    corpus,
    layouts: selectLayouts(options.layouts),
    strategies: options.noStrategies ? [] : selectStrategies(options.strategies),
    usage: options.usage,
    prices: options.prices,
    maxMeasuredItems: options.measureItems,
    strategyMaxItems: options.strategyItems,
    strategyMaxSamples: options.strategySamples,
    flushSeconds: options.flushSeconds,
    quiet: options.quiet,
  });
  writeReports(result, options, renderHtmlReport, renderTextReport);
  return 0;
}

/** Writes the HTML report to `--html` when asked, and the text report (or `--json`) to stdout. */
function writeReports<T>(
  result: T,
  options: { html?: string | undefined; json: boolean },
  renderHtml: (result: T) => string,
  renderText: (result: T) => string,
): void {
  if (options.html !== undefined) {
    writeFileSync(options.html, renderHtml(result));
    if (!options.json) process.stderr.write(`HTML report written to ${options.html}\n`);
  }
  process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : `${renderText(result)}\n`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (isBenchError(error)) {
      process.stderr.write(`secondrow-bench: ${error.message}\n`);
      process.exitCode = error.code === 'INVALID_ARGUMENT' ? 2 : 1;
    } else {
      process.stderr.write(
        `secondrow-bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    }
  },
);
