import { type LocalAws, startLocalAws } from '@secondrow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_DATA_PATH, loadRecordings } from '../../src/corpus.js';
import { measureLayout } from '../../src/layout-figures.js';
import { LAYOUTS, selectLayouts } from '../../src/layouts/registry.js';
import { SMALL_RUN } from '../helpers/small-run.js';

describe('computed and measured capacity units', () => {
  let db: LocalAws;
  beforeAll(async () => {
    db = await startLocalAws({ kinesis: false, dynamodbClient: { maxAttempts: 3 } });
  });
  afterAll(async () => {
    await db.close();
  });

  const corpus = loadRecordings(BUNDLED_DATA_PATH);
  const options = () => ({
    client: db.dynamodb,
    maxMeasuredItems: 200,
    minTimingMs: 0,
    usage: SMALL_RUN.usage,
    prices: SMALL_RUN.prices,
  });

  // Every layout, including those storing negative x/y/z as DynamoDB numbers.
  const agreeing = LAYOUTS;

  for (const layout of agreeing) {
    it(`${layout.name}: write and read units by the rules equal what dynalite reports`, async () => {
      // Act
      const result = await measureLayout(layout, corpus, options());
      // Assess
      expect(result.check.itemsWritten).toBeGreaterThan(0);
      expect(result.check.writeUnitsMeasured).toBe(result.check.writeUnitsComputed);
      expect(result.check.readUnitsMeasured).toBe(result.check.readUnitsComputed);
      expect(result.check.agree).toBe(true);
    });
  }

  it('per-sample: one write unit per sample, by the rules and on dynalite', async () => {
    // Act
    const result = await measureLayout(LAYOUTS[0]!, corpus, options());
    // Assess
    expect(result.layout).toBe('per-sample');
    expect(result.check.writeUnitsComputed).toBe(result.check.itemsWritten);
    expect(result.check.writeUnitsMeasured).toBe(result.check.itemsWritten);
  });

  it('per-second-avro costs one write unit per device-second with data', async () => {
    // Act
    const result = await measureLayout(selectLayouts(['per-second-avro'])[0]!, corpus, options());
    // Assess
    expect(result.wruPerDeviceSecond).toBe(1);
    expect(result.wruPerDeviceSecondMeasured).toBe(1);
    expect(result.itemsPerDeviceHour).toBe(3600);
  });
});
