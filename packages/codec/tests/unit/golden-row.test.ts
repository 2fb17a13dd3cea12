import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeRow, encodeRow, type Row } from '../../src/index.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
const goldenBytes = Uint8Array.from(Buffer.from(fixture('golden-row.hex').trim(), 'hex'));
const goldenRow = JSON.parse(fixture('golden-row.json')) as Row;

describe('golden row (wire-format lock)', () => {
  it('decodes the committed bytes to the committed row, forever', () => {
    // Rows live for years in DynamoDB: never change the fixture to make this pass.
    expect(decodeRow(goldenBytes)).toEqual(goldenRow);
  });

  it('encodes the committed row to the committed bytes', () => {
    // Only an intentional, versioned format change may break this (and then adds a new fixture).
    expect(Buffer.from(encodeRow(goldenRow)).toString('hex')).toBe(Buffer.from(goldenBytes).toString('hex'));
  });
});
