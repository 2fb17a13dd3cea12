import { formatNumber } from './format.js';

/** One bar of a {@link barChart}. */
export interface Bar {
  label: string;
  value: number;
  /** Fill colour (CSS). */
  color: string;
  /** Text printed after the bar instead of the formatted value. */
  valueLabel?: string;
}

/** Options of {@link barChart}. */
export interface BarChartOptions {
  /** Accessible name of the chart (the visible title sits in the page around it). */
  title: string;
  /** Axis label, with the unit. */
  axisLabel: string;
  /** Logarithmic value axis (for values spanning several decades). */
  log: boolean;
  bars: readonly Bar[];
  /** Width of the whole SVG, px. Default 860. */
  width?: number;
}

/** Escapes text for HTML and SVG content and attributes. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Tick values of a log axis: every power of ten in [lo, hi]. */
function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) ticks.push(10 ** e);
  return ticks;
}

/** About five round tick values of a linear axis from 0 to at least `hi`. */
function linearTicks(hi: number): number[] {
  const raw = hi / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = 0; v <= hi + step / 2; v += step) ticks.push(v);
  return ticks;
}

const tickText = (v: number): string =>
  v >= 1000 ? v.toLocaleString('en-US') : v < 1 ? String(+v.toPrecision(1)) : String(v);

/**
 * A horizontal bar chart as an inline SVG string: one labelled bar per entry, value axis with ticks and
 * grid lines at the bottom, the value written after each bar. Bars carry `class="bar"`.
 */
export function barChart(options: BarChartOptions): string {
  const width = options.width ?? 860;
  // About 7 px per character of 12 px system-ui text, so long "strategy / layout" labels are not clipped.
  const longest = Math.max(...options.bars.map((b) => b.label.length), 4);
  const labelWidth = Math.min(380, Math.max(120, Math.round(longest * 7 + 16)));
  const valueWidth = 110;
  const barHeight = 22;
  const gap = 8;
  const top = 10;
  const plotWidth = width - labelWidth - valueWidth;
  const plotHeight = options.bars.length * (barHeight + gap);
  const height = top + plotHeight + 50;
  const positive = options.bars.map((b) => b.value).filter((v) => v > 0);
  const max = Math.max(...positive, 1e-9);
  let ticks: number[];
  let x: (v: number) => number;
  if (options.log) {
    const lo = 10 ** Math.floor(Math.log10(Math.min(...positive, max)));
    const hi = 10 ** Math.ceil(Math.log10(max) + 1e-9);
    const span = Math.log10(hi) - Math.log10(lo) || 1;
    ticks = logTicks(lo, hi);
    // Bars start a little left of the lowest tick so the smallest value still shows as a bar.
    x = (v) => (Math.max(0, Math.log10(Math.max(v, lo)) - Math.log10(lo)) / span) * plotWidth;
  } else {
    ticks = linearTicks(max);
    const hi = ticks[ticks.length - 1] ?? max;
    x = (v) => (v / hi) * plotWidth;
  }
  const minBar = 3;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="${escapeXml(options.title)}" ` +
      `width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title>${escapeXml(options.title)}</title>`,
  );
  for (const t of ticks) {
    const tx = labelWidth + x(t);
    parts.push(
      `<line class="grid" x1="${tx.toFixed(1)}" y1="${top - 4}" x2="${tx.toFixed(1)}" y2="${top + plotHeight}" stroke="#ddd"/>`,
      `<text class="tick" x="${tx.toFixed(1)}" y="${top + plotHeight + 16}" text-anchor="middle" font-size="11" fill="#555">${tickText(t)}</text>`,
    );
  }
  options.bars.forEach((bar, i) => {
    const y = top + i * (barHeight + gap);
    const w = Math.max(minBar, x(bar.value));
    parts.push(
      `<text class="label" x="${labelWidth - 8}" y="${y + barHeight / 2 + 4}" text-anchor="end" font-size="12" fill="#222">${escapeXml(bar.label)}</text>`,
      `<rect class="bar" x="${labelWidth}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" fill="${bar.color}" rx="2">` +
        `<title>${escapeXml(`${bar.label}: ${bar.valueLabel ?? formatNumber(bar.value)}`)}</title></rect>`,
      `<text class="value" x="${(labelWidth + w + 6).toFixed(1)}" y="${y + barHeight / 2 + 4}" font-size="12" fill="#222">${escapeXml(bar.valueLabel ?? formatNumber(bar.value))}</text>`,
    );
  });
  parts.push(
    `<line x1="${labelWidth}" y1="${top + plotHeight}" x2="${labelWidth + plotWidth}" y2="${top + plotHeight}" stroke="#888"/>`,
    `<text class="axis-label" x="${labelWidth + plotWidth / 2}" y="${top + plotHeight + 38}" text-anchor="middle" font-size="12" fill="#333">${escapeXml(options.axisLabel)}${options.log ? ' (log scale)' : ''}</text>`,
    '</svg>',
  );
  return parts.join('\n');
}
