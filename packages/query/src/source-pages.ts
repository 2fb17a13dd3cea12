import { SourceError, sourceFailure } from './errors.js';
import type { ColumnChunk, RowChunk, SampleSource } from './source.js';

/** Options of {@link checkedChunks}. */
export interface CheckedChunksOptions {
  /** Strongly consistent reads. */
  consistentRead: boolean;
  /** Stops the read; checked before every page, so a source that ignores it still stops at the next one. */
  signal?: AbortSignal;
}

/**
 * The pages of `source` for one device and range, each checked against the source contract (columns that
 * hold `length` samples, times in order and inside `[fromMs, toMs)`, rows that fit the page). A consumer that
 * stops early (`break`) releases the source's read.
 *
 * @throws {SourceError} `SOURCE_FAILED` when a page breaks the contract; the source's own failures wrapped
 *   by `sourceFailure` (`SOURCE_UNAVAILABLE` when retryable, aborted or timed out).
 */
export async function* checkedChunks(
  source: SampleSource,
  deviceId: string,
  fromMs: number,
  toMs: number,
  options: CheckedChunksOptions,
): AsyncGenerator<ColumnChunk, void, undefined> {
  const iterator = source
    .columns(deviceId, fromMs, toMs, {
      consistentRead: options.consistentRead,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    })
    [Symbol.asyncIterator]();
  let exhausted = false;
  let lastT = Number.NEGATIVE_INFINITY;
  try {
    for (;;) {
      let next: IteratorResult<ColumnChunk>;
      try {
        options.signal?.throwIfAborted();
        next = await iterator.next();
      } catch (error) {
        throw sourceFailure(error);
      }
      if (next.done === true) {
        exhausted = true;
        return;
      }
      lastT = checkChunk(next.value, fromMs, toMs, lastT);
      yield next.value;
    }
  } finally {
    // Stops the store's paging when the answer is complete early or a page broke the contract.
    if (!exhausted) await closeQuietly(iterator);
  }
}

/** Checks a page against the source contract; returns its last time. */
function checkChunk(chunk: ColumnChunk, fromMs: number, toMs: number, lastT: number): number {
  const { t, x, y, z, length, rows } = chunk;
  if (rows !== undefined) checkRows(rows, length);
  if (
    !Number.isInteger(length) ||
    length < 0 ||
    t.length < length ||
    x.length < length ||
    y.length < length ||
    z.length < length
  ) {
    throw new SourceError(
      'SOURCE_FAILED',
      `the source returned a page whose columns do not hold ${length} samples`,
    );
  }
  let previous = lastT;
  for (let i = 0; i < length; i++) {
    const ti = t[i] as number;
    if (!(ti >= previous && ti >= fromMs && ti < toMs)) {
      throw new SourceError(
        'SOURCE_FAILED',
        `the source returned sample time ${ti} out of order or outside [${fromMs}, ${toMs})`,
      );
    }
    previous = ti;
  }
  return previous;
}

function checkRows(rows: RowChunk, samples: number): void {
  const { length, first, count, firstWrittenMs, arrivalMs } = rows;
  let ok =
    Number.isInteger(length) &&
    length >= 0 &&
    first.length >= length &&
    count.length >= length &&
    firstWrittenMs.length >= length &&
    arrivalMs.length >= length;
  for (let r = 0; ok && r < length; r++) {
    ok = (count[r] as number) === 0 || (first[r] as number) + (count[r] as number) <= samples;
  }
  if (!ok) {
    throw new SourceError(
      'SOURCE_FAILED',
      `the source returned rows that do not fit a page of ${samples} samples`,
    );
  }
}

async function closeQuietly(iterator: AsyncIterator<ColumnChunk>): Promise<void> {
  try {
    await iterator.return?.();
  } catch {
    // The answer is complete; a failure to release the read does not change it.
  }
}
