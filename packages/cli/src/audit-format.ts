import type { Percentiles } from '@secondrow/devkit';
import type { DeviceAudit } from './audit.js';

/** Coverage as a percentage with two decimals, e.g. `83.33 %`. */
export function percentText(fraction: number): string {
  return `${(fraction * 100).toFixed(2)} %`;
}

/** A duration in ms as people read it: `850 ms`, `12.5 s`, `3.2 min`, `1.5 h`. */
export function durationText(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1_000) return `${Math.round(ms)} ms`;
  if (abs < 120_000) return `${(ms / 1_000).toFixed(1)} s`;
  if (abs < 7_200_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** `p50 / p99` of a lateness distribution, or `n/a` when no row recorded it. */
export function latenessText(p: Percentiles | null): string {
  return p === null ? 'n/a' : `${durationText(p.p50)} / ${durationText(p.p99)}`;
}

/** An integer with thousands separators, e.g. `118,197`. */
export function countText(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** The columns of the audit table: header and the cell of a device. Shared by the text and HTML reports. */
export const AUDIT_COLUMNS: readonly { key: string; title: string; cell: (a: DeviceAudit) => string }[] = [
  { key: 'deviceId', title: 'device', cell: (a) => a.deviceId },
  { key: 'samples', title: 'samples', cell: (a) => countText(a.samples) },
  { key: 'coverage', title: 'coverage', cell: (a) => percentText(a.coverage) },
  { key: 'gaps.count', title: 'gaps', cell: (a) => countText(a.gaps.count) },
  { key: 'gaps.totalMs', title: 'gap total', cell: (a) => durationText(a.gaps.totalMs) },
  { key: 'gaps.longestMs', title: 'longest', cell: (a) => durationText(a.gaps.longestMs) },
  { key: 'rows', title: 'rows', cell: (a) => countText(a.rows) },
  { key: 'itemBytes', title: 'bytes', cell: (a) => countText(a.itemBytes) },
  { key: 'writeUnits', title: 'write units', cell: (a) => countText(a.writeUnits) },
  { key: 'lateRows', title: 'late rows', cell: (a) => countText(a.lateRows) },
  {
    key: 'lateness.sampleToFirstWrite',
    title: 'sample→written p50/p99',
    cell: (a) => latenessText(a.lateness.sampleToFirstWrite),
  },
  {
    key: 'lateness.arrivalToFirstWrite',
    title: 'arrival→written p50/p99',
    cell: (a) => latenessText(a.lateness.arrivalToFirstWrite),
  },
];
