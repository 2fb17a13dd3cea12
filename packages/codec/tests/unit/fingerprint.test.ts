import { describe, expect, it } from 'vitest';
import { canonicalForm, schemaFingerprint } from '../../src/avro.js';
import { crc64Avro, fingerprintBytes } from '../../src/fingerprint.js';

describe('crc64Avro()', () => {
  it.each([
    ['"null"', 7195948357588979594n],
    ['"boolean"', -6970731678124411036n],
    ['"int"', 8247732601305521295n],
    ['"long"', -3434872931120570953n],
    ['"string"', -8142146995180207161n],
    ['{"name":"foo","type":"record","fields":[]}', -4824392279771201922n],
  ])('matches the Avro spec test vector for %s', (text, signed) => {
    // Prepare: the spec publishes signed 64-bit values.
    const expected = BigInt.asUintN(64, signed);

    // Act & Assess
    expect(crc64Avro(text)).toBe(expected);
  });

  it('lays the fingerprint out little-endian as single-object encoding requires', () => {
    // The Avro Ruby implementation's header for "int": C3 01 8F 5C 39 3F 1A D5 75 72.
    expect([...fingerprintBytes(crc64Avro('"int"'))]).toEqual([
      0x8f, 0x5c, 0x39, 0x3f, 0x1a, 0xd5, 0x75, 0x72,
    ]);
  });
});

describe('canonicalForm()', () => {
  it('drops doc and default attributes and qualifies names', () => {
    const schema = {
      type: 'record',
      name: 'R',
      namespace: 'a.b',
      doc: 'ignored',
      fields: [{ name: 'f', type: 'int', doc: 'ignored', default: 1 }],
    };

    expect(canonicalForm(schema)).toBe(
      '{"name":"a.b.R","type":"record","fields":[{"name":"f","type":"int"}]}',
    );
    expect(schemaFingerprint('int')).toBe('7275d51a3f395c8f');
  });
});
