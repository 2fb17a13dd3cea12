import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { DeviceRegistry, REGISTRY_PARTITION, SampleStore } from '@secondrow/codec/dynamodb';
import { startLocalAws } from '@secondrow/local';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo.js';
import type { KeptTable } from '../../src/demo-keep.js';
import { keptTableText } from '../../src/demo-keep.js';

/** Every device holding rows, with the start of its first and the end of its last row (key scan), epoch ms. */
async function storedRanges(
  client: DynamoDBClient,
  tableName: string,
): Promise<Map<string, { fromMs: number; toMs: number }>> {
  const ranges = new Map<string, { fromMs: number; toMs: number }>();
  for await (const page of paginateScan(
    { client },
    { TableName: tableName, ProjectionExpression: 'd, s', ConsistentRead: true },
  )) {
    for (const item of page.Items ?? []) {
      const deviceId = item.d?.S as string;
      if (deviceId === REGISTRY_PARTITION) continue;
      const startMs = Number(item.s?.N) * 1000;
      const range = ranges.get(deviceId) ?? { fromMs: startMs, toMs: startMs + 1000 };
      range.fromMs = Math.min(range.fromMs, startMs);
      range.toMs = Math.max(range.toMs, startMs + 1000);
      ranges.set(deviceId, range);
    }
  }
  return ranges;
}

describe('runDemo({ keep })', () => {
  it("leaves its table on disk with every device in the consumer's registry, readable after the run", async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'demo-keep-'));
    try {
      let kept: KeptTable | undefined;
      // Act
      const report = await runDemo({
        devices: 3,
        durationSeconds: 6,
        seed: 'keep',
        ceilings: false,
        compareBatchSizes: false,
        progress: false,
        keep: dir,
        onKept: (table) => {
          kept = table;
        },
      });
      // Assert
      expect(report.samples.ok).toBe(true);
      expect(kept?.devices).toHaveLength(3);
      const aws = await startLocalAws({ dataDir: dir, kinesis: false });
      try {
        // The consumer's registry alone lists every device that holds rows, covering them; the printed
        // range is the stored rows' exact span (1 s windows).
        const stored = await storedRanges(aws.dynamodb, 'secondrow-demo');
        expect(stored.size).toBe(3);
        const registry = new DeviceRegistry({ client: aws.dynamodb, tableName: 'secondrow-demo' });
        const { devices } = await registry.list({ consistentRead: true });
        expect(devices.map((d) => d.deviceId).sort()).toEqual([...stored.keys()].sort());
        for (const d of devices) {
          const range = stored.get(d.deviceId) as { fromMs: number; toMs: number };
          // firstMs is the first sample's time, inside the first row; lastMs bounds the last sample.
          expect(d.firstMs).toBeGreaterThanOrEqual(range.fromMs);
          expect(d.firstMs).toBeLessThan(range.fromMs + 1000);
          expect(d.lastMs).toBeGreaterThanOrEqual(range.toMs - 1000);
        }
        expect(kept?.devices).toEqual([...stored.keys()].sort());
        expect(kept?.fromMs).toBe(Math.min(...[...stored.values()].map((r) => r.fromMs)));
        expect(kept?.toMs).toBe(Math.max(...[...stored.values()].map((r) => r.toMs)));
        const store = new SampleStore({ client: aws.dynamodb, tableName: 'secondrow-demo' });
        let samples = 0;
        for (const deviceId of kept?.devices ?? []) {
          for await (const page of store.readColumns(deviceId, kept?.fromMs ?? 0, kept?.toMs ?? 0)) {
            samples += page.columns.length;
          }
        }
        expect(samples).toBe(report.samples.stored);
      } finally {
        await aws.close();
      }
      expect(keptTableText(kept as KeptTable, '/elsewhere')).toContain(
        `pnpm secondrow audit --local ${dir} --from `,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects keep against AWS before anything starts', async () => {
    await expect(runDemo({ tableName: 'rows', keep: '/tmp/x', progress: false })).rejects.toThrow(
      /--keep keeps the local servers/,
    );
  });
});
