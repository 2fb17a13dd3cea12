import { decodeRow } from './decode.js';
import { encodeRow } from './encode.js';
import { ItemError } from './errors.js';
import { itemSize } from './item-size.js';
import { decodeRowColumns, type RowColumnsHeader, type SampleColumns } from './sample-columns.js';
import type { Row } from './types.js';

/**
 * A DynamoDB attribute value, structurally compatible with `AttributeValue` of
 * `@aws-sdk/client-dynamodb` (so the codec needs no SDK at runtime).
 */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: Uint8Array }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: Uint8Array[] }
  | { M: Record<string, AttributeValue> }
  | { L: AttributeValue[] }
  | { NULL: boolean }
  | { BOOL: boolean };

/** A row stored as a DynamoDB item: attributes named by {@link ITEM_ATTRIBUTES}. */
export type RowItem = Record<string, AttributeValue>;

/**
 * Attribute names of a row item. One letter each, because every name byte is billed on every write.
 * `d`: device id (S, partition key); `s`: window start in epoch seconds (N, sort key);
 * `p`: {@link encodeRow} bytes (B); `x`: expiry in epoch seconds (N, the table's TTL attribute).
 */
export const ITEM_ATTRIBUTES = { deviceId: 'd', windowStart: 's', payload: 'p', expiresAt: 'x' } as const;

/** Largest DynamoDB item, in bytes. */
export const MAX_ITEM_BYTES = 400 * 1024;
/** Largest DynamoDB partition key value, in UTF-8 bytes. */
const MAX_PARTITION_KEY_BYTES = 2048;

/** Options of {@link toItem}. */
export interface ToItemOptions {
  /** Expiry time for DynamoDB TTL, integer epoch seconds. Omitted: the item never expires. */
  expiresAt?: number;
}

/**
 * The DynamoDB item storing `row` for `deviceId`.
 *
 * @param deviceId - partition key, 1..2048 UTF-8 bytes (e.g. a Cognito identity id).
 * @param row - the row; encoded with {@link encodeRow}.
 * @param options - `expiresAt` (epoch s) sets the TTL attribute `x`.
 * @returns `{ d: {S}, s: {N}, p: {B}, x?: {N} }`.
 * @throws {ItemError} `INVALID_ITEM` for a bad device id or expiry, `ROW_TOO_LARGE` above 400 KB.
 * @throws {InvalidSampleError | InvalidOptionError} when the row cannot be encoded.
 * @example
 * await client.send(new PutItemCommand({ TableName, Item: toItem('dev-1', row) }));
 */
export function toItem(deviceId: string, row: Row, options?: ToItemOptions): RowItem {
  if (typeof deviceId !== 'string' || deviceId.length === 0) {
    throw new ItemError('INVALID_ITEM', 'deviceId must be a non-empty string');
  }
  if (new TextEncoder().encode(deviceId).length > MAX_PARTITION_KEY_BYTES) {
    throw new ItemError('INVALID_ITEM', `deviceId exceeds ${MAX_PARTITION_KEY_BYTES} UTF-8 bytes`);
  }
  const item: RowItem = {
    [ITEM_ATTRIBUTES.deviceId]: { S: deviceId },
    [ITEM_ATTRIBUTES.windowStart]: { N: String(row.startMs / 1000) },
    [ITEM_ATTRIBUTES.payload]: { B: encodeRow(row) },
  };
  const expiresAt = options?.expiresAt;
  if (expiresAt !== undefined) {
    if (!Number.isSafeInteger(expiresAt) || expiresAt < 0) {
      throw new ItemError(
        'INVALID_ITEM',
        `expiresAt must be integer epoch seconds, got ${String(expiresAt)}`,
      );
    }
    item[ITEM_ATTRIBUTES.expiresAt] = { N: String(expiresAt) };
  }
  const size = itemSize(item);
  if (size > MAX_ITEM_BYTES) {
    throw new ItemError('ROW_TOO_LARGE', `row item is ${size} bytes, above DynamoDB's ${MAX_ITEM_BYTES}`);
  }
  return item;
}

/**
 * The device id and row stored in a row item (extra attributes are ignored).
 *
 * @throws {ItemError} `INVALID_ITEM` when `d`, `s` or `p` is missing or mistyped, or `s` disagrees
 *   with the row's window.
 * @throws {DecodeError} when `p` does not decode.
 * @example
 * const { deviceId, row } = fromItem(result.Item!);
 */
export function fromItem(item: Readonly<Record<string, unknown>>): { deviceId: string; row: Row } {
  const { deviceId, windowStart, payload } = itemParts(item);
  const row = decodeRow(payload);
  checkWindowStart(windowStart, row.startMs);
  return { deviceId, row };
}

/**
 * Like {@link fromItem}, but appends the row's samples to `into` (see `decodeRowColumns`) instead of
 * building sample objects. The item is checked whole first: on an error `into` is unchanged.
 *
 * @throws {ItemError} `INVALID_ITEM`, {@link DecodeError}: as {@link fromItem}.
 */
export function fromItemColumns(
  item: Readonly<Record<string, unknown>>,
  into: SampleColumns,
): { deviceId: string; header: RowColumnsHeader } {
  const { deviceId, windowStart, payload } = itemParts(item);
  const before = into.length;
  const { header } = decodeRowColumns(payload, into);
  try {
    checkWindowStart(windowStart, header.startMs);
  } catch (error) {
    into.length = before;
    throw error;
  }
  return { deviceId, header };
}

function itemParts(item: Readonly<Record<string, unknown>>): {
  deviceId: string;
  windowStart: string;
  payload: Uint8Array;
} {
  if (typeof item !== 'object' || item === null) throw new ItemError('INVALID_ITEM', 'item is not an object');
  const d = (item[ITEM_ATTRIBUTES.deviceId] as { S?: unknown } | undefined)?.S;
  const s = (item[ITEM_ATTRIBUTES.windowStart] as { N?: unknown } | undefined)?.N;
  const p = (item[ITEM_ATTRIBUTES.payload] as { B?: unknown } | undefined)?.B;
  if (typeof d !== 'string' || d.length === 0) throw new ItemError('INVALID_ITEM', 'item lacks d (S)');
  if (typeof s !== 'string') throw new ItemError('INVALID_ITEM', 'item lacks s (N)');
  if (!(p instanceof Uint8Array)) throw new ItemError('INVALID_ITEM', 'item lacks p (B)');
  return { deviceId: d, windowStart: s, payload: p };
}

function checkWindowStart(s: string, startMs: number): void {
  if (Number(s) * 1000 !== startMs) {
    throw new ItemError(
      'INVALID_ITEM',
      `sort key s = ${s} disagrees with the row's window start ${startMs} ms`,
    );
  }
}

/** The table a `SampleStore` (`@secondrow/codec/dynamodb`) writes to; structurally a `CreateTableCommandInput`. */
export interface TableDefinition {
  TableName: string;
  BillingMode: 'PAY_PER_REQUEST';
  AttributeDefinitions: { AttributeName: string; AttributeType: 'S' | 'N' }[];
  KeySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
}

/**
 * Definition of the row table: on-demand billing, partition key `d` (S), sort key `s` (N).
 * TTL on `x` is enabled separately (UpdateTimeToLive), as DynamoDB requires.
 *
 * @example
 * await client.send(new CreateTableCommand(tableDefinition('samples')));
 */
export function tableDefinition(tableName: string): TableDefinition {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: ITEM_ATTRIBUTES.deviceId, AttributeType: 'S' },
      { AttributeName: ITEM_ATTRIBUTES.windowStart, AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: ITEM_ATTRIBUTES.deviceId, KeyType: 'HASH' },
      { AttributeName: ITEM_ATTRIBUTES.windowStart, KeyType: 'RANGE' },
    ],
  };
}
