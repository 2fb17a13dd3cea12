/**
 * Any attribute value, ours or the SDK's: every member optional, so both the codec's
 * `AttributeValue` and `@aws-sdk/client-dynamodb`'s are accepted.
 */
export interface SizedAttributeValue {
  S?: string;
  N?: string;
  B?: Uint8Array;
  SS?: string[];
  NS?: string[];
  BS?: Uint8Array[];
  M?: Record<string, SizedAttributeValue>;
  L?: SizedAttributeValue[];
  NULL?: boolean;
  BOOL?: boolean;
}

/** An item as {@link itemSize} reads it (a codec `RowItem` or an SDK item). */
export type SizedItem = Readonly<Record<string, SizedAttributeValue>>;

const utf8 = new TextEncoder();

function stringBytes(s: string): number {
  // Fast path for ASCII, the usual case for names and ids.
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  return ascii ? s.length : utf8.encode(s).length;
}

/**
 * Size of a DynamoDB number: 1 byte per two significant digits plus 1. Significant digits are
 * those of the mantissa without sign, decimal point, exponent, and leading or trailing zeros.
 */
export function numberSize(n: string): number {
  const mantissa = n.trim().replace(/^[+-]/, '').split(/[eE]/)[0] ?? '';
  const digits = mantissa.replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(digits.length / 2) + 1;
}

/** Size in bytes of one attribute value by DynamoDB's documented rules (see {@link itemSize}). */
export function attributeValueSize(v: SizedAttributeValue): number {
  if (v.S !== undefined) return stringBytes(v.S);
  if (v.N !== undefined) return numberSize(v.N);
  if (v.B !== undefined) return v.B.byteLength;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS !== undefined) return v.SS.reduce((sum, s) => sum + stringBytes(s), 0);
  if (v.NS !== undefined) return v.NS.reduce((sum, s) => sum + numberSize(s), 0);
  if (v.BS !== undefined) return v.BS.reduce((sum, b) => sum + b.byteLength, 0);
  if (v.L !== undefined) return 3 + v.L.reduce((sum, e) => sum + 1 + attributeValueSize(e), 0);
  if (v.M !== undefined) {
    let size = 3;
    for (const [name, e] of Object.entries(v.M)) size += 1 + stringBytes(name) + attributeValueSize(e);
    return size;
  }
  return 0;
}

/**
 * Size of an item in bytes by DynamoDB's documented rules: for each attribute, the UTF-8 length of
 * its name plus the size of its value (S: UTF-8 bytes; N: 1 byte per 2 significant digits + 1;
 * B: raw bytes; BOOL/NULL: 1; L/M: 3 bytes + 1 per element + contents; SS/NS/BS: sum of elements).
 *
 * @param item - a DynamoDB item in attribute-value form.
 * @returns bytes, as billed for writes.
 * @example
 * itemSize({ d: { S: 'dev-1' } }); // 6
 */
export function itemSize(item: SizedItem): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += stringBytes(name) + attributeValueSize(value);
  return size;
}

/**
 * Write capacity units one put of `item` consumes: one per started KB (1024 bytes), at least 1.
 *
 * @example
 * writeUnits(toItem('dev-1', row)); // 1 for a 50 Hz one-second row
 */
export function writeUnits(item: SizedItem): number {
  return Math.max(1, Math.ceil(itemSize(item) / 1024));
}

/**
 * Read capacity units for reading `bytes` bytes of items: one per started 4 KB (at least 1) for a
 * strongly consistent read, half that for an eventually consistent one (DynamoDB's default, and
 * this function's when `consistent` is omitted).
 *
 * @param bytes - total item bytes read.
 * @param consistent - true for `ConsistentRead: true`.
 * @example
 * readUnits(900, true); // 1
 */
export function readUnits(bytes: number, consistent?: boolean): number {
  const units = Math.max(1, Math.ceil(bytes / 4096));
  return consistent === true ? units : units / 2;
}
