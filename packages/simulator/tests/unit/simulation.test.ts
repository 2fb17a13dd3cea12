import {
  DEFAULT_FAULT_RATES,
  type Delivery,
  NO_FAULTS,
  runSimulation,
  scheduleFlushes,
  VirtualClock,
} from '@secondrow/simulator';
import { describe, expect, it } from 'vitest';
import { jsonOf, MemorySink } from '../helpers/memory-sink.js';

const START = 1_700_000_000_000;

describe('scheduleFlushes()', () => {
  it('flushes every interval until the end, and once more on reconnecting', () => {
    expect(scheduleFlushes(START + 5_000, 30_000, START + 120_000)).toEqual([
      START + 5_000,
      START + 35_000,
      START + 65_000,
      START + 95_000,
    ]);
    expect(
      scheduleFlushes(START, 30_000, START + 90_000, { fromMs: START + 10_000, toMs: START + 70_000 }),
    ).toEqual([START, START + 30_000, START + 60_000, START + 70_000]);
  });
});

describe('runSimulation()', () => {
  it("sends each device's batches only at its flushes, 30 s apart, and everything by the end", async () => {
    // Prepare
    const sink = new MemorySink();
    const deliveries: Delivery[] = [];
    // Act
    const result = await runSimulation({
      seed: 'flush',
      devices: 3,
      durationSeconds: 120,
      startMs: START,
      source: { kind: 'synthetic', activity: 'walk' },
      sink,
      onDelivered: (d) => deliveries.push(d),
    });
    // Assess
    for (const device of result.devices) {
      const flushes = [
        ...new Set(deliveries.filter((d) => d.deviceId === device.deviceId).map((d) => d.flushAtMs)),
      ];
      const gaps = flushes.slice(1).map((t, i) => t - (flushes[i] ?? 0));
      expect(gaps.slice(0, -1).every((g) => g === 30_000)).toBe(true);
      expect(flushes.at(-1)).toBe(START + 120_000);
    }
    const sent = sink.accepted.reduce((n, e) => n + (jsonOf(e).samples as unknown[]).length, 0);
    expect(sent).toBe(result.truth.produced);
    expect(result.truth.produced).toBeGreaterThan(3 * 119 * 50);
    expect(result.injected).toMatchObject({ duplicatedRecords: 0, gaps: 0, reorderedRecords: 0 });
  });

  it('is reproducible: the same seed sends the same bytes', async () => {
    const run = async () => {
      const sink = new MemorySink();
      await runSimulation({
        seed: 's',
        devices: 2,
        durationSeconds: 20,
        startMs: START,
        faults: DEFAULT_FAULT_RATES,
        sink,
      });
      return sink.accepted.map((e) => Buffer.from(e.data).toString('base64')).sort();
    };
    expect(await run()).toEqual(await run());
  });

  it('skips flushes while a phone is offline and sends the backlog on reconnecting', async () => {
    const sink = new MemorySink();
    const deliveries: Delivery[] = [];
    const result = await runSimulation({
      seed: 'offline',
      devices: 1,
      durationSeconds: 200,
      startMs: START,
      faults: { ...NO_FAULTS, offline: 1 },
      faultShape: { maxGapSamples: 1, maxSkewMs: 0, offlineMs: [70_000, 70_000] },
      sink,
      onDelivered: (d) => deliveries.push(d),
    });
    const offline = result.devices[0]?.offline;
    expect(offline).toBeDefined();
    expect(result.injected.skippedFlushes).toBeGreaterThanOrEqual(2);
    const reconnect = deliveries.filter((d) => d.flushAtMs === offline?.toMs);
    expect(reconnect.length).toBeGreaterThan(10);
    expect(
      deliveries.some((d) => d.flushAtMs > (offline?.fromMs ?? 0) && d.flushAtMs < (offline?.toMs ?? 0)),
    ).toBe(false);
  });

  it('records clock skew in the stamps the truth keeps', async () => {
    const sink = new MemorySink();
    const result = await runSimulation({
      seed: 'skew',
      devices: 4,
      durationSeconds: 10,
      startMs: START,
      source: { kind: 'synthetic', activity: 'rest' },
      faults: { ...NO_FAULTS, skew: 1 },
      sink,
    });
    for (const device of result.devices) {
      expect(device.skewMs).not.toBe(0);
      const range = result.truth.range(device.deviceId);
      expect(Math.abs((range?.fromMs ?? 0) - START - device.skewMs)).toBeLessThan(1000);
    }
  });

  it('runs on a finite-speed clock too', async () => {
    const clock = new VirtualClock({ startMs: START, speed: 1000 });
    const result = await runSimulation({
      seed: 'c',
      devices: 1,
      durationSeconds: 5,
      clock,
      sink: new MemorySink(),
    });
    expect(result.startMs).toBe(START);
    expect(clock.now()).toBeGreaterThanOrEqual(START + 5_000);
  });
});

describe('VirtualClock', () => {
  it('at infinite speed, moves only when someone sleeps', async () => {
    const clock = new VirtualClock({ startMs: START, speed: Number.POSITIVE_INFINITY });
    expect(clock.now()).toBe(START);
    await clock.sleepUntil(START + 60_000);
    expect(clock.now()).toBe(START + 60_000);
    await clock.sleepUntil(START + 10);
    expect(clock.now()).toBe(START + 60_000);
  });

  it('at a finite speed, runs that many times faster than the wall clock', async () => {
    const clock = new VirtualClock({ startMs: START, speed: 100 });
    await clock.sleepUntil(START + 2_000);
    expect(clock.now()).toBeGreaterThanOrEqual(START + 2_000);
  });
});
