import type { Writable } from 'node:stream';
import { SampleColumns } from '@secondrow/codec';
import { isStoreError, SampleStore } from '@secondrow/codec/dynamodb';
import type { ExportFormat, TimeFormat } from './args.js';
import { ReadFailedError } from './errors.js';
import { CsvSink, NdjsonSink, ParquetSink, parquetMetadata, type SampleSink } from './sample-sinks.js';
import type { OpenTable } from './table-source.js';

/**
 * Rows per DynamoDB `Query` page of an export (about 260 KB of 1 s rows at 50 Hz, under the 1 MB cap): small
 * pages keep the SDK's parsed response, and the garbage of each page, small. Measured with
 * bench/export-bench.ts on a 6-hour device under tsx: 1 MB pages peaked at 237 MB RSS, 1,000-row pages at
 * 205 MB, and read faster (smaller responses to parse).
 * The read units are the same (billed per 4 KB of items, rounded up per page).
 */
export const EXPORT_PAGE_ROWS = 1_000;

/** What {@link exportSamples} reads and how it writes it. */
export interface ExportRequest {
  device: string;
  /** Inclusive start, epoch ms. */
  fromMs: number;
  /** Exclusive end, epoch ms. */
  toMs: number;
  format: ExportFormat;
  time: TimeFormat;
}

/** What an export did. */
export interface ExportSummary {
  samples: number;
  /** DynamoDB `Query` pages read. */
  pages: number;
  /** Read units consumed (reported by DynamoDB, else estimated from item sizes). */
  readUnits: number;
  /** Item bytes read, by DynamoDB's size rules. */
  itemBytes: number;
}

/**
 * Streams one device's samples in `[fromMs, toMs)` from the table to `out`, one DynamoDB page at a time
 * through `SampleStore.readColumns` with reused columns: memory stays at one page (up to 1 MB of items)
 * plus, for Parquet, one row group, however long the range.
 *
 * @param table - The opened table.
 * @param request - Device, range and format.
 * @param out - Destination stream; not ended here.
 * @param onPage - Called after each page with the time reached (epoch ms) and the samples so far, for progress.
 * @throws {ReadFailedError} when the store fails (`cause` keeps its `StoreError`).
 * @throws {WriteFailedError} when `out` fails.
 */
export async function exportSamples(
  table: OpenTable,
  request: ExportRequest,
  out: Writable,
  onPage?: (reachedMs: number, samples: number) => void,
): Promise<ExportSummary> {
  const store = new SampleStore({ client: table.client, tableName: table.tableName });
  const sink = newSink(request, out);
  const columns = new SampleColumns(64 * 1024);
  const summary: ExportSummary = { samples: 0, pages: 0, readUnits: 0, itemBytes: 0 };
  try {
    const pages = store.readColumns(request.device, request.fromMs, request.toMs, {
      columns,
      pageSize: EXPORT_PAGE_ROWS,
    });
    for await (const page of pages) {
      await sink.write(page.columns);
      summary.samples += page.columns.length;
      summary.pages++;
      summary.readUnits += page.readUnits;
      summary.itemBytes += page.itemBytes;
      const last =
        page.columns.length > 0 ? (page.columns.t[page.columns.length - 1] as number) : request.fromMs;
      onPage?.(last, summary.samples);
    }
  } catch (error) {
    if (isStoreError(error)) {
      throw new ReadFailedError(
        `reading ${request.device} from ${table.tableName} failed: ${error.message}`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
  await sink.end();
  return summary;
}

function newSink(request: ExportRequest, out: Writable): SampleSink {
  switch (request.format) {
    case 'csv':
      return new CsvSink(out, request.time);
    case 'ndjson':
      return new NdjsonSink(out, request.time);
    case 'parquet':
      return new ParquetSink(out, parquetMetadata(request.device, request.fromMs, request.toMs));
  }
}
