import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type Sample, systemClock } from '@secondrow/codec';
import { DeviceRegistry, SampleStore } from '@secondrow/codec/dynamodb';
import { createRowTable, startLocalAws } from '@secondrow/local';

/** 2024-01-01T00:00:00Z: the start of every test series. */
export const T0 = Date.UTC(2024, 0, 1);

/**
 * A 50 Hz series over `[T0, T0 + seconds)` without the samples in the `holes` (ms after T0, half-open),
 * values on the 1 mg grid and different per sample.
 */
export function series(seconds: number, holes: readonly [number, number][] = [], stepMs = 20): Sample[] {
  const samples: Sample[] = [];
  for (let offset = 0; offset < seconds * 1000; offset += stepMs) {
    if (holes.some(([from, to]) => offset >= from && offset < to)) continue;
    const k = offset / stepMs;
    samples.push({
      t: T0 + offset,
      x: ((k % 2001) - 1000) / 1000,
      y: (((k * 7) % 3001) - 1500) / 1000,
      z: -1 + (k % 13) / 1000,
    });
  }
  return samples;
}

/** One write of a test dataset: the samples, when the store writes them and when they arrived. */
export interface TestWrite {
  deviceId: string;
  samples: readonly Sample[];
  /** The store's clock during the write (its `firstWrittenMs` / `lastMergedMs`), epoch ms. */
  nowMs: number;
  /** The stream arrival passed to the store, epoch ms. */
  arrivalMs?: number;
}

/**
 * Writes `writes` in order into a row table named `tableName` of a new data directory, registers each
 * device's range, and stops the servers: the directory is then what `pnpm demo --keep` leaves.
 *
 * @returns The data directory.
 */
export async function keptDataset(tableName: string, writes: readonly TestWrite[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'cli-data-'));
  const aws = await startLocalAws({ dataDir: dir, kinesis: false });
  try {
    await createRowTable(aws.dynamodb, tableName);
    const registry = new DeviceRegistry({ client: aws.dynamodb, tableName, intervalMs: 0 });
    for (const { deviceId, samples, nowMs, arrivalMs } of writes) {
      // A fixed time stamps the rows; waits (attempt timeouts, backoff) stay real.
      const clock = { now: () => nowMs, sleep: systemClock.sleep };
      const store = new SampleStore({ client: aws.dynamodb, tableName, clock });
      const report = await store.write(deviceId, samples, arrivalMs === undefined ? {} : { arrivalMs });
      if (report.failed.length > 0)
        throw new Error(`could not write ${deviceId}`, { cause: report.failed[0]?.error });
      const times = samples.map((s) => s.t);
      await registry.note(deviceId, Math.min(...times), Math.max(...times));
    }
  } finally {
    await aws.close();
  }
  return dir;
}

/** A stream that keeps what is written, as text. */
export class TextSink extends Writable {
  text = '';
  isTTY = false;

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

/** Streams for `runCli`: stdout and stderr kept as text, an empty environment. */
export function testIo(): {
  stdout: TextSink;
  stderr: TextSink & NodeJS.WriteStream;
  env: Record<string, string>;
} {
  return { stdout: new TextSink(), stderr: new TextSink() as TextSink & NodeJS.WriteStream, env: {} };
}
