import type { AttributeValue } from './item.js';

/**
 * When a stored row was written and when its earliest samples reached the stream, for auditing lateness.
 * All epoch ms; each is absent for rows written before the store recorded it (or, for `arrivalMs`, when
 * no writer passed an arrival time).
 */
export interface RowMetadata {
  /** When the row was first written (the creating write's clock), epoch ms. */
  firstWrittenMs?: number;
  /** When the row's samples last changed (a create or a merge that added samples), epoch ms. */
  lastMergedMs?: number;
  /** Earliest stream arrival time among the writes that added samples to the row, epoch ms. */
  arrivalMs?: number;
}

/**
 * DynamoDB attribute names of {@link RowMetadata}, one letter each (every name byte is billed on every
 * read and write). Values are N: milliseconds relative to the row's window start (`s` · 1000), so the
 * usual few seconds of lateness cost 2 to 4 bytes instead of 8 for an epoch time.
 * `c`: first written; `m`: last merged, omitted when equal to `c`; `a`: stream arrival.
 * Stored beside the payload `p`, never inside it: rows without them decode unchanged.
 */
export const ROW_METADATA_ATTRIBUTES = { firstWrittenMs: 'c', lastMergedMs: 'm', arrivalMs: 'a' } as const;

const { firstWrittenMs: C, lastMergedMs: M, arrivalMs: A } = ROW_METADATA_ATTRIBUTES;

/**
 * The item attributes storing `metadata` of the row whose window starts at `startMs`.
 *
 * @param startMs - window start of the row, epoch ms.
 * @param metadata - the times to store; absent ones are left out.
 * @returns attributes to add to the row's item (`c`, `m`, `a`, relative ms as N).
 */
export function metadataAttributes(startMs: number, metadata: RowMetadata): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  const { firstWrittenMs, lastMergedMs, arrivalMs } = metadata;
  if (firstWrittenMs !== undefined) attributes[C] = { N: String(firstWrittenMs - startMs) };
  if (lastMergedMs !== undefined && lastMergedMs !== firstWrittenMs) {
    attributes[M] = { N: String(lastMergedMs - startMs) };
  }
  if (arrivalMs !== undefined) attributes[A] = { N: String(arrivalMs - startMs) };
  return attributes;
}

function relative(
  item: Readonly<Record<string, unknown>>,
  name: string,
  startMs: number,
): number | undefined {
  const n = (item[name] as { N?: unknown } | undefined)?.N;
  if (typeof n !== 'string') return undefined;
  const value = Number(n);
  // A malformed audit attribute is ignored rather than failing the read of good samples.
  return Number.isSafeInteger(value) && Number.isSafeInteger(startMs + value) ? startMs + value : undefined;
}

/**
 * The {@link RowMetadata} stored in a row item (attributes `c`, `m`, `a`). An absent or malformed
 * attribute gives an absent time, never an error: the audit data must not make the samples unreadable.
 * `m` absent with `c` present means the row was never merged: `lastMergedMs = firstWrittenMs`.
 *
 * @param item - a row item.
 * @param startMs - the row's window start, epoch ms.
 */
export function readMetadata(item: Readonly<Record<string, unknown>>, startMs: number): RowMetadata {
  const metadata: RowMetadata = {};
  const firstWrittenMs = relative(item, C, startMs);
  const lastMergedMs = relative(item, M, startMs) ?? firstWrittenMs;
  const arrivalMs = relative(item, A, startMs);
  if (firstWrittenMs !== undefined) metadata.firstWrittenMs = firstWrittenMs;
  if (lastMergedMs !== undefined) metadata.lastMergedMs = lastMergedMs;
  if (arrivalMs !== undefined) metadata.arrivalMs = arrivalMs;
  return metadata;
}

/**
 * Metadata of a row after a write that changes its samples at `nowMs`, given what was stored (undefined
 * for a create). First written is kept (or `nowMs` for a create); last merged becomes `nowMs` but never
 * moves backward nor before first written, so `firstWrittenMs <= lastMergedMs` holds even across writers
 * with skewed clocks; arrival is the minimum of the stored and the incoming one (either may be absent).
 */
export function nextMetadata(
  stored: RowMetadata | undefined,
  nowMs: number,
  incomingArrivalMs: number | undefined,
): RowMetadata {
  const firstWrittenMs = stored === undefined ? nowMs : stored.firstWrittenMs;
  const lastMergedMs = Math.max(nowMs, stored?.lastMergedMs ?? nowMs, firstWrittenMs ?? nowMs);
  const arrivals = [stored?.arrivalMs, incomingArrivalMs].filter((a): a is number => a !== undefined);
  const metadata: RowMetadata = { lastMergedMs };
  if (firstWrittenMs !== undefined) metadata.firstWrittenMs = firstWrittenMs;
  if (arrivals.length > 0) metadata.arrivalMs = Math.min(...arrivals);
  return metadata;
}
