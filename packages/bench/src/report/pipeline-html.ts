import { LINE_ITEM_KEYS, LINE_ITEM_LABELS, type LineItemKey, type PipelineCost } from '../pipeline-cost.js';
import { type PipelineResult, sameConfig } from '../pipeline-run.js';
import { formatUsd } from './format.js';
import { section, table } from './html-blocks.js';
import {
  configName,
  configurationRow,
  layoutInputsRow,
  NOT_INCLUDED,
  recordRow,
  SERVICE_GROUPS,
  sweepSentence,
  windowOf,
} from './pipeline-text.js';
import { escapeXml, lineChart, stackedBarChart } from './svg-chart.js';

/** Colour of each line item: blues for Kinesis, purple for IoT Core, oranges for Lambda, greens for DynamoDB, red for SQS. */
export const LINE_ITEM_COLORS: Readonly<Record<LineItemKey, string>> = Object.freeze({
  kinesisShardHours: '#08306b',
  kinesisPutUnits: '#2171b5',
  kinesisStreamHours: '#4292c6',
  kinesisDataIn: '#6baed6',
  kinesisDataOut: '#9ecae1',
  kinesisRetention: '#c6dbef',
  iotCore: '#6a3d9a',
  lambdaRequests: '#e6550d',
  lambdaDuration: '#fdae6b',
  dynamodbWrites: '#006d2c',
  dynamodbReads: '#41ab5d',
  dynamodbStorage: '#a1d99b',
  sqsOnFailure: '#d62728',
});

/** Colours of the sweep's two series. */
export const SWEEP_COLORS = { provisioned: '#08306b', onDemand: '#e6550d' } as const;

function lineItemRows(cost: PipelineCost): string[][] {
  return LINE_ITEM_KEYS.filter((k) => cost.usdPerDeviceMonth[k] > 0).map((k) => [
    LINE_ITEM_LABELS[k],
    formatUsd(cost.usdPerDeviceMonth[k]),
    formatUsd((cost.usdPerDeviceMonth[k] * cost.totalUsdPerFleetMonth) / cost.totalUsdPerDeviceMonth),
  ]);
}

/**
 * The self-contained HTML report of `--pipeline` (no scripts, no external resources): a stacked bar of the
 * line items per configuration, the fleet-size sweep of provisioned vs on-demand, the tables behind them,
 * what was measured, the assumptions and the dated prices.
 */
export function renderPipelineHtml(result: PipelineResult): string {
  const { assumptions: a, measured, prices, data } = result;
  const marked = [result.defaultDeployment, result.pipeline2015, result.cheapest];
  const legend = LINE_ITEM_KEYS.map(
    (k) =>
      `<span class="key" data-key="${k}"><span class="swatch" style="background:${LINE_ITEM_COLORS[k]}"></span>${escapeXml(LINE_ITEM_LABELS[k])}</span>`,
  ).join(' ');
  // The 2015 items cost tens of times more than any row layout: on one linear axis the other bars would
  // be slivers, so the 2015 pipeline gets its own chart.
  const stackedOf = (title: string, costs: readonly PipelineCost[]): string =>
    stackedBarChart({
      title,
      axisLabel: `USD per device-month, fleet of ${a.fleet.toLocaleString('en-US')}`,
      bars: costs.map((c) => ({
        label: configName(c),
        highlight: marked.some((m) => sameConfig(m.config, c.config)),
        valueLabel: formatUsd(c.totalUsdPerDeviceMonth),
        segments: LINE_ITEM_KEYS.map((k) => ({
          key: k,
          label: LINE_ITEM_LABELS[k],
          value: c.usdPerDeviceMonth[k],
          color: LINE_ITEM_COLORS[k],
        })),
      })),
    });
  const is2015 = (c: PipelineCost): boolean => c.config.layout === 'per-sample';
  const stacked =
    stackedOf(
      'USD per device-month of the secondrow configurations, stacked by line item',
      result.configurations.filter((c) => !is2015(c)),
    ) +
    `<h3>The 2015 pipeline (one item per sample), on its own scale</h3>` +
    stackedOf(
      'USD per device-month of the 2015 pipeline, stacked by line item',
      result.configurations.filter(is2015),
    );
  const { sweep } = result;
  const sweepChart = lineChart({
    title: 'Provisioned vs on-demand stream by fleet size',
    xLabel: 'devices streaming at once',
    yLabel: 'USD per device-month',
    xs: sweep.fleets,
    series: [
      { label: 'provisioned', color: SWEEP_COLORS.provisioned, values: sweep.provisioned },
      { label: 'on-demand', color: SWEEP_COLORS.onDemand, values: sweep.onDemand },
    ],
    marker:
      sweep.provisionedCheaperFrom === undefined || sweep.provisionedCheaperFrom === sweep.fleets[0]
        ? undefined
        : {
            x: sweep.provisionedCheaperFrom,
            label: `provisioned cheaper from ${sweep.provisionedCheaperFrom.toLocaleString('en-US')}`,
          },
  });
  const s = result.cheapestSaving;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>secondrow bench: what the whole pipeline costs</title>
<style>
body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 2rem auto; max-width: 1240px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2.2rem; } h3 { font-size: 1rem; margin-top: 1.4rem; }
.explain { max-width: 60rem; line-height: 1.45; }
.scroll { max-width: 100%; overflow-x: auto; }
svg.chart { max-width: 100%; height: auto; }
table { border-collapse: collapse; font-size: 0.8rem; margin: 0.8rem 0; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.45rem; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; position: sticky; left: 0; background: #fff; }
.key { margin-right: 1rem; font-size: 0.85rem; white-space: nowrap; display: inline-block; } .swatch { display: inline-block; width: 0.9rem; height: 0.9rem; margin-right: 0.3rem; vertical-align: -0.1rem; }
.small { font-size: 0.85rem; color: #555; }
.headline { font-size: 1.05rem; }
</style>
</head>
<body>
<h1>What the whole pipeline costs, by design choice</h1>
<p class="explain headline">For ${a.fleet.toLocaleString('en-US')} devices streaming ${a.activeHoursPerDay} h a day and rows kept ${a.retentionDays} days:
the default deployment (${escapeXml(configName(result.defaultDeployment))}) costs <strong>${formatUsd(result.defaultDeployment.totalUsdPerDeviceMonth)}</strong> per device-month,
the 2015 pipeline (${escapeXml(configName(result.pipeline2015))}) <strong>${formatUsd(result.pipeline2015.totalUsdPerDeviceMonth)}</strong>.
The cheapest configuration is <strong class="cheapest">${escapeXml(configName(result.cheapest))}</strong> at ${formatUsd(result.cheapest.totalUsdPerDeviceMonth)}:
${formatUsd(s.vsDefault.usdPerDeviceMonth)} per device-month (${(s.vsDefault.fraction * 100).toFixed(0)}%, ${formatUsd(s.vsDefault.usdPerFleetMonth)} per fleet-month) less than the default deployment.${
    result.nearCheapest.length === 0
      ? ''
      : ` Within 1 % of it: ${result.nearCheapest.map((c) => `${escapeXml(configName(c))} (${formatUsd(c.totalUsdPerDeviceMonth)})`).join('; ')}.`
  }</p>
<p class="explain">Data measured: ${escapeXml(data.description)} (${data.samples.toLocaleString('en-US')} samples, ${data.meanRateHz.toFixed(1)} Hz). Record bytes, handler CPU time per record, DynamoDB write and read units and storage are measured on this machine (load average ${result.loadAverage.map((l) => l.toFixed(2)).join(' ')}); everything else comes from the dated price sheets below.</p>
${section(
  'Every configuration, stacked by line item',
  'Each bar is one device-month of the whole pipeline: Kinesis (blues), IoT Core (purple), Lambda (oranges), DynamoDB (greens), the on-failure queue (red). Bold: the default deployment, the 2015 pipeline and the cheapest. IoT ingest: MQTT to an IoT Core Basic Ingest rule that puts each message into the stream. Linear scales; the 2015 pipeline has its own below.',
  `<p class="legend">${legend}</p>${stacked}`,
)}
${section(
  'Provisioned or on-demand: by fleet size',
  `Total per device-month of ${escapeXml(sweep.format)} with ${windowOf(sweep.layout)} s rows sent straight to Kinesis. A provisioned stream bills shard-hours (and extended retention per shard) whatever the traffic; an on-demand stream bills a stream-hour plus every GB in and out. ${sweepSentence(sweep)}`,
  sweepChart,
)}
${section(
  'All configurations',
  'USD per device-month by service; fleet-month is the whole fleet.',
  table(
    ['configuration', ...SERVICE_GROUPS.map((g) => g.service), 'total', 'fleet-month', 'shards'],
    result.configurations.map(configurationRow),
    'configurations',
  ),
)}
${section(
  'Line items of the default deployment',
  escapeXml(configName(result.defaultDeployment)),
  table(['line item', 'USD/device-month', 'USD/fleet-month'], lineItemRows(result.defaultDeployment)),
)}
${section(
  'Line items of the 2015 pipeline',
  escapeXml(configName(result.pipeline2015)),
  table(['line item', 'USD/device-month', 'USD/fleet-month'], lineItemRows(result.pipeline2015)),
)}
${section(
  'Measured here',
  `Producer records are one per 200-sample phone batch. DynamoDB units come from dynalite: one PutItem per sample for the 2015 items, SampleStore.writeMany once per ${measured.flushSeconds} s phone flush for the codec's rows (merges of rows split between flushes included). Handler CPU is the consumer's processBatch with a store that packs and encodes rows and sends nothing.`,
  table(
    ['format', 'records/dev-s', 'mean bytes', 'max bytes', 'PUT units/record', 'on-demand KB/record'],
    measured.records.map(recordRow),
  ) +
    table(
      ['layout', 'item writes/dev-s', 'WRU/dev-s', 'merge RRU/dev-s', 'RRU/dev-h Query', 'storage/dev-day'],
      measured.layouts.map(layoutInputsRow),
    ) +
    table(
      ['format', 'layout', 'handler CPU ms/record'],
      measured.handler.map((h) => [h.format, h.layout, h.cpuMsPerRecord.toFixed(3)]),
    ),
)}
<p class="small">Assumptions: all devices stream at once, ${a.activeHoursPerDay} h/day, 730 h/month; stream retention ${a.streamRetentionHours} h; Lambda ${a.lambdaMemoryMb} MB ${escapeXml(prices.lambda.architecture)}, batches of up to ${a.batchSize} records or ${a.batchingWindowSeconds} s per shard, billed time = measured CPU + ${a.dynamodbRoundTripMs} ms (assumed) per round of DynamoDB writes; ${a.failedBatchFraction} of batches (assumed) reach the on-failure queue; each device-hour read ${a.readsPerDeviceHour} time(s) by Query; free tiers ignored.
Not included: ${escapeXml(NOT_INCLUDED)}.
Without TTL the storage line grows every month: the default rows add ${formatUsd(result.defaultDeployment.storageGrowthUsdPerDeviceMonthWithoutTtl)} per device each month.</p>
<p class="small">Prices: ${Object.entries(prices)
    .map(
      ([name, sheet]) =>
        `${escapeXml(name)} ${escapeXml((sheet as { region: string }).region)}, checked ${escapeXml((sheet as { checked: string }).checked)} (${escapeXml((sheet as { source: string }).source)})`,
    )
    .join('; ')}.
Generated ${escapeXml(result.generatedAt)} in ${result.runtimeSeconds.toFixed(1)} s by <code>pnpm bench --pipeline</code>.</p>
</body>
</html>
`;
}
