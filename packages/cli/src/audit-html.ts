import { type FleetAudit, TIMELINE_BUCKETS } from './audit.js';
import { AUDIT_COLUMNS, durationText, percentText } from './audit-format.js';
import { isoTime } from './time-flag.js';

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c] as string);
}

const ROW_HEIGHT = 18;
const LABEL_WIDTH = 170;
const PLOT_WIDTH = 560;

/** Horizontal bars of each device's coverage, 0–100 %. */
function coverageChart(audit: FleetAudit): string {
  const height = audit.devices.length * ROW_HEIGHT + 24;
  const bars = audit.devices
    .map((a, i) => {
      const y = i * ROW_HEIGHT;
      const width = a.coverage * PLOT_WIDTH;
      return `<text x="${LABEL_WIDTH - 6}" y="${y + 13}" text-anchor="end">${esc(a.deviceId)}</text>
<rect class="bar" data-device="${esc(a.deviceId)}" x="${LABEL_WIDTH}" y="${y + 3}" width="${width.toFixed(2)}" height="${ROW_HEIGHT - 6}"><title>${esc(a.deviceId)}: ${percentText(a.coverage)}</title></rect>
<text x="${LABEL_WIDTH + width + 4}" y="${y + 13}">${percentText(a.coverage)}</text>`;
    })
    .join('\n');
  return `<svg class="chart" role="img" aria-label="coverage per device" viewBox="0 0 ${LABEL_WIDTH + PLOT_WIDTH + 80} ${height}" width="${LABEL_WIDTH + PLOT_WIDTH + 80}" height="${height}">
${bars}
<line x1="${LABEL_WIDTH}" x2="${LABEL_WIDTH}" y1="0" y2="${height - 20}" class="axis"/>
<text x="${LABEL_WIDTH}" y="${height - 4}">0 %</text><text x="${LABEL_WIDTH + PLOT_WIDTH}" y="${height - 4}" text-anchor="end">100 %</text>
</svg>`;
}

/** One strip per device over the range: each slice shaded by its covered fraction; red where nothing arrived. */
function timelineChart(audit: FleetAudit): string {
  const height = audit.devices.length * ROW_HEIGHT + 24;
  const cell = PLOT_WIDTH / TIMELINE_BUCKETS;
  const strips = audit.devices
    .map((a, i) => {
      const y = i * ROW_HEIGHT;
      const cells = a.timeline
        .map((f, b) => {
          const x = (LABEL_WIDTH + b * cell).toFixed(2);
          return f === 0
            ? `<rect class="hole" x="${x}" y="${y + 3}" width="${cell.toFixed(2)}" height="${ROW_HEIGHT - 6}"/>`
            : `<rect class="slice" x="${x}" y="${y + 3}" width="${cell.toFixed(2)}" height="${ROW_HEIGHT - 6}" fill-opacity="${f.toFixed(3)}"/>`;
        })
        .join('');
      return `<text x="${LABEL_WIDTH - 6}" y="${y + 13}" text-anchor="end">${esc(a.deviceId)}</text>${cells}`;
    })
    .join('\n');
  return `<svg class="chart" role="img" aria-label="coverage over time" viewBox="0 0 ${LABEL_WIDTH + PLOT_WIDTH + 80} ${height}" width="${LABEL_WIDTH + PLOT_WIDTH + 80}" height="${height}">
${strips}
<text x="${LABEL_WIDTH}" y="${height - 4}">${esc(isoTime(audit.fromMs))}</text><text x="${LABEL_WIDTH + PLOT_WIDTH}" y="${height - 4}" text-anchor="end">${esc(isoTime(audit.toMs))}</text>
</svg>`;
}

/** p50, p90 and p99 of "sample → first written" per device, on one linear scale. */
function latenessChart(audit: FleetAudit): string {
  const withTimes = audit.devices.filter((a) => a.lateness.sampleToFirstWrite !== null);
  if (withTimes.length === 0) return '<p>No row recorded when it was first written: no lateness to draw.</p>';
  const max = Math.max(1, ...withTimes.map((a) => a.lateness.sampleToFirstWrite?.p99 ?? 0));
  const height = withTimes.length * ROW_HEIGHT + 24;
  const marks = withTimes
    .map((a, i) => {
      const p = a.lateness.sampleToFirstWrite;
      if (p === null) return '';
      const y = i * ROW_HEIGHT;
      const x = (v: number): string => (LABEL_WIDTH + (Math.max(0, v) / max) * PLOT_WIDTH).toFixed(2);
      return `<text x="${LABEL_WIDTH - 6}" y="${y + 13}" text-anchor="end">${esc(a.deviceId)}</text>
<rect class="bar" x="${LABEL_WIDTH}" y="${y + 5}" width="${(Number(x(p.p90)) - LABEL_WIDTH).toFixed(2)}" height="${ROW_HEIGHT - 10}"><title>${esc(a.deviceId)}: p50 ${durationText(p.p50)}, p90 ${durationText(p.p90)}, p99 ${durationText(p.p99)}</title></rect>
<line class="p50" x1="${x(p.p50)}" x2="${x(p.p50)}" y1="${y + 2}" y2="${y + ROW_HEIGHT - 2}"/>
<line class="p99" x1="${x(p.p99)}" x2="${x(p.p99)}" y1="${y + 2}" y2="${y + ROW_HEIGHT - 2}"/>`;
    })
    .join('\n');
  return `<svg class="chart" role="img" aria-label="lateness per device" viewBox="0 0 ${LABEL_WIDTH + PLOT_WIDTH + 80} ${height}" width="${LABEL_WIDTH + PLOT_WIDTH + 80}" height="${height}">
${marks}
<text x="${LABEL_WIDTH}" y="${height - 4}">0</text><text x="${LABEL_WIDTH + PLOT_WIDTH}" y="${height - 4}" text-anchor="end">${esc(durationText(max))}</text>
</svg>`;
}

/**
 * The audit as one self-contained HTML page: the table of numbers (the text report's cells), coverage per
 * device, coverage over time and lateness as inline SVG. No script, stylesheet or font is fetched.
 *
 * @param audit - The fleet audit.
 * @returns The HTML document.
 */
export function renderAuditHtml(audit: FleetAudit): string {
  const header = AUDIT_COLUMNS.map((c) => `<th>${esc(c.title)}</th>`).join('');
  const row = (a: (typeof audit.devices)[number], fleet: boolean): string =>
    `<tr${fleet ? ' class="fleet"' : ''} data-device="${esc(a.deviceId)}">${AUDIT_COLUMNS.map(
      (c) => `<td data-key="${c.key}">${esc(c.cell(a))}</td>`,
    ).join('')}</tr>`;
  const title = `secondrow audit ${isoTime(audit.fromMs)} .. ${isoTime(audit.toMs)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 8px; border-bottom: 1px solid #ddd; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
tr.fleet td { font-weight: bold; border-top: 2px solid #888; }
svg.chart { display: block; margin: 0.5em 0 1.5em; font-size: 11px; }
svg .bar { fill: #3b7dd8; } svg .slice { fill: #3b7dd8; } svg .hole { fill: #d9534f; }
svg .axis { stroke: #888; } svg .p50 { stroke: #111; stroke-width: 2; } svg .p99 { stroke: #d9534f; stroke-width: 2; }
</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p>${audit.devices.length} device(s). Coverage: samples / (samples + missing slots at each device's nominal interval).
Gaps: more than 3 nominal intervals without a sample (the codec's rule). Lateness: per row, nearest-rank percentiles.</p>
<table>
<thead><tr>${header}</tr></thead>
<tbody>
${audit.devices.map((a) => row(a, false)).join('\n')}
${row(audit.total, true)}
</tbody>
</table>
<h2>Coverage per device</h2>
${coverageChart(audit)}
<h2>Coverage over time</h2>
<p>Each strip is one device, cut into ${TIMELINE_BUCKETS} equal slices of the range; red: no sample at all.</p>
${timelineChart(audit)}
<h2>Sample time → first written</h2>
<p>Bar to p90, black line p50, red line p99.</p>
${latenessChart(audit)}
<h2>Notes</h2>
<ul>${audit.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>
</body>
</html>
`;
}
