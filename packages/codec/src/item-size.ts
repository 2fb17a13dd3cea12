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
 * Size of a DynamoDB number in bytes. DynamoDB documents "about 1 byte per two significant digits, plus
 * 1"; what it bills follows its storage form: significant digits in base-100 pairs aligned on the decimal
 * point (so `1.2` is two pairs, `12` one), plus 1 byte, plus 1 more for a negative number. This is the rule
 * dynalite reproduces from DynamoDB's reported `ConsumedCapacity`, and the one items are sized by here.
 *
 * @param n - the number as DynamoDB's `N` string (optional sign, decimal point and exponent).
 * @returns bytes; 1 for zero.
 */
export function numberSize(n: string): number {
  let text = n.trim();
  const negative = text.startsWith('-');
  if (negative || text.startsWith('+')) text = text.slice(1);
  const [mantissa = '', exponent = '0'] = text.split(/[eE]/);
  const [intPart = '', fracPart = ''] = mantissa.split('.');
  const all = intPart + fracPart;
  const lead = all.length - all.replace(/^0+/, '').length;
  const significant = all.slice(lead).replace(/0+$/, '').length;
  if (significant === 0) return 1;
  // Decimal exponent of the first significant digit: value = d.ddd × 10^e.
  const e = intPart.length - lead - 1 + Number.parseInt(exponent, 10);
  const pairs = Math.ceil(significant / 2) + (significant % 2 === 0 && e % 2 === 0 ? 1 : 0);
  return 1 + pairs + (negative ? 1 : 0);
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
 * its name plus the size of its value (S: UTF-8 bytes; N: see `numberSize` here;
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
