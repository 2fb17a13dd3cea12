import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Sample } from '@secondrow/codec';
import { recordingsDir } from '@secondrow/devkit';
import { type LocalAws, startLocalAws } from '@secondrow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_DATA_PATH, loadRecordings } from '../../src/corpus.js';
import type { Layout } from '../../src/layouts/layout.js';
import { LAYOUTS } from '../../src/layouts/registry.js';
import { BATCH_WRITE_MAX_ITEMS, batchWrite, createLayoutTable, queryDevice } from '../../src/table-io.js';

const dir = recordingsDir();
const files = readdirSync(dir).filter((f) => f.endsWith('.csv'));

/** Asserts same times in order and every axis within the layout's tolerance (plus float noise). */
function expectSameSamples(layout: Layout, actual: readonly Sample[], expected: readonly Sample[]): void {
  expect(actual.map((s) => s.t)).toEqual(expected.map((s) => s.t));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    worst = Math.max(worst, Math.abs(a.x - e.x), Math.abs(a.y - e.y), Math.abs(a.z - e.z));
  }
  expect(worst).toBeLessThanOrEqual(layout.toleranceG + 1e-9);
}

describe('layout round trips on the real recordings', () => {
  it('finds the five recordings', () => {
    // Assess
    expect(files.length).toBe(5);
  });

  for (const layout of LAYOUTS) {
    it(`${layout.name}: fromItems(toItems(samples)) gives the samples back`, () => {
      for (const file of files) {
        // Prepare
        const device = loadRecordings(join(dir, file)).devices[0]!;
        // Act
        const items = layout.toItems(device.deviceId, device.samples);
        const back = layout.fromItems([...items].reverse());
        // Assess
        expectSameSamples(layout, back, device.samples);
      }
    });
  }

  it('exact layouts give back the exact numbers', () => {
    // Prepare
    const device = loadRecordings(join(dir, 'applewatch_walk_25hz.csv')).devices[0]!;
    for (const layout of LAYOUTS.filter((l) => l.toleranceG === 0)) {
      // Act
      const back = layout.fromItems(layout.toItems(device.deviceId, device.samples));
      // Assess
      expect(back).toEqual(device.samples);
    }
  });
});

describe('layout round trips through dynalite', () => {
  let db: LocalAws;
  beforeAll(async () => {
    db = await startLocalAws({ kinesis: false, dynamodbClient: { maxAttempts: 3 } });
  });
  afterAll(async () => {
    await db.close();
  });

  it('every layout reads back the bundled clip after BatchWriteItem and Query', async () => {
    // Prepare
    const device = loadRecordings(BUNDLED_DATA_PATH).devices[0]!;
    for (const layout of LAYOUTS) {
      const table = await createLayoutTable(db.dynamodb, `rt-${layout.name}`, layout.keySchema);
      const items = layout.toItems(device.deviceId, device.samples);
      // Act
      for (let i = 0; i < items.length; i += BATCH_WRITE_MAX_ITEMS) {
        await batchWrite(db.dynamodb, table, items.slice(i, i + BATCH_WRITE_MAX_ITEMS));
      }
      const read = await queryDevice(db.dynamodb, table, layout.keySchema, device.deviceId);
      // Assess
      expect(read.items.length).toBe(items.length);
      expectSameSamples(layout, layout.fromItems(read.items), device.samples);
    }
  });
});
