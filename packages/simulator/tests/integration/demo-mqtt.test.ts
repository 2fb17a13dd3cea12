import { runDemo } from '@secondrow/simulator';
import { describe, expect, it } from 'vitest';

describe('runDemo({ transport: "mqtt" }) on a local broker, topic rule and servers', () => {
  it('stores every sample exactly once through dropped connections and QoS 1 redeliveries', async () => {
    const report = await runDemo({
      transport: 'mqtt',
      devices: 4,
      durationSeconds: 20,
      flushIntervalSeconds: 2,
      // Slow enough that connections drop while devices publish.
      speed: 20,
      faults: { duplicate: 0.2, drop: 0.005, reorder: 0.2, skew: 0.5, offline: 0.5 },
      brokerFaults: { dropsPerSecond: 20, lostPuback: 0.3 },
      compareBatchSizes: false,
      ceilings: false,
      seed: 'integration-mqtt',
      progress: false,
    });
    expect(report.samples.problems).toEqual([]);
    expect(report.samples).toMatchObject({ lost: 0, duplicated: 0, wrongValues: 0, ok: true });
    expect(report.settings).toMatchObject({ transport: 'mqtt', format: 'avro' });
    const iot = report.iot;
    expect(iot).toBeDefined();
    if (iot === undefined) return;
    // The faults happened: connections dropped, PUBACKs lost, so the rule took some messages twice.
    expect(iot.path.broker.dropped).toBeGreaterThan(0);
    expect(iot.path.broker.lostPubacks).toBeGreaterThan(0);
    expect(iot.path.rule.matched).toBeGreaterThan(iot.path.traffic.acknowledged);
    expect(iot.path.errorAction.left).toBe(0);
    expect(iot.path.broker.refusedPublishes).toBe(0);
    // Every payload fits one 5 KB metering unit with its topic; Basic Ingest has no messaging line.
    expect(iot.path.traffic.maxPayloadBytes).toBeLessThanOrEqual(iot.path.payloadBudget);
    expect(iot.cost.perDeviceMonth.meteredUnitsPerMessage).toBe(1);
    expect(iot.cost.perDeviceMonth.basicIngest.messaging).toBe(0);
    expect(iot.cost.perDeviceMonth.withoutBasicIngest.messaging).toBeGreaterThan(0);
    expect(report.ok).toBe(true);
  });
});
