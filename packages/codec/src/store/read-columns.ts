import { InvalidOptionError } from '../errors.js';
import { fromItemColumns } from '../item.js';
import { readMetadata } from '../row-metadata.js';
import { SampleColumns } from '../sample-columns.js';
import { checkReadOptions, decodeItem, type QueryTarget, queryPages, type ReadOptions } from './read.js';

/** Options of {@link SampleStore.readColumns}. */
export interface ReadColumnsOptions extends ReadOptions {
  /**
   * Decode every page into these columns (cleared first) instead of new ones, so a long read allocates
   * nothing per page; then a page's `columns` are only valid until the next page is requested.
   * Default: new columns per page, trimmed to their samples (32 bytes each), which stay valid.
   */
  columns?: SampleColumns;
}

/**
 * The rows of one {@link ColumnPage}, as parallel arrays indexed by row (in time order), so an audit can
 * relate samples to the row that stored them and compute lateness. Times are epoch ms; a time the row
 * does not record (rows written before the store kept it, or no arrival passed) is `NaN`.
 */
export interface ColumnPageRows {
  /** Rows in the page. */
  length: number;
  /** Window start of each row, epoch ms. */
  startMs: Float64Array;
  /** Index in the page's columns of each row's first sample within the range. */
  first: Uint32Array;
  /** Samples of each row within `[fromMs, toMs)` (0 when the row only overlaps the range's window). */
  count: Uint32Array;
  /** When each row was first written, epoch ms, or NaN. */
  firstWrittenMs: Float64Array;
  /** When each row's samples last changed, epoch ms, or NaN. */
  lastMergedMs: Float64Array;
  /** Earliest stream arrival among the writes that added samples to each row, epoch ms, or NaN. */
  arrivalMs: Float64Array;
}

/** One DynamoDB `Query` page of {@link SampleStore.readColumns}, decoded into columns. */
export interface ColumnPage {
  /** Device (partition key `d`). */
  deviceId: string;
  /** The page's samples with `fromMs <= t < toMs`, in time order. */
  columns: SampleColumns;
  /** The page's rows and their metadata, parallel arrays. */
  rows: ColumnPageRows;
  /**
   * Read capacity units the page consumed, as DynamoDB reported them (`ReturnConsumedCapacity: TOTAL`);
   * when the server reports none, the estimate from the item sizes (`readUnitsEstimated`).
   */
  readUnits: number;
  /** True when `readUnits` is estimated from item sizes, not reported. */
  readUnitsEstimated: boolean;
  /** Total size of the page's items by DynamoDB's rules (what the read units are billed on), bytes. */
  itemBytes: number;
}

/**
 * Checks the options of `readColumns` when a read is started.
 *
 * @throws {InvalidOptionError} naming the option.
 */
export function checkReadColumnsOptions(options: ReadColumnsOptions): void {
  checkReadOptions(options);
  const { columns } = options;
  // Checked by shape, not instanceof, so columns from another copy of the package (ESM and CJS) are accepted.
  if (
    columns !== undefined &&
    !(
      typeof columns?.reserve === 'function' &&
      typeof columns.clip === 'function' &&
      typeof columns.clear === 'function' &&
      columns.t instanceof Float64Array
    )
  ) {
    throw new InvalidOptionError('columns', 'columns must be a SampleColumns');
  }
}

/**
 * One {@link ColumnPage} per `Query` page of the rows overlapping `[fromMs, toMs)`.
 *
 * @throws {StoreError} as `queryPages`; `INCOMPATIBLE_ITEM` for a bad stored item unless `onBadItem: 'skip'`
 *   (a skipped item leaves no sample and no row in the page).
 */
export async function* queryColumns(
  target: QueryTarget,
  deviceId: string,
  fromMs: number,
  toMs: number,
  options: ReadColumnsOptions,
): AsyncGenerator<ColumnPage> {
  for await (const page of queryPages(target, deviceId, fromMs, toMs, options)) {
    const columns = options.columns ?? new SampleColumns(0);
    columns.clear();
    const n = page.items.length;
    const rows: ColumnPageRows = {
      length: 0,
      startMs: new Float64Array(n),
      first: new Uint32Array(n),
      count: new Uint32Array(n),
      firstWrittenMs: new Float64Array(n),
      lastMergedMs: new Float64Array(n),
      arrivalMs: new Float64Array(n),
    };
    for (const item of page.items) {
      const decoded = decodeItem(deviceId, item, options, (i) => fromItemColumns(i, columns));
      if (decoded === undefined) continue;
      const { header } = decoded;
      const r = rows.length++;
      rows.startMs[r] = header.startMs;
      rows.first[r] = header.first;
      // Only rows at the ends of the range hold samples outside it.
      rows.count[r] =
        header.startMs >= fromMs && header.startMs + header.windowSeconds * 1000 <= toMs
          ? header.count
          : columns.clip(header.first, fromMs, toMs);
      const metadata = readMetadata(item, header.startMs);
      rows.firstWrittenMs[r] = metadata.firstWrittenMs ?? Number.NaN;
      rows.lastMergedMs[r] = metadata.lastMergedMs ?? Number.NaN;
      rows.arrivalMs[r] = metadata.arrivalMs ?? Number.NaN;
    }
    // New columns belong to the caller, who may keep every page: no spare room then.
    if (options.columns === undefined) columns.trim();
    yield {
      deviceId,
      columns,
      rows,
      readUnits: page.readUnits,
      readUnitsEstimated: page.readUnitsEstimated,
      itemBytes: page.itemBytes,
    };
  }
}
