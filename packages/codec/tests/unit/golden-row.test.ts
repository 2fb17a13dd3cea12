import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeRowV1 } from '../../src/encode.js';
import { decodeRow, decodeRowColumns, encodeRow, type Row } from '../../src/index.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
const hex = (name: string) => Uint8Array.from(Buffer.from(fixture(name).trim(), 'hex'));
const goldenRow = JSON.parse(fixture('golden-row.json')) as Row;
const goldenV1 = hex('golden-row.hex');
const goldenV2 = hex('golden-row-v2.hex');
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('golden rows (wire-format lock)', () => {
  it('decodes the committed v1 and v2 bytes to the committed row, forever', () => {
    // Rows live for years in DynamoDB: never change a fixture to make this pass.
    expect(decodeRow(goldenV1)).toEqual(goldenRow);
    expect(decodeRow(goldenV2)).toEqual(goldenRow);
    const columns = decodeRowColumns(goldenV1).columns;
    expect(Array.from(decodeRowColumns(goldenV2).columns.views().z)).toEqual(Array.from(columns.views().z));
  });

  it('encodes the committed row to the committed v2 bytes (what writers write)', () => {
    // Only an intentional, versioned format change may break this (and then adds a new fixture).
    expect(toHex(encodeRow(goldenRow))).toBe(toHex(goldenV2));
  });

  it('still encodes the committed row to the committed v1 bytes with the version 1 writer', () => {
    expect(toHex(encodeRowV1(goldenRow))).toBe(toHex(goldenV1));
  });

  it('stores the row in 17 fewer bytes in v2 (140 instead of 157)', () => {
    expect(goldenV1.length).toBe(157);
    expect(goldenV2.length).toBe(140);
  });
});
