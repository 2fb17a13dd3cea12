import type { BenchResult } from '../results.js';
import { formatBytes, formatNumber, formatUsd, STRATEGY_COLUMNS, strategyCells } from './format.js';

/** A column of a text table: header, and right alignment for numbers. */
interface Column {
  header: string;
  right?: boolean;
}

/**
 * Renders rows as an aligned text table with a header rule.
 * @param columns Column headers; `right` aligns numbers.
 * @param rows Cells as strings, one array per row.
 */
export function textTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (columns[i]?.right === true ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((c) => c.header)),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(r)),
  ].join('\n');
}

/**
 * What a disagreement means: the codec's itemSize follows the sizes dynalite reproduces from DynamoDB, so a
 * difference points at an item shape the rules do not cover yet.
 */
export const DISAGREEMENT_NOTE =
  "  The codec's itemSize should size every item as DynamoDB (and dynalite) does: a difference means an item\n" +
  '  shape its rules do not cover yet. Please report it with the layout and the data used.';

/** Wraps text at spaces to lines of at most `width` characters, indenting continuation lines. */
function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = `  ${word}`;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}

/** The whole terminal report: data and assumptions, three tables, agreement notes, targets. */
export function renderTextReport(result: BenchResult): string {
  const { data, assumptions, prices } = result;
  const out: string[] = [];
  out.push(
    `secondrow bench: ${data.devices} device(s), ${data.samples.toLocaleString('en-US')} samples, ` +
      `${data.deviceSeconds.toLocaleString('en-US')} device-seconds with data (mean ${data.meanRateHz.toFixed(1)} Hz)`,
    `data: ${data.description}${data.kind === 'recordings' ? ` [${data.sources.join(', ')}]` : ''}`,
    '',
    'Layouts: size and capacity ("rules" = computed with the codec\'s itemSize/writeUnits; "dynalite" = ReturnConsumedCapacity)',
  );
  out.push(
    textTable(
      [
        { header: 'layout' },
        { header: 'B/sample', right: true },
        { header: 'mean item', right: true },
        { header: 'max item', right: true },
        { header: 'items/dev-h', right: true },
        { header: 'WRU/dev-s rules', right: true },
        { header: 'dynalite', right: true },
        { header: 'RRU/dev-h rules', right: true },
        { header: 'dynalite*', right: true },
        { header: 'storage/dev-day', right: true },
      ],
      result.layouts.map((l) => [
        l.layout,
        formatNumber(l.payloadBytesPerSample),
        `${formatNumber(l.meanItemBytes)} B`,
        `${formatNumber(l.maxItemBytes)} B`,
        formatNumber(l.itemsPerDeviceHour),
        formatNumber(l.wruPerDeviceSecond),
        formatNumber(l.wruPerDeviceSecondMeasured),
        formatNumber(l.rruPerDeviceHour),
        formatNumber(l.rruPerDeviceHourMeasured),
        formatBytes(l.storageBytesPerDeviceDay),
      ]),
    ),
  );
  out.push(
    '* one Query per device over the span written to dynalite, scaled to an hour (small spans round up to 4 KB',
    '  per page, so short spans read high); "rules" is one Query of a full device-hour.',
  );
  out.push(
    '',
    `Layouts: USD per device-month (on-demand), provisioned writes for a fleet of ${assumptions.fleet.toLocaleString('en-US')}, speed`,
  );
  out.push(
    textTable(
      [
        { header: 'layout' },
        { header: 'writes', right: true },
        { header: 'reads', right: true },
        { header: 'storage', right: true },
        { header: 'total', right: true },
        { header: 'prov. WCU', right: true },
        { header: 'prov. $/dev-mo', right: true },
        { header: 'encode ns/sample', right: true },
        { header: 'decode ns/sample', right: true },
      ],
      result.layouts.map((l) => [
        l.layout,
        formatUsd(l.usdPerDeviceMonth.writes),
        formatUsd(l.usdPerDeviceMonth.reads),
        formatUsd(l.usdPerDeviceMonth.storage),
        formatUsd(l.usdPerDeviceMonth.total),
        formatNumber(l.provisioned.wcu),
        formatUsd(l.provisioned.usdPerDeviceMonth),
        formatNumber(l.encodeNsPerSample),
        formatNumber(l.decodeNsPerSample),
      ]),
    ),
  );
  out.push(
    '',
    `Assumptions: device streams ${assumptions.activeHoursPerDay} h/day; ${assumptions.hoursPerMonth} h/month; ` +
      `storage = steady state of ${assumptions.retentionDays} days (TTL), 100 B/item overhead included;`,
    `  reads: ${assumptions.queryPattern};`,
    `  provisioned WCU = fleet x mean WRU/s / ${assumptions.provisionedTargetUtilization} target utilization, all devices streaming.`,
    `Prices (${prices.region}, checked ${prices.checked}): on-demand $${prices.onDemandWriteUsdPerMillion}/M WRU, ` +
      `$${prices.onDemandReadUsdPerMillion}/M RRU; storage $${prices.storageUsdPerGbMonth}/GB-month; ` +
      `provisioned $${prices.provisionedWcuUsdPerHour}/WCU-h, $${prices.provisionedRcuUsdPerHour}/RCU-h.`,
  );
  const disagree = result.layouts.filter((l) => !l.check.agree);
  out.push(
    '',
    disagree.length === 0
      ? `Computed and measured units agree for every layout (on the ${result.layouts
          .map((l) => l.check.itemsWritten)
          .reduce((a, b) => a + b, 0)
          .toLocaleString('en-US')} items written to dynalite).`
      : 'Computed and measured units DISAGREE for:',
  );
  for (const l of disagree) {
    out.push(
      `  ${l.layout}: writes ${l.check.writeUnitsComputed} by the rules vs ${l.check.writeUnitsMeasured} reported, ` +
        `reads ${l.check.readUnitsComputed} vs ${l.check.readUnitsMeasured} (${l.check.itemsWritten} items)`,
    );
  }
  if (disagree.length > 0) out.push(DISAGREEMENT_NOTE);
  if (result.strategies.length > 0) {
    out.push('', 'Write strategies against dynalite (in-process; throughput is relative, not AWS latency)');
    out.push(
      textTable(
        STRATEGY_COLUMNS.map((header, i) => ({ header, right: i >= 2 })),
        result.strategies.map(strategyCells),
      ),
    );
  }
  out.push(
    '',
    `Targets (the project's goals, stated for the real 50 Hz recordings; this run: ${data.meanRateHz.toFixed(1)} Hz)`,
  );
  out.push(
    textTable(
      [{ header: 'target' }, { header: 'wanted' }, { header: 'measured' }, { header: 'status' }],
      result.targets.map((t) => [t.name, t.target, t.measured, t.status]),
    ),
  );
  for (const t of result.targets)
    if (t.note !== undefined) out.push(wrap(`Note (${t.name}): ${t.note}`, 110));
  return out.join('\n');
}
