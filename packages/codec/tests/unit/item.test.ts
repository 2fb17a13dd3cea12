import type { CreateTableCommandInput, AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  DecodeError,
  encodeRow,
  fromItem,
  ITEM_ATTRIBUTES,
  ItemError,
  itemSize,
  packRows,
  type RowItem,
  readUnits,
  tableDefinition,
  toItem,
  writeUnits,
} from '../../src/index.js';
import { regularSamples } from '../helpers/factories.js';

const T0 = 1_700_000_000_000;
const row = packRows(regularSamples(T0, 50, 50))[0]!;

describe('toItem() / fromItem()', () => {
  it('stores device, window start (s), payload and expiry under one-letter names', () => {
    const item = toItem('dev-1', row, { expiresAt: 1_800_000_000 });

    expect(Object.keys(item).sort()).toEqual(['d', 'p', 's', 'x']);
    expect(item[ITEM_ATTRIBUTES.deviceId]).toEqual({ S: 'dev-1' });
    expect(item[ITEM_ATTRIBUTES.windowStart]).toEqual({ N: '1700000000' });
    expect(item[ITEM_ATTRIBUTES.payload]).toEqual({ B: encodeRow(row) });
    expect(item[ITEM_ATTRIBUTES.expiresAt]).toEqual({ N: '1800000000' });
    expect(fromItem(item)).toEqual({ deviceId: 'dev-1', row });
  });

  it('rejects bad input with typed errors', () => {
    expect(() => toItem('', row)).toThrow(ItemError);
    expect(() => toItem('d', row, { expiresAt: 1.5 })).toThrow(ItemError);
    expect(() => fromItem({ d: { S: 'd' }, s: { N: '1' } })).toThrow(
      expect.objectContaining({ code: 'INVALID_ITEM' }),
    );
    expect(() => fromItem({ ...toItem('d', row), s: { N: '1' } })).toThrow(ItemError);
    expect(() => fromItem({ ...toItem('d', row), p: { B: new Uint8Array([1, 2, 3]) } })).toThrow(DecodeError);
  });

  it('produces items the AWS SDK accepts (type level)', () => {
    // These assignments are the test: the file is type-checked with the SDK's own types.
    const item: Record<string, SdkAttributeValue> = toItem('dev-1', row) satisfies RowItem;
    const input: CreateTableCommandInput = tableDefinition('samples');
    expect(item.d).toEqual({ S: 'dev-1' });
    expect(input.BillingMode).toBe('PAY_PER_REQUEST');
  });
});

describe('tableDefinition()', () => {
  it('declares an on-demand table keyed by d (S) and s (N)', () => {
    expect(tableDefinition('t')).toEqual({
      TableName: 't',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'd', AttributeType: 'S' },
        { AttributeName: 's', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'd', KeyType: 'HASH' },
        { AttributeName: 's', KeyType: 'RANGE' },
      ],
    });
  });
});

describe('itemSize()', () => {
  it.each([
    [{ a: { S: 'hello' } }, 1 + 5],
    [{ name: { S: 'héllo' } }, 4 + 6],
    [{ n: { N: '1700000000' } }, 1 + 2], // trailing zeros are trimmed: 17
    [{ n: { N: '1700000123' } }, 1 + 6],
    [{ n: { N: '-0012.3400' } }, 1 + 4], // 12|34: two pairs, + 1, + 1 for the sign
    [{ n: { N: '12' } }, 1 + 2], // one pair
    [{ n: { N: '1.2' } }, 1 + 3], // 01|20: pairs align on the decimal point
    [{ n: { N: '-0.981' } }, 1 + 4], // 98|10 + 1 + sign
    [{ n: { N: '1.5e3' } }, 1 + 2], // 15|00
    [{ n: { N: '-0' } }, 1 + 1],
    [{ n: { N: '0' } }, 1 + 1],
    [{ n: { N: '123' } }, 1 + 3],
    [{ b: { B: new Uint8Array(10) } }, 1 + 10],
    [{ t: { BOOL: true }, u: { NULL: true } }, 1 + 1 + 1 + 1],
    [{ l: { L: [{ S: 'ab' }, { N: '1' }] } }, 1 + 3 + (1 + 2) + (1 + 2)],
    [{ m: { M: { k: { S: 'v' } } } }, 1 + 3 + (1 + 1 + 1)],
    [
      { ss: { SS: ['a', 'bc'] }, ns: { NS: ['1', '22'] }, bs: { BS: [new Uint8Array(3)] } },
      2 + 3 + 2 + 4 + 2 + 3,
    ],
  ])('sizes %o as %i bytes', (item, size) => {
    expect(itemSize(item)).toBe(size);
  });

  it('keeps a 50 Hz one-second row with a 64-character device id in one write unit', () => {
    const item = toItem('x'.repeat(64), row, { expiresAt: 1_800_000_000 });
    expect(itemSize(item)).toBeLessThan(1024);
    expect(writeUnits(item)).toBe(1);
  });
});

describe('writeUnits() / readUnits()', () => {
  it('rounds up per KB for writes and per 4 KB for reads', () => {
    expect(writeUnits({ a: { B: new Uint8Array(1023) } })).toBe(1);
    expect(writeUnits({ a: { B: new Uint8Array(1024) } })).toBe(2);
    expect(writeUnits({})).toBe(1);
    expect(readUnits(4096, true)).toBe(1);
    expect(readUnits(4097, true)).toBe(2);
    expect(readUnits(4097)).toBe(1);
    expect(readUnits(0, true)).toBe(1);
  });
});
