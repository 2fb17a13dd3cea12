import type { StrategyResult } from '../results.js';

/** Formats a number for people: thousands separators, about three significant digits for small values. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  // Counts are integers: 80 items is `80`, not `80.0`.
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  const abs = Math.abs(n);
  if (abs >= 100) return Math.round(n).toLocaleString('en-US');
  if (abs >= 10) return n.toFixed(1);
  if (abs >= 1) return n.toFixed(2);
  if (abs === 0) return '0';
  if (abs >= 0.01) return n.toFixed(3);
  return n.toPrecision(2);
}

/** Formats dollars: `$4,386`, `$82.13`, `$1.64`, `$0.0062`. */
export function formatUsd(n: number): string {
  if (n >= 1000) return `$${Math.round(n).toLocaleString('en-US')}`;
  if (n >= 10) return `$${n.toFixed(2)}`;
  if (n >= 0.1) return `$${n.toFixed(3)}`;
  if (n === 0) return '$0';
  return `$${n.toPrecision(2)}`;
}

/** Formats bytes in B, KB, MB (powers of 1024). */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 10 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${Math.round(n)} B`;
}

/** Column headers of one strategy run, as both the text table and the HTML report show it. */
export const STRATEGY_COLUMNS = [
  'strategy',
  'layout',
  'items',
  'samples',
  'seconds',
  'items/s',
  'samples/s',
  'WRU',
  'RRU',
  'WRU/dev-s',
] as const;

/** The cells of one strategy run, in the order of {@link STRATEGY_COLUMNS}. */
export function strategyCells(s: StrategyResult): string[] {
  return [
    s.strategy,
    s.layout,
    formatNumber(s.items),
    formatNumber(s.samples),
    s.seconds.toFixed(2),
    formatNumber(s.itemsPerSecond),
    formatNumber(s.samplesPerSecond),
    formatNumber(s.writeUnits),
    formatNumber(s.readUnits),
    formatNumber(s.wruPerDeviceSecond),
  ];
}
