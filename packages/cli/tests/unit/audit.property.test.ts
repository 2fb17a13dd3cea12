import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeviceAuditor, fleetAudit, writeUnitsOfBytes } from '../../src/audit.js';

const STEP = 20;
const FROM = 1_700_000_000_000;

/** Slots of a series: runs of kept samples and holes (each hole longer than the gap rule's 3 intervals). */
const layout = fc.record({
  leadingHole: fc.oneof(fc.constant(0), fc.integer({ min: 4, max: 20 })),
  runs: fc.array(
    fc.record({ keep: fc.integer({ min: 25, max: 80 }), hole: fc.integer({ min: 4, max: 20 }) }),
    {
      maxLength: 6,
    },
  ),
  tail: fc.integer({ min: 25, max: 80 }),
  trailingHole: fc.oneof(fc.constant(0), fc.integer({ min: 4, max: 20 })),
});

describe('DeviceAuditor', () => {
  it('finds exactly the holes put in a series, and its coverage', () => {
    fc.assert(
      fc.property(layout, ({ leadingHole, runs, tail, trailingHole }) => {
        // Prepare
        const times: number[] = [];
        const holes: number[] = [];
        let slot = leadingHole;
        if (leadingHole > 0) holes.push(leadingHole);
        for (const { keep, hole } of runs) {
          for (let i = 0; i < keep; i++) times.push(FROM + (slot + i) * STEP);
          slot += keep + hole;
          holes.push(hole);
        }
        for (let i = 0; i < tail; i++) times.push(FROM + (slot + i) * STEP);
        slot += tail + trailingHole;
        if (trailingHole > 0) holes.push(trailingHole);
        const toMs = FROM + slot * STEP;
        const auditor = new DeviceAuditor('d', FROM, toMs);
        // One-second rows, as the store keeps them.
        const byRow = new Map<number, number[]>();
        for (const t of times) {
          const start = Math.floor(t / 1000) * 1000;
          byRow.set(start, [...(byRow.get(start) ?? []), t]);
        }
        for (const [startMs, rowTimes] of byRow) {
          auditor.add({ row: { startMs, samples: rowTimes.map((t) => ({ t })) }, itemBytes: 300 });
        }
        // Act
        const audit = auditor.finish();
        // Assert
        const removed = holes.reduce((s, h) => s + h, 0);
        expect(audit.samples).toBe(times.length);
        expect(audit.missing).toBe(removed);
        expect(audit.coverage).toBe(times.length / (times.length + removed));
        expect(audit.gaps).toEqual({
          count: holes.length,
          totalMs: removed * STEP,
          longestMs: Math.max(0, ...holes) * STEP,
        });
        expect(audit.rows).toBe(byRow.size);
        expect(audit.writeUnits).toBe(byRow.size);
      }),
    );
  });

  it('counts late rows and lateness from the rows that carry audit times only', () => {
    // Prepare
    const auditor = new DeviceAuditor('d', 0, 3_000);
    auditor.add({
      row: { startMs: 0, samples: [{ t: 0 }, { t: 500 }] },
      itemBytes: 100,
      firstWrittenMs: 4_000,
      lastMergedMs: 4_000,
      arrivalMs: 3_900,
    });
    auditor.add({
      row: { startMs: 1_000, samples: [{ t: 1_000 }] },
      itemBytes: 100,
      firstWrittenMs: 4_000,
      lastMergedMs: 9_000,
    });
    auditor.add({ row: { startMs: 2_000, samples: [{ t: 2_000 }] }, itemBytes: 100 });
    // Act
    const audit = auditor.finish();
    // Assert
    expect(audit.lateRows).toBe(1);
    expect(audit.rowsWithoutTimes).toBe(1);
    expect(audit.lateness.sampleToFirstWrite).toEqual({
      count: 2,
      p50: 3_000,
      p90: 4_000,
      p99: 4_000,
      max: 4_000,
    });
    expect(audit.lateness.arrivalToFirstWrite).toEqual({ count: 1, p50: 100, p90: 100, p99: 100, max: 100 });
  });

  it('sums devices into the fleet, with coverage over all samples', () => {
    // Prepare
    const a = new DeviceAuditor('a', 0, 1_000);
    a.add({
      row: { startMs: 0, samples: Array.from({ length: 50 }, (_, i) => ({ t: i * 20 })) },
      itemBytes: 1_500,
    });
    const b = new DeviceAuditor('b', 0, 1_000);
    b.add({
      row: { startMs: 0, samples: Array.from({ length: 25 }, (_, i) => ({ t: i * 20 })) },
      itemBytes: 500,
    });
    // Act
    const fleet = fleetAudit(0, 1_000, [
      { audit: a.finish(), lateness: a.latenessValues() },
      { audit: b.finish(), lateness: b.latenessValues() },
    ]);
    // Assert
    expect(fleet.total).toMatchObject({
      samples: 75,
      missing: 25,
      coverage: 0.75,
      rows: 2,
      itemBytes: 2_000,
      writeUnits: 3,
    });
    expect(fleet.total.gaps).toEqual({ count: 1, totalMs: 500, longestMs: 500 });
  });
});

describe('writeUnitsOfBytes()', () => {
  it('is one unit per started KiB, at least one', () => {
    expect([1, 1_024, 1_025, 2_048, 2_049].map(writeUnitsOfBytes)).toEqual([1, 1, 2, 2, 3]);
  });
});
