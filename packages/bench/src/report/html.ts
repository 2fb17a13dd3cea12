import type { BenchResult, LayoutResult } from '../results.js';
import { formatBytes, formatNumber, formatUsd, STRATEGY_COLUMNS, strategyCells } from './format.js';
import { section, table } from './html-blocks.js';
import { barChart, escapeXml } from './svg-chart.js';

/** Colour of a layout family, so the same family looks the same in every chart. */
export function layoutColor(layout: string): string {
  if (layout.startsWith('per-sample')) return '#c0392b';
  if (layout.startsWith('window-avro')) return '#009e73';
  if (layout === 'per-second-avro') return '#0072b2';
  return '#e69f00';
}

/**
 * Colour of each write strategy in the throughput chart. None is a layout colour: there, colour means the
 * strategy, and a shared colour would read as a layout family.
 */
export const STRATEGY_COLORS: Readonly<Record<string, string>> = Object.freeze({
  'put-sequential': '#882255',
  'put-concurrent-8': '#cc79a7',
  'batch-write': '#999933',
  'sample-store': '#332288',
  'sample-store-per-batch': '#88ccee',
});

/** Colour of a strategy without its own (grey). */
const OTHER_STRATEGY_COLOR = '#777777';

/** A legend of coloured swatches. */
function legendOf(entries: readonly (readonly [color: string, text: string])[], className: string): string {
  return `<p class="legend ${className}">${entries
    .map(
      ([color, text]) =>
        `<span class="key"><span class="swatch" style="background:${color}"></span>${escapeXml(text)}</span>`,
    )
    .join(' ')}</p>`;
}

function ratioSentence(layouts: readonly LayoutResult[]): string {
  const perSample = layouts.find((l) => l.layout === 'per-sample');
  const perSecond = layouts.find((l) => l.layout === 'per-second-avro');
  if (perSample === undefined || perSecond === undefined) return '';
  const ratio = perSample.wruPerDeviceSecondMeasured / perSecond.wruPerDeviceSecondMeasured;
  return ` Storing one item per sample costs <strong>${ratio.toFixed(0)} times</strong> the write units of the codec's one row per second.`;
}

function disagreementParagraph(layouts: readonly LayoutResult[]): string {
  const disagree = layouts.filter((l) => !l.check.agree);
  if (disagree.length === 0) {
    return '<p class="explain">For every layout, the write and read units computed by the rules equal those dynalite reported for the same items.</p>';
  }
  const list = disagree
    .map(
      (l) =>
        `${escapeXml(l.layout)} (writes ${l.check.writeUnitsComputed} by the rules vs ${l.check.writeUnitsMeasured} reported, reads ${l.check.readUnitsComputed} vs ${l.check.readUnitsMeasured})`,
    )
    .join('; ');
  return `<p class="explain"><strong>Computed and measured units disagree</strong> for ${list}. The codec's itemSize should size every item as DynamoDB (and dynalite) does: a difference means an item shape its rules do not cover yet.</p>`;
}

/**
 * A self-contained HTML report (no scripts, no external resources): charts drawn as inline SVG, then the
 * tables behind them, the assumptions and the prices.
 */
export function renderHtmlReport(result: BenchResult): string {
  const { data, assumptions, prices } = result;
  const wruChart = barChart({
    title: 'Write units per device-second, by layout',
    axisLabel: 'write request units per device-second (measured on dynalite)',
    log: true,
    bars: result.layouts.map((l) => ({
      label: l.layout,
      value: l.wruPerDeviceSecondMeasured,
      color: layoutColor(l.layout),
    })),
  });
  const usdChart = barChart({
    title: 'Dollars per device-month, by layout',
    axisLabel: 'USD per device-month, on-demand (writes + reads + storage)',
    log: true,
    bars: result.layouts.map((l) => ({
      label: l.layout,
      value: l.usdPerDeviceMonth.total,
      color: layoutColor(l.layout),
      valueLabel: formatUsd(l.usdPerDeviceMonth.total),
    })),
  });
  const throughputChart =
    result.strategies.length === 0
      ? '<p>No write strategies were run (--no-strategies).</p>'
      : barChart({
          title: 'Write throughput by strategy and layout',
          axisLabel: 'samples stored per second against dynalite',
          log: true,
          bars: result.strategies.map((s) => ({
            label: `${s.strategy} / ${s.layout}`,
            value: s.samplesPerSecond,
            color: STRATEGY_COLORS[s.strategy] ?? OTHER_STRATEGY_COLOR,
          })),
        });

  const sizeRows = result.layouts.map((l) => [
    l.layout,
    formatNumber(l.payloadBytesPerSample),
    formatNumber(l.meanItemBytes),
    formatNumber(l.maxItemBytes),
    formatNumber(l.itemsPerDeviceHour),
    formatNumber(l.wruPerDeviceSecond),
    formatNumber(l.wruPerDeviceSecondMeasured),
    formatNumber(l.rruPerDeviceHour),
    formatBytes(l.storageBytesPerDeviceDay),
  ]);
  const moneyRows = result.layouts.map((l) => [
    l.layout,
    formatUsd(l.usdPerDeviceMonth.writes),
    formatUsd(l.usdPerDeviceMonth.reads),
    formatUsd(l.usdPerDeviceMonth.storage),
    formatUsd(l.usdPerDeviceMonth.total),
    formatNumber(l.encodeNsPerSample),
    formatNumber(l.decodeNsPerSample),
  ]);
  const strategyNames = [...new Set(result.strategies.map((s) => s.strategy))];
  const throughputLegend = legendOf(
    strategyNames.map((name) => [STRATEGY_COLORS[name] ?? OTHER_STRATEGY_COLOR, name] as const),
    'strategies',
  );
  const strategyRows = result.strategies.map(strategyCells);
  const legend = [
    ['#c0392b', 'one item per sample'],
    ['#e69f00', 'one item per second without the codec'],
    ['#0072b2', "the codec's row per second"],
    ['#009e73', "the codec's row, longer windows"],
  ]
    .map(
      ([color, text]) =>
        `<span class="key"><span class="swatch" style="background:${color}"></span>${text}</span>`,
    )
    .join(' ');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>secondrow bench: DynamoDB layouts for sensor data</title>
<style>
body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2.2rem; }
.explain { max-width: 60rem; line-height: 1.45; }
.scroll { max-width: 100%; overflow-x: auto; }
svg.chart { max-width: 100%; height: auto; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.8rem 0; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.5rem; text-align: right; white-space: nowrap; }
th:first-child, td:first-child, table.strategies th:nth-child(2), table.strategies td:nth-child(2) { text-align: left; }
th:first-child, td:first-child { position: sticky; left: 0; background: #fff; }
.key { margin-right: 1.2rem; font-size: 0.9rem; } .swatch { display: inline-block; width: 0.9rem; height: 0.9rem; margin-right: 0.3rem; vertical-align: -0.1rem; }
.met { color: #1a7f37; } .missed { color: #c0392b; font-weight: bold; }
.small { font-size: 0.85rem; color: #555; }
td.note { text-align: left; white-space: normal; color: #555; max-width: 60rem; }
</style>
</head>
<body>
<h1>Storing wrist accelerometer data in DynamoDB: what each layout costs</h1>
<p class="explain">Data: ${escapeXml(data.kind === 'recordings' ? `${data.sources.join(', ')} (real recordings)` : data.description)},
${data.samples.toLocaleString('en-US')} samples over ${data.deviceSeconds.toLocaleString('en-US')} device-seconds (${data.meanRateHz.toFixed(1)} Hz on average).
DynamoDB bills every write by started kilobyte of the item, so the number of items, not the number of bytes, drives the bill.${ratioSentence(result.layouts)}</p>
<p>${legend}</p>
${section(
  'Write cost: write units per device-second',
  'Each bar is what one device streaming for one second costs in write request units, as dynalite reported with ReturnConsumedCapacity (the rules give the same numbers unless noted below). Shorter is cheaper; the scale is logarithmic, so each grid line is ten times the previous one.',
  wruChart,
)}
${section(
  'Money: dollars per device-month',
  `Each bar is the on-demand bill for one device for a month: writes, plus reads (${escapeXml(assumptions.queryPattern)}), plus storage kept ${assumptions.retentionDays} days. Logarithmic scale. Prices: ${escapeXml(prices.region)}, checked ${escapeXml(prices.checked)}.`,
  usdChart,
)}
${section(
  'Write throughput by strategy',
  'Each bar is how many samples per second one writer stored in a local in-process DynamoDB (dynalite) with that strategy and layout. Colour here means the strategy, not the layout family. Longer is faster; logarithmic scale. Local numbers compare strategies with each other; they are not AWS latencies.',
  result.strategies.length === 0 ? throughputChart : `${throughputLegend}${throughputChart}`,
)}
${section(
  'All layout figures: size and capacity',
  "B/sample counts only the attributes that carry samples; item sizes follow DynamoDB's rules; storage includes the 100-byte per-item overhead.",
  table(
    [
      'layout',
      'B/sample',
      'mean item B',
      'max item B',
      'items/dev-h',
      'WRU/dev-s rules',
      'WRU/dev-s dynalite',
      'RRU/dev-h',
      'storage/dev-day',
    ],
    sizeRows,
    'layout-sizes',
  ),
)}
${section(
  'All layout figures: dollars and speed',
  `USD per device-month, on-demand, with the assumptions below; encode and decode time per sample on this machine.`,
  table(
    ['layout', '$ writes', '$ reads', '$ storage', '$ total', 'encode ns/sample', 'decode ns/sample'],
    moneyRows,
    'layout-money',
  ),
)}
${disagreementParagraph(result.layouts)}
${result.strategies.length === 0 ? '' : section('All strategy runs', 'Units as DynamoDB reported them (SampleStore: as it reports them, merges of split seconds included).', table([...STRATEGY_COLUMNS], strategyRows, 'strategies'))}
${section(
  'Targets',
  "The project's goals for this benchmark, stated for the real 50 Hz recordings.",
  `<table><thead><tr><th>target</th><th>wanted</th><th>measured</th><th>status</th></tr></thead><tbody>${result.targets
    .map(
      (t) =>
        `<tr><td>${escapeXml(t.name)}</td><td>${escapeXml(t.target)}</td><td>${escapeXml(t.measured)}</td><td class="${t.status}">${t.status}</td></tr>` +
        (t.note === undefined ? '' : `<tr><td colspan="4" class="note">${escapeXml(t.note)}</td></tr>`),
    )
    .join('')}</tbody></table>`,
)}
<p class="small">Assumptions: a device streams ${assumptions.activeHoursPerDay} h/day; ${assumptions.hoursPerMonth} h per month; storage is the steady state of ${assumptions.retentionDays} days; provisioned capacity for ${assumptions.fleet.toLocaleString('en-US')} devices at ${assumptions.provisionedTargetUtilization} target utilization.
Prices: on-demand $${prices.onDemandWriteUsdPerMillion} per million WRU, $${prices.onDemandReadUsdPerMillion} per million RRU, storage $${prices.storageUsdPerGbMonth}/GB-month, provisioned $${prices.provisionedWcuUsdPerHour}/WCU-hour and $${prices.provisionedRcuUsdPerHour}/RCU-hour (${escapeXml(prices.source)}).
Generated ${escapeXml(result.generatedAt)} in ${result.runtimeSeconds.toFixed(1)} s. Bundled recording: Matey-Sanz, Casteleyn &amp; Granell (2023), CC BY 4.0.</p>
</body>
</html>
`;
}
