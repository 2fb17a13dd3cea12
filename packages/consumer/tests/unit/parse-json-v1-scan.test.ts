import { type ParsedRecord, parseRecord, type RejectedPart } from '@secondrow/consumer';
import { jsonV1, makeSamples } from '@secondrow/devkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromJsonV1 } from '../../src/formats/json-v1.js';
import { JsonV1Scanner } from '../../src/formats/json-v1-scan.js';

const meta = { sequenceNumber: '1', partitionKey: 'pk' };
const T0 = 1_700_000_000_000;
const limits = { maxSamplesPerRecord: 20_000 };

function scan(text: string, max = limits.maxSamplesPerRecord) {
  return new JsonV1Scanner().scan(Buffer.from(text), { maxSamplesPerRecord: max });
}

/** What the general path (JSON.parse + fromJsonV1) makes of the same text. */
function general(text: string) {
  return fromJsonV1(JSON.parse(text) as Record<string, unknown>, limits);
}

function parse(text: string | Uint8Array, options = {}): ParsedRecord {
  return parseRecord(typeof text === 'string' ? Buffer.from(text) : text, meta, options);
}

function rejected(text: string, options = {}): RejectedPart {
  const part = parse(text, options).parts[0];
  if (part === undefined || part.ok) throw new Error('expected a rejected part');
  return part;
}

describe('scanJsonV1()', () => {
  it('reads a plain record exactly as JSON.parse + fromJsonV1 do', () => {
    // Prepare
    const text = jsonV1('watch-1', makeSamples(T0, 200), {
      batchId: 7,
      sentAt: T0 + 4_250,
      instrumentation: { battery: 0.5, app: { build: 'a\\"b\t\u0001', flags: [true, false, null, -1.5e-3] } },
    });
    // Act
    const scanned = scan(text);
    // Assess
    expect(scanned).toBeDefined();
    expect(scanned).toEqual(general(text));
  });

  it('accepts JSON whitespace anywhere and keys in any order, with unknown keys skipped', () => {
    const text =
      ' \r\n{ "samples" : [ [ 1700000000000 , 0.5 , -0.25 , 1 ] ,\t[1700000000020,0,0,1] ] ,' +
      ' "extra": {"a": [1, 2, {"b": "c"}]}, "other": "x", "n": 1e3, "deviceId" : "w" , "sentAt": 1700000000500 } \n';
    expect(scan(text)).toEqual(general(text));
  });

  it('converts numbers to the same doubles as JSON.parse', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 0, max: 2 ** 52 }),
        ([x, y, z], t) => {
          const text = `{"deviceId":"w","samples":[[${t},${x},${y},${z}]]}`;
          const scanned = scan(text);
          const expected = general(text).samples[0];
          const got = scanned?.samples[0];
          expect(Object.is(got?.x, expected?.x) && Object.is(got?.y, expected?.y)).toBe(true);
          expect(Object.is(got?.z, expected?.z) && got?.t === expected?.t).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('converts decimal texts with many digits, exponents and negative zero as JSON.parse does', () => {
    const numbers = [
      '0',
      '-0',
      '-0.0',
      '0.1',
      '0.30000000000000004',
      '123456789012345',
      '1234567890123456789',
      '0.000000000000000000000001',
      '9007199254740993',
      '1e-7',
      '2.5E+3',
      '-4e0',
      '1.7976931348623157e308',
      '5e-324',
    ];
    for (const n of numbers) {
      const text = `{"deviceId":"w","samples":[[1,${n},${n},${n}]]}`;
      const got = scan(text)?.samples[0]?.x;
      expect(Object.is(got, JSON.parse(n))).toBe(true);
    }
  });

  it.each([
    ['a leading zero', '01'],
    ['a bare point', '1.'],
    ['a leading point', '.5'],
    ['a plus sign', '+1'],
    ['a lone minus', '-'],
    ['an empty exponent', '1e'],
    ['a signed empty exponent', '1e+'],
    ['hex', '0x10'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['two points', '1.5.2'],
  ])('leaves a malformed number (%s) to the general path, which rejects it as invalid JSON', (_name, n) => {
    const text = `{"deviceId":"w","samples":[[${T0},${n},0,1]]}`;
    expect(scan(text)).toBeUndefined();
    expect(rejected(text).error.code).toBe('UNDECODABLE');
  });

  it('passes a number beyond the double range through as Infinity, rejected by validation naming the field', () => {
    const text = `{"deviceId":"w","samples":[[${T0},0,0,1],[${T0 + 20},0,1e999,1]]}`;
    expect(scan(text)?.samples[1]?.y).toBe(Number.POSITIVE_INFINITY);
    const part = rejected(text);
    expect(part.error).toMatchObject({ code: 'INVALID_SAMPLE', index: 1, field: 'y' });
  });

  it.each([
    ['a string value', `[${T0},"0.5",0,1]`, 'x'],
    ['a null value', `[${T0},0,0,null]`, 'z'],
    ['a nested array', `[${T0},[0],0,1]`, 'x'],
    ['a fractional time', `[${T0}.5,0,0,1]`, 't'],
  ])('leaves a sample with %s to the general path, which names index and field', (_name, sample, field) => {
    const text = `{"deviceId":"w","samples":[[${T0 - 20},0,0,1],${sample}]}`;
    expect(rejected(text).error).toMatchObject({ code: 'INVALID_SAMPLE', index: 1, field });
  });

  it.each([
    ['three values', `[${T0},0,1]`],
    ['five values', `[${T0},0,0,1,2]`],
    ['an object', `{"t":${T0}}`],
  ])('leaves a sample with %s to the general path, which rejects it with its index', (_name, sample) => {
    const text = `{"deviceId":"w","samples":[[${T0 - 20},0,0,1],${sample}]}`;
    expect(scan(text)).toBeUndefined();
    expect(rejected(text).error).toMatchObject({ code: 'INVALID_SAMPLE', index: 1, field: 'sample' });
  });

  it.each([
    ['unclosed nesting', '{"deviceId":"w","samples":[],"instrumentation":{"a":[1,}}'],
    ['a trailing comma', '{"deviceId":"w","samples":[[1,0,0,1],]}'],
    ['text after the object', '{"deviceId":"w","samples":[]} x'],
    ['a bad escape', '{"deviceId":"w","samples":[],"x":"\\q"}'],
    ['a raw control character', '{"deviceId":"w","samples":[],"x":"a\u0001"}'],
    ['a missing colon', '{"deviceId" "w","samples":[]}'],
    ['a truncated record', '{"deviceId":"w","samples":[[1,0,0'],
  ])('leaves nested garbage (%s) to JSON.parse, which rejects it', (_name, text) => {
    expect(scan(text)).toBeUndefined();
    expect(rejected(text).error.code).toBe('UNDECODABLE');
  });

  it('leaves deep nesting, escapes and non-ASCII text to JSON.parse, which accepts them', () => {
    const deep = `${'['.repeat(100)}${']'.repeat(100)}`;
    const cases = [
      `{"deviceId":"w","samples":[[${T0},0,0,1]],"instrumentation":{"deep":${deep}}}`,
      `{"deviceId":"w\\u0041","samples":[[${T0},0,0,1]]}`,
      `{"deviceId":"montre-é","samples":[[${T0},0,0,1]]}`,
    ];
    for (const text of cases) {
      expect(scan(text)).toBeUndefined();
      const part = parse(text).parts[0];
      expect(part?.ok && part.deviceId).toBe(general(text).deviceId);
    }
  });

  it('leaves repeated keys to JSON.parse, which keeps the last value', () => {
    const text = `{"deviceId":"a","samples":[],"deviceId":"b"}`;
    expect(scan(text)).toBeUndefined();
    expect(parse(text).parts[0]).toMatchObject({ ok: true, deviceId: 'b' });
  });

  it('leaves wrong field types to the general path, which names the field', () => {
    expect(rejected('{"deviceId":"w","batchId":true,"samples":[]}').error.field).toBe('batchId');
    expect(rejected('{"deviceId":"w","sentAt":"soon","samples":[]}').error.field).toBe('sentAt');
    expect(rejected('{"deviceId":"w","instrumentation":[1],"samples":[]}').error.field).toBe(
      'instrumentation',
    );
    expect(rejected('{"deviceId":"w","samples":{}}').error.field).toBe('samples');
    expect(rejected('{"deviceId":7,"samples":[]}').error.code).toBe('NO_DEVICE_ID');
    expect(rejected('{"deviceId":"  ","samples":[]}').error.code).toBe('NO_DEVICE_ID');
  });

  it('reads a huge array up to the limit and leaves one beyond it to the general path, which rejects it', () => {
    const samples = makeSamples(T0, 20_000);
    const text = jsonV1('w', samples);
    expect(scan(text)?.samples).toEqual(samples);
    expect(scan(text, 19_999)).toBeUndefined();
    expect(rejected(text, { maxSamplesPerRecord: 19_999 }).error.code).toBe('TOO_MANY_SAMPLES');
  });

  it('does not mistake invalid UTF-8 for ASCII', () => {
    const bytes = Buffer.concat([
      Buffer.from('{"deviceId":"w'),
      Buffer.from([0xff]),
      Buffer.from('","samples":[]}'),
    ]);
    expect(new JsonV1Scanner().scan(bytes, limits)).toBeUndefined();
    const part = parse(bytes).parts[0];
    expect(part?.ok === false && part.error.code).toBe('UNDECODABLE');
  });
});
