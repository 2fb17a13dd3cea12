import type { FleetAudit } from './audit.js';
import { AUDIT_COLUMNS } from './audit-format.js';
import { isoTime } from './time-flag.js';

/**
 * The audit as a text table: one line per device and one for the fleet, then the notes.
 *
 * @param audit - The fleet audit.
 * @returns Text ending in a newline.
 */
export function formatAuditText(audit: FleetAudit): string {
  const lines = [...audit.devices, audit.total].map((a) => AUDIT_COLUMNS.map((c) => c.cell(a)));
  const header = AUDIT_COLUMNS.map((c) => c.title);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const render = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number)))
      .join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [
    `secondrow audit ${isoTime(audit.fromMs)} .. ${isoTime(audit.toMs)}: ${audit.devices.length} device(s)`,
    '',
    render(header),
    rule,
    ...lines.slice(0, -1).map(render),
    rule,
    render(lines[lines.length - 1] as string[]),
    '',
    'coverage: samples / (samples + missing slots at the nominal interval); gaps: no sample for more than 3 intervals.',
    'lateness: per row, nearest-rank percentiles; late rows: samples merged after the first write.',
    ...audit.notes,
  ];
  return `${out.join('\n')}\n`;
}
