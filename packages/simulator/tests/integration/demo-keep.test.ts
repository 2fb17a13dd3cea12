import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeviceRegistry, SampleStore } from '@secondrow/codec/dynamodb';
import { startLocalAws } from '@secondrow/local';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo.js';
import type { KeptTable } from '../../src/demo-keep.js';
import { keptTableText } from '../../src/demo-keep.js';

describe('runDemo({ keep })', () => {
  it('leaves its table on disk with every device registered, readable after the run', async () => {
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
        const registry = new DeviceRegistry({ client: aws.dynamodb, tableName: 'secondrow-demo' });
        const { devices } = await registry.list();
        expect(devices.map((d) => d.deviceId).sort()).toEqual(kept?.devices);
        const store = new SampleStore({ client: aws.dynamodb, tableName: 'secondrow-demo' });
        let stored = 0;
        for (const deviceId of kept?.devices ?? []) {
          for await (const page of store.readColumns(deviceId, kept?.fromMs ?? 0, kept?.toMs ?? 0)) {
            stored += page.columns.length;
          }
        }
        expect(stored).toBe(report.samples.stored);
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
