import { LINE_ITEM_KEYS, LINE_ITEM_LABELS, type LineItems, type PipelineCost } from '../pipeline-cost.js';
import type { LayoutInputs, RecordFigures } from '../pipeline-inputs.js';
import type { FleetSweep, PipelineResult } from '../pipeline-run.js';
import { formatBytes, formatNumber, formatUsd } from './format.js';
import { textTable } from './table.js';

/** What the model leaves out, printed with every report so a total is not read as the whole bill. */
export const NOT_INCLUDED =
  'CloudWatch Logs and metrics of the function, Lambda init (cold start) time, the device registry and ' +
  'quarantine tables, data transfer out of AWS, shard headroom above the binding limit, free tiers and volume tiers';

/** Service groups of the line items, as the configuration table sums them. */
export const SERVICE_GROUPS: readonly { service: string; keys: readonly (keyof LineItems)[] }[] = [
  {
    service: 'Kinesis',
    keys: [
      'kinesisShardHours',
      'kinesisPutUnits',
      'kinesisStreamHours',
      'kinesisDataIn',
      'kinesisDataOut',
      'kinesisRetention',
    ],
  },
  { service: 'IoT Core', keys: ['iotCore'] },
  { service: 'Lambda', keys: ['lambdaRequests', 'lambdaDuration'] },
  { service: 'DDB writes', keys: ['dynamodbWrites'] },
  { service: 'DDB reads', keys: ['dynamodbReads'] },
  { service: 'DDB storage', keys: ['dynamodbStorage'] },
  { service: 'SQS', keys: ['sqsOnFailure'] },
];

/** Sum of a group's line items, USD per device-month. */
export function groupUsd(cost: PipelineCost, keys: readonly (keyof LineItems)[]): number {
  return keys.reduce((sum, key) => sum + cost.usdPerDeviceMonth[key], 0);
}

/** `json-v1, 1 s rows, provisioned, direct` */
export function configName(cost: PipelineCost): string {
  const { config } = cost;
  const rows = config.layout === 'per-sample' ? 'item per sample' : `${windowOf(config.layout)} s rows`;
  return `${config.format}, ${rows}, ${config.stream}, ${config.ingest === 'kinesis' ? 'direct' : 'IoT ingest'}`;
}

/** Window seconds of a codec layout name (`per-second-avro` is 1). */
export function windowOf(layout: string): number {
  return layout === 'per-second-avro' ? 1 : Number(layout.replace('window-avro-', ''));
}

/** `$4.39 per device-month ($4,386 per fleet-month)` */
/**
 * One configuration's row of the side-by-side table (text and HTML): its name, USD per device-month by
 * service, the total per device- and fleet-month, and the provisioned shards (`-` on demand).
 */
export function configurationRow(cost: PipelineCost): string[] {
  return [
    configName(cost),
    ...SERVICE_GROUPS.map((g) => formatUsd(groupUsd(cost, g.keys))),
    formatUsd(cost.totalUsdPerDeviceMonth),
    formatUsd(cost.totalUsdPerFleetMonth),
    cost.config.stream === 'provisioned' ? String(cost.quantities.shards) : '-',
  ];
}

/** One producer format's row of the measured-records table (text and HTML). */
export function recordRow(r: RecordFigures): string[] {
  return [
    r.format,
    formatNumber(r.recordsPerDeviceSecond),
    formatNumber(r.meanRecordBytes),
    formatNumber(r.maxRecordBytes),
    formatNumber(r.putPayloadUnitsPerRecord),
    formatNumber(r.onDemandBilledBytesPerRecord / 1024),
  ];
}

/** One row layout's row of the measured-units table (text and HTML). */
export function layoutInputsRow(l: LayoutInputs): string[] {
  return [
    l.layout,
    formatNumber(l.itemWritesPerDeviceSecond),
    formatNumber(l.wruPerDeviceSecond),
    formatNumber(l.writePathRruPerDeviceSecond),
    formatNumber(l.rruPerDeviceHour),
    formatBytes(l.storageBytesPerDeviceDay),
  ];
}

function totals(cost: PipelineCost): string {
  return `${formatUsd(cost.totalUsdPerDeviceMonth)} per device-month (${formatUsd(cost.totalUsdPerFleetMonth)} per fleet-month)`;
}

/** Where provisioned beats on-demand in the sweep, as a sentence. */
export function sweepSentence(sweep: FleetSweep): string {
  const from = sweep.provisionedCheaperFrom;
  if (from === undefined) return 'On-demand is cheaper at the largest fleet of the sweep.';
  if (from === sweep.fleets[0]) return 'Provisioned is cheaper at every fleet size of the sweep.';
  return `Provisioned is cheaper from ${from.toLocaleString('en-US')} devices on; on-demand below.`;
}

/** Every line item of one configuration with the quantity behind it. */
export function lineItemTable(cost: PipelineCost): string {
  const q = cost.quantities;
  const why: Record<keyof LineItems, string> = {
    kinesisShardHours: `${q.shards} shard(s) for the fleet, bound by ${q.bindingLimit}`,
    kinesisPutUnits: `${formatNumber(q.recordsPerDeviceMonth)} records/device-month`,
    kinesisStreamHours: 'one stream for the fleet',
    kinesisDataIn: `${formatNumber(q.onDemandGbPerDeviceMonth)} GB/device-month`,
    kinesisDataOut: `${formatNumber(q.onDemandGbPerDeviceMonth)} GB/device-month read by Lambda`,
    kinesisRetention: 'retention beyond 24 h',
    iotCore: 'connectivity, rules and actions, 5 KB metering',
    lambdaRequests: `${formatNumber(q.invocationsPerDeviceMonth)} invocations/device-month, ${formatNumber(q.recordsPerInvocation)} records each`,
    lambdaDuration: `${formatNumber(q.billedMsPerInvocation)} ms billed per invocation`,
    dynamodbWrites: `${formatNumber(q.writeUnitsPerDeviceMonth)} write units/device-month`,
    dynamodbReads: `${formatNumber(q.readUnitsPerDeviceMonth)} read units/device-month`,
    dynamodbStorage: `${formatNumber(q.storedGbPerDevice)} GB kept per device`,
    sqsOnFailure: 'failed batches: send, receive, delete',
  };
  return textTable(
    [{ header: 'line item' }, { header: 'USD/device-month', right: true }, { header: 'from' }],
    LINE_ITEM_KEYS.filter((k) => cost.usdPerDeviceMonth[k] > 0).map((k) => [
      LINE_ITEM_LABELS[k],
      formatUsd(cost.usdPerDeviceMonth[k]),
      why[k],
    ]),
  );
}

/** The terminal report of `--pipeline`: what was measured, every configuration, the cheapest, the sweep, prices. */
export function renderPipelineText(result: PipelineResult): string {
  const { data, assumptions: a, measured, prices } = result;
  const out: string[] = [];
  out.push(
    `secondrow pipeline cost: ${a.fleet.toLocaleString('en-US')} devices streaming ${a.activeHoursPerDay} h/day, rows kept ${a.retentionDays} days (TTL)`,
    `data: ${data.description} (${data.samples.toLocaleString('en-US')} samples, ${data.meanRateHz.toFixed(1)} Hz)`,
    `measured here, load average ${result.loadAverage.map((l) => l.toFixed(2)).join(' ')}:`,
    '',
    'Producer records (one per 200-sample phone batch)',
    textTable(
      [
        { header: 'format' },
        { header: 'records/dev-s', right: true },
        { header: 'mean bytes', right: true },
        { header: 'max bytes', right: true },
        { header: 'PUT units/record', right: true },
        { header: 'on-demand KB/record', right: true },
      ],
      measured.records.map(recordRow),
    ),
    '',
    `DynamoDB per row layout (on dynalite; one writeMany per ${measured.flushSeconds} s phone flush)`,
    textTable(
      [
        { header: 'layout' },
        { header: 'item writes/dev-s', right: true },
        { header: 'WRU/dev-s', right: true },
        { header: 'merge RRU/dev-s', right: true },
        { header: 'RRU/dev-h Query', right: true },
        { header: 'storage/dev-day', right: true },
      ],
      measured.layouts.map(layoutInputsRow),
    ),
    '',
    'Handler CPU per record, ms (processBatch with a store that packs and encodes rows, no I/O; 2015: parse + one item per sample)',
    textTable(
      [{ header: 'format' }, { header: 'layout' }, { header: 'CPU ms/record', right: true }],
      measured.handler.map((h) => [h.format, h.layout, h.cpuMsPerRecord.toFixed(3)]),
    ),
    '',
    `Every configuration, USD per device-month (fleet of ${a.fleet.toLocaleString('en-US')})`,
    textTable(
      [
        { header: 'configuration' },
        ...SERVICE_GROUPS.map((g) => ({ header: g.service, right: true })),
        { header: 'total', right: true },
        { header: 'fleet-month', right: true },
        { header: 'shards', right: true },
      ],
      result.configurations.map(configurationRow),
    ),
    '',
    `Default deployment (${configName(result.defaultDeployment)}): ${totals(result.defaultDeployment)}`,
    lineItemTable(result.defaultDeployment),
    '',
    `2015 pipeline (${configName(result.pipeline2015)}): ${totals(result.pipeline2015)}`,
    lineItemTable(result.pipeline2015),
    '',
    `Cheapest for ${a.fleet.toLocaleString('en-US')} devices: ${configName(result.cheapest)}, ${totals(result.cheapest)};`,
    `  saves ${formatUsd(result.cheapestSaving.vsDefault.usdPerDeviceMonth)} per device-month (${(result.cheapestSaving.vsDefault.fraction * 100).toFixed(0)}%, ${formatUsd(result.cheapestSaving.vsDefault.usdPerFleetMonth)} per fleet-month) over the default deployment`,
    `  and ${formatUsd(result.cheapestSaving.vs2015.usdPerDeviceMonth)} per device-month (${(result.cheapestSaving.vs2015.fraction * 100).toFixed(1)}%) over the 2015 pipeline.`,
    result.nearCheapest.length === 0
      ? '  No other configuration comes within 1 % of it.'
      : `  Within 1 % of it: ${result.nearCheapest.map((c) => `${configName(c)} (${formatUsd(c.totalUsdPerDeviceMonth)})`).join('; ')}.`,
    `Without TTL, storage is not a steady state: the default rows add ${formatUsd(result.defaultDeployment.storageGrowthUsdPerDeviceMonthWithoutTtl)} per device to every later month's bill.`,
    '',
    `Provisioned vs on-demand, ${result.sweep.format} with ${windowOf(result.sweep.layout)} s rows, direct (total USD per device-month)`,
    textTable(
      [
        { header: 'fleet', right: true },
        { header: 'provisioned', right: true },
        { header: 'on-demand', right: true },
      ],
      result.sweep.fleets.map((f, i) => [
        f.toLocaleString('en-US'),
        formatUsd(result.sweep.provisioned[i]!),
        formatUsd(result.sweep.onDemand[i]!),
      ]),
    ),
    sweepSentence(result.sweep),
    '',
    `Assumptions: all devices stream at once; ${a.activeHoursPerDay} h/day, 730 h/month; stream retention ${a.streamRetentionHours} h;`,
    `  Lambda ${a.lambdaMemoryMb} MB ${prices.lambda.architecture}, batches of up to ${a.batchSize} records or ${a.batchingWindowSeconds} s per shard; billed time = measured CPU`,
    `  + ${a.dynamodbRoundTripMs} ms (assumed) per round of DynamoDB writes; ${a.failedBatchFraction} of batches (assumed) reach the on-failure queue;`,
    `  each device-hour read once by Query x ${a.readsPerDeviceHour}; on-demand streams polled on at least ${prices.kinesis.onDemandInitialShards} shards; free tiers ignored.`,
    `Not included: ${NOT_INCLUDED}.`,
    'Prices:',
    ...Object.entries(prices).map(
      ([name, sheet]) =>
        `  ${name}: ${(sheet as { region: string }).region}, checked ${(sheet as { checked: string }).checked} (${(sheet as { source: string }).source})`,
    ),
    `Generated ${result.generatedAt} in ${result.runtimeSeconds.toFixed(1)} s.`,
  );
  return out.join('\n');
}
