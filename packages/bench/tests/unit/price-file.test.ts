import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KINESIS_PRICES, LAMBDA_PRICES } from '@secondrow/devkit';
import { afterAll, describe, expect, it } from 'vitest';
import { ArgumentError } from '../../src/errors.js';
import { applyPriceOverrides, DEFAULT_PIPELINE_PRICES, readPriceFile } from '../../src/price-file.js';

describe('readPriceFile()', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-prices-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lays the file over the dated sheets and says so in each changed source', () => {
    // Prepare
    const file = join(dir, 'eu.json');
    writeFileSync(
      file,
      JSON.stringify({ region: 'eu-west-1', checked: '2026-12-01', kinesis: { shardHourUsd: 0.017 } }),
    );
    // Act
    const prices = readPriceFile(file);
    // Assess
    expect(prices.kinesis.shardHourUsd).toBe(0.017);
    expect(prices.kinesis.putPayloadUnitsUsdPerMillion).toBe(KINESIS_PRICES.putPayloadUnitsUsdPerMillion);
    expect(prices.lambda.gbSecondUsd).toBe(LAMBDA_PRICES.gbSecondUsd);
    expect(prices.lambda.region).toBe('eu-west-1');
    expect(prices.dynamodb.checked).toBe('2026-12-01');
    expect(prices.kinesis.source).toContain(`overridden by --prices ${file}`);
    // The constants themselves are untouched.
    expect(KINESIS_PRICES.shardHourUsd).toBe(0.015);
  });

  it('rejects unknown sections and fields, wrong types, negative prices and zero sizes', () => {
    for (const doc of [
      [],
      { kinesys: {} },
      { kinesis: { shardHour: 1 } },
      { kinesis: { shardHourUsd: -1 } },
      { kinesis: { shardHourUsd: '0.015' } },
      { kinesis: { putPayloadUnitBytes: 0 } },
      { lambda: 3 },
      { region: 7 },
    ]) {
      // Act
      let caught: unknown;
      try {
        applyPriceOverrides(doc, DEFAULT_PIPELINE_PRICES, 'test.json');
      } catch (error) {
        caught = error;
      }
      // Assess
      expect(caught, JSON.stringify(doc)).toBeInstanceOf(ArgumentError);
      expect((caught as ArgumentError).flag).toBe('prices');
    }
  });

  it('names the file when it is not JSON', () => {
    // Prepare
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{ not json');
    // Act + Assess
    expect(() => readPriceFile(file)).toThrow(/--prices .*bad\.json/);
  });
});
