import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IOT_CORE_PRICES, iotMeteredUnits, iotMonthlyCost, UsageError } from '../src/index.js';

const THIRTY_DAYS_S = 30 * 86_400;

describe('IoT Core metering', () => {
  it('meters payload plus topic in 5 KB increments, at least one', () => {
    expect(iotMeteredUnits(0, 0)).toBe(1);
    expect(iotMeteredUnits(5 * 1024 - 20, 20)).toBe(1);
    expect(iotMeteredUnits(5 * 1024 - 20, 21)).toBe(2);
    expect(iotMeteredUnits(128 * 1024, 30)).toBe(26);
  });

  it('is monotone in the bytes and never below bytes / 5 KB', () => {
    fc.assert(
      fc.property(fc.nat(200_000), fc.nat(300), fc.nat(10_000), (payload, topic, more) => {
        const units = iotMeteredUnits(payload, topic);
        expect(iotMeteredUnits(payload + more, topic)).toBeGreaterThanOrEqual(units);
        expect(units).toBeGreaterThanOrEqual((payload + topic) / IOT_CORE_PRICES.meteringUnitBytes);
        expect(units - 1).toBeLessThan(Math.max(1, (payload + topic) / IOT_CORE_PRICES.meteringUnitBytes));
      }),
    );
  });

  it('rejects a negative or non-finite size with a typed error naming it', () => {
    expect(() => iotMeteredUnits(-1, 10)).toThrow(UsageError);
    expect(() => iotMeteredUnits(10, Number.NaN)).toThrow(/topicBytes/);
    const usage = {
      messagesPerMonth: Number.POSITIVE_INFINITY,
      payloadBytes: 100,
      topicBytes: 10,
      connectedMinutesPerMonth: 0,
      basicIngest: true,
      actionsPerMessage: 1,
    };
    expect(() => iotMonthlyCost(usage)).toThrow(/messagesPerMonth/);
  });
});

describe('IoT Core cost of a device-month', () => {
  const oneMessagePerSecond = {
    messagesPerMonth: THIRTY_DAYS_S,
    payloadBytes: 2_000,
    topicBytes: 40,
    connectedMinutesPerMonth: THIRTY_DAYS_S / 60,
    basicIngest: false,
    actionsPerMessage: 1,
  };

  it('charges about $2.59 of messaging for one small message a second over 30 days, none through Basic Ingest', () => {
    const direct = iotMonthlyCost(oneMessagePerSecond);
    expect(direct.messaging).toBeCloseTo(2.592, 6);
    expect(direct.rulesTriggered).toBeCloseTo(0.3888, 6);
    expect(direct.actionsApplied).toBeCloseTo(0.3888, 6);
    expect(direct.connectivity).toBeCloseTo(0.003456, 6);
    const basic = iotMonthlyCost({ ...oneMessagePerSecond, basicIngest: true });
    expect(basic.messaging).toBe(0);
    expect(basic.total).toBeCloseTo(direct.total - direct.messaging, 9);
  });

  it('adds up its line items', () => {
    const cost = iotMonthlyCost({ ...oneMessagePerSecond, payloadBytes: 9_000, actionsPerMessage: 2 });
    expect(cost.total).toBeCloseTo(
      cost.connectivity + cost.messaging + cost.rulesTriggered + cost.actionsApplied,
      12,
    );
    expect(cost.actionsApplied).toBeCloseTo(2 * cost.rulesTriggered, 12);
  });
});
