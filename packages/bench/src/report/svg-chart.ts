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

/** The opening `<svg>` element of a chart and its `<title>`, as the first parts of the chart's markup. */
function svgOpening(className: string, title: string, width: number, height: number): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="${className}" role="img" aria-label="${escapeXml(title)}" ` +
      `width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title>${escapeXml(title)}</title>`,
  ];
}

/** A vertical grid line and its label under the plot for each tick, at x = `at(tick)` px. */
function verticalGrid(
  ticks: readonly number[],
  at: (tick: number) => number,
  top: number,
  plotHeight: number,
): string[] {
  return ticks.flatMap((t) => {
    const tx = at(t).toFixed(1);
    return [
      `<line class="grid" x1="${tx}" y1="${top - 4}" x2="${tx}" y2="${top + plotHeight}" stroke="#ddd"/>`,
      `<text class="tick" x="${tx}" y="${top + plotHeight + 16}" text-anchor="middle" font-size="11" fill="#555">${tickText(t)}</text>`,
    ];
  });
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
  const parts = svgOpening('chart', options.title, width, height);
  parts.push(...verticalGrid(ticks, (t) => labelWidth + x(t), top, plotHeight));
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

/** One coloured part of a stacked bar. */
export interface Segment {
  /** Key of the part (a line item), written to `data-key`. */
  key: string;
  /** What the part is, for its tooltip. */
  label: string;
  value: number;
  color: string;
}

/** One bar of a {@link stackedBarChart}. */
export interface StackedBar {
  label: string;
  segments: readonly Segment[];
  /** Text printed after the bar instead of the formatted total. */
  valueLabel?: string;
  /** Draw the label in bold (the configurations the text points at). */
  highlight?: boolean;
}

/**
 * A horizontal stacked bar chart on a linear axis as an inline SVG string: one bar per entry made of
 * `rect.segment` parts (zero parts are left out), the total written after it.
 */
export function stackedBarChart(options: {
  title: string;
  axisLabel: string;
  bars: readonly StackedBar[];
  width?: number;
}): string {
  const width = options.width ?? 1000;
  const longest = Math.max(...options.bars.map((b) => b.label.length), 4);
  const labelWidth = Math.min(420, Math.max(120, Math.round(longest * 7 + 16)));
  const valueWidth = 80;
  const barHeight = 16;
  const gap = 6;
  const top = 10;
  const plotWidth = width - labelWidth - valueWidth;
  const plotHeight = options.bars.length * (barHeight + gap);
  const height = top + plotHeight + 50;
  const totals = options.bars.map((b) => b.segments.reduce((n, s) => n + Math.max(0, s.value), 0));
  const max = Math.max(...totals, 1e-9);
  const ticks = linearTicks(max);
  // The axis must reach the longest bar, or its end and total would run off the plot.
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : max;
  while ((ticks[ticks.length - 1] ?? 0) < max) ticks.push((ticks[ticks.length - 1] ?? 0) + step);
  const hi = ticks[ticks.length - 1] ?? 1;
  const x = (v: number): number => (v / hi) * plotWidth;
  const parts = svgOpening('chart stacked', options.title, width, height);
  parts.push(...verticalGrid(ticks, (t) => labelWidth + x(t), top, plotHeight));
  options.bars.forEach((bar, i) => {
    const y = top + i * (barHeight + gap);
    parts.push(
      `<g class="stack" data-label="${escapeXml(bar.label)}">`,
      `<text class="label" x="${labelWidth - 8}" y="${y + barHeight / 2 + 4}" text-anchor="end" font-size="12" fill="#222"${bar.highlight === true ? ' font-weight="bold"' : ''}>${escapeXml(bar.label)}</text>`,
    );
    let at = 0;
    for (const s of bar.segments) {
      if (!(s.value > 0)) continue;
      const w = x(s.value);
      parts.push(
        `<rect class="segment" data-key="${escapeXml(s.key)}" x="${(labelWidth + x(at)).toFixed(2)}" y="${y}" width="${Math.max(0.5, w).toFixed(2)}" height="${barHeight}" fill="${s.color}">` +
          `<title>${escapeXml(`${bar.label}: ${s.label} ${formatNumber(s.value)}`)}</title></rect>`,
      );
      at += s.value;
    }
    parts.push(
      `<text class="value" x="${(labelWidth + x(at) + 6).toFixed(1)}" y="${y + barHeight / 2 + 4}" font-size="12" fill="#222">${escapeXml(bar.valueLabel ?? formatNumber(at))}</text>`,
      '</g>',
    );
  });
  parts.push(
    `<line x1="${labelWidth}" y1="${top + plotHeight}" x2="${labelWidth + plotWidth}" y2="${top + plotHeight}" stroke="#888"/>`,
    `<text class="axis-label" x="${labelWidth + plotWidth / 2}" y="${top + plotHeight + 38}" text-anchor="middle" font-size="12" fill="#333">${escapeXml(options.axisLabel)}</text>`,
    '</svg>',
  );
  return parts.join('\n');
}

/** One line of a {@link lineChart}. */
export interface Series {
  label: string;
  color: string;
  /** y values, one per x of the chart. */
  values: readonly number[];
}

/**
 * A line chart on log-log axes as an inline SVG string: one `polyline.series` per series with a
 * `circle.point` per value, a legend in the top right corner, and an optional marked x (`line.marker`).
 */
export function lineChart(options: {
  title: string;
  xLabel: string;
  yLabel: string;
  xs: readonly number[];
  series: readonly Series[];
  marker?: { x: number; label: string } | undefined;
  width?: number;
}): string {
  const width = options.width ?? 860;
  const height = 360;
  const left = 70;
  const right = 50;
  const top = 20;
  const bottom = 60;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const ys = options.series.flatMap((s) => s.values).filter((v) => v > 0);
  const yLo = 10 ** Math.floor(Math.log10(Math.min(...ys)));
  const yHi = 10 ** Math.ceil(Math.log10(Math.max(...ys)) + 1e-9);
  const xLo = Math.min(...options.xs);
  const xHi = Math.max(...options.xs);
  const lx = (v: number): number =>
    left + ((Math.log10(v) - Math.log10(xLo)) / (Math.log10(xHi) - Math.log10(xLo) || 1)) * plotWidth;
  const ly = (v: number): number =>
    top +
    plotHeight -
    ((Math.log10(Math.max(v, yLo)) - Math.log10(yLo)) / (Math.log10(yHi) - Math.log10(yLo) || 1)) *
      plotHeight;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart line" role="img" aria-label="${escapeXml(options.title)}" ` +
      `width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title>${escapeXml(options.title)}</title>`,
  ];
  for (const t of logTicks(yLo, yHi)) {
    parts.push(
      `<line class="grid" x1="${left}" y1="${ly(t).toFixed(1)}" x2="${left + plotWidth}" y2="${ly(t).toFixed(1)}" stroke="#ddd"/>`,
      `<text class="tick" x="${left - 6}" y="${(ly(t) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#555">${tickText(t)}</text>`,
    );
  }
  for (const t of options.xs) {
    parts.push(
      `<text class="tick" x="${lx(t).toFixed(1)}" y="${top + plotHeight + 16}" text-anchor="middle" font-size="11" fill="#555">${tickText(t)}</text>`,
    );
  }
  if (options.marker !== undefined) {
    const mx = lx(options.marker.x);
    parts.push(
      `<line class="marker" x1="${mx.toFixed(1)}" y1="${top}" x2="${mx.toFixed(1)}" y2="${top + plotHeight}" stroke="#444" stroke-dasharray="4 3"/>`,
      `<text x="${(mx + 4).toFixed(1)}" y="${top + 12}" font-size="11" fill="#444">${escapeXml(options.marker.label)}</text>`,
    );
  }
  options.series.forEach((s, i) => {
    const points = s.values.map((v, j) => `${lx(options.xs[j]!).toFixed(1)},${ly(v).toFixed(1)}`);
    parts.push(
      `<polyline class="series" data-label="${escapeXml(s.label)}" points="${points.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2"/>`,
      ...s.values.map(
        (v, j) =>
          `<circle class="point" cx="${lx(options.xs[j]!).toFixed(1)}" cy="${ly(v).toFixed(1)}" r="3" fill="${s.color}"><title>${escapeXml(`${s.label}, ${tickText(options.xs[j]!)}: ${formatNumber(v)}`)}</title></circle>`,
      ),
      `<rect class="legend-swatch" x="${left + plotWidth - 170}" y="${top + 8 + i * 18}" width="12" height="12" fill="${s.color}"/>`,
      `<text class="legend" x="${left + plotWidth - 152}" y="${top + 18 + i * 18}" font-size="12" fill="#222">${escapeXml(s.label)}</text>`,
    );
  });
  parts.push(
    `<line x1="${left}" y1="${top + plotHeight}" x2="${left + plotWidth}" y2="${top + plotHeight}" stroke="#888"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotHeight}" stroke="#888"/>`,
    `<text class="axis-label" x="${left + plotWidth / 2}" y="${top + plotHeight + 40}" text-anchor="middle" font-size="12" fill="#333">${escapeXml(options.xLabel)} (log scale)</text>`,
    `<text class="axis-label" transform="translate(16 ${top + plotHeight / 2}) rotate(-90)" text-anchor="middle" font-size="12" fill="#333">${escapeXml(options.yLabel)} (log scale)</text>`,
    '</svg>',
  );
  return parts.join('\n');
}
