import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  metadataAttributes,
  ROW_METADATA_ATTRIBUTES,
  type RowMetadata,
  readMetadata,
} from '../../src/index.js';
import { nextMetadata } from '../../src/row-metadata.js';
import { fcParams } from '../helpers/fc.js';

const START = 1_700_000_000_000;
const epochMs = fc.integer({ min: START - 1e9, max: START + 1e12 });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const metadataArb: fc.Arbitrary<RowMetadata> = fc
  .record({ c: maybe(epochMs), lag: maybe(fc.nat(1e9)), a: maybe(epochMs) })
  .map(({ c, lag, a }) => {
    const metadata: RowMetadata = {};
    if (c !== undefined) {
      metadata.firstWrittenMs = c;
      metadata.lastMergedMs = c + (lag ?? 0);
    } else if (lag !== undefined) {
      metadata.lastMergedMs = START + lag; // an old row merged once: no first-written time
    }
    if (a !== undefined) metadata.arrivalMs = a;
    return metadata;
  });

describe('row metadata attributes', () => {
  it('round-trip through the item attributes c, m, a', () => {
    fc.assert(
      fc.property(metadataArb, (metadata) => {
        const attributes = metadataAttributes(START, metadata);
        expect(readMetadata(attributes, START)).toEqual(metadata);
        for (const name of Object.keys(attributes)) {
          expect(Object.values(ROW_METADATA_ATTRIBUTES)).toContain(name);
        }
      }),
      fcParams,
    );
  });

  it('store times relative to the window start, and no m while the row was never merged', () => {
    expect(
      metadataAttributes(START, {
        firstWrittenMs: START + 2500,
        lastMergedMs: START + 2500,
        arrivalMs: START + 1200,
      }),
    ).toEqual({
      c: { N: '2500' },
      a: { N: '1200' },
    });
    expect(metadataAttributes(START, { firstWrittenMs: START + 2500, lastMergedMs: START + 9000 })).toEqual({
      c: { N: '2500' },
      m: { N: '9000' },
    });
  });

  it('are absent on old rows and ignored when malformed, never an error', () => {
    expect(readMetadata({}, START)).toEqual({});
    expect(readMetadata({ c: { S: '12' }, m: { N: 'x' }, a: { N: '1.5' } }, START)).toEqual({});
  });
});

describe('nextMetadata() laws', () => {
  it('keep first written, move last merged forward to now, take the minimum arrival', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(epochMs, maybe(epochMs)), { minLength: 1, maxLength: 12 }), (writes) => {
        // A row written by `writes` in order, each at its own (possibly skewed) clock time.
        let metadata: RowMetadata | undefined;
        for (const [now, arrival] of writes) metadata = nextMetadata(metadata, now, arrival);
        const [firstNow] = writes[0]!;
        const arrivals = writes.map(([, a]) => a).filter((a): a is number => a !== undefined);

        expect(metadata?.firstWrittenMs).toBe(firstNow);
        expect(metadata?.lastMergedMs).toBe(Math.max(...writes.map(([now]) => now)));
        expect(metadata!.firstWrittenMs!).toBeLessThanOrEqual(metadata!.lastMergedMs!);
        expect(metadata?.arrivalMs).toBe(arrivals.length === 0 ? undefined : Math.min(...arrivals));
      }),
      fcParams,
    );
  });

  it('merge an old row without times: no first written, last merged now', () => {
    expect(nextMetadata({}, START, undefined)).toEqual({ lastMergedMs: START });
    expect(nextMetadata({}, START, START - 5)).toEqual({ lastMergedMs: START, arrivalMs: START - 5 });
  });
});
