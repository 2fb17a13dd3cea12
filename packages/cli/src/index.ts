/**
 * The `secondrow` command's pieces, for scripts and tests: argument parsing, table access, the export
 * sinks (CSV, NDJSON, Parquet) and the audit with its text and HTML reports.
 *
 * @packageDocumentation
 */
export {
  AUDIT_HELP,
  type AuditArgs,
  type CliArgs,
  type CommonArgs,
  DEFAULT_LOCAL_TABLE,
  EXPORT_FORMATS,
  EXPORT_HELP,
  type ExportArgs,
  type ExportFormat,
  MAIN_HELP,
  parseCliArgs,
  type Source,
  type TimeFormat,
} from './args.js';
export {
  AUDIT_NOTES,
  type AuditedRow,
  type DeviceAudit,
  DeviceAuditor,
  type FleetAudit,
  fleetAudit,
  type GapSummary,
  type Lateness,
  TIMELINE_BUCKETS,
  writeUnitsOfBytes,
} from './audit.js';
export { renderAuditHtml } from './audit-html.js';
export { type AuditRequest, auditTable } from './audit-read.js';
export { formatAuditText } from './audit-text.js';
export {
  ArgumentError,
  CliError,
  type CliErrorCode,
  isCliError,
  NoLocalDataError,
  ReadFailedError,
  WriteFailedError,
} from './errors.js';
export { type ExportRequest, type ExportSummary, exportSamples } from './export.js';
export { type CliIo, runCli } from './run-cli.js';
export {
  CsvSink,
  csvHeader,
  NdjsonSink,
  PARQUET_ROW_GROUP,
  PARQUET_SCHEMA,
  ParquetSink,
  parquetMetadata,
  type SampleSink,
} from './sample-sinks.js';
export { type OpenTable, openTable } from './table-source.js';
export { isoTime, MAX_TIME_MS, parseTimeFlag } from './time-flag.js';
