import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type Clock, type Sample, systemClock } from '@secondrow/codec';
import { SampleStore } from '@secondrow/codec/dynamodb';
import { ViewerError } from './errors.js';

/** How {@link writeUploads} times a device's writes. */
export interface UploadTiming {
  /** Length of one upload, ms: a whole number of seconds, so no 1 s row spans two uploads. Default 5,000. */
  uploadMs?: number;
  /** Delay from an upload's end to its rows' first write, ms, >= 0. Default 1,500 (rows then are ≤ 6.5 s late). */
  writeDelayMs?: number;
  /**
   * Stretches the watch kept offline, `[startMs, endMs)` epoch ms: their samples are uploaded together when it
   * reconnects, `reconnectDelayMs` after the stretch ends. Default none.
   */
  offline?: ReadonlyArray<readonly [number, number]>;
  /** Delay from an offline stretch's end to its upload's write, ms, >= 0. Default 45,000. */
  reconnectDelayMs?: number;
  /** Uploads written at the same time, a positive integer. Default 8. */
  concurrency?: number;
}

/** A clock frozen at one time for `now()`, sleeping in real time (the store's backoff and timeouts). */
function frozenClock(nowMs: number): Clock {
  return { now: () => nowMs, sleep: (ms, signal) => systemClock.sleep(ms, signal) };
}

/**
 * Writes one device's samples (ascending times) with `SampleStore.write` as a watch uploads them: in uploads of
 * `uploadMs`, each stamped as first written `writeDelayMs` after its end (the store's clock), and the samples of
 * `offline` stretches in one late upload each. The rows' audit times (`firstWrittenMs`) then tell a realistic
 * lateness, whatever the wall clock said while writing.
 *
 * @returns the rows written.
 * @throws {ViewerError} `FLEET_WRITE_FAILED` when a row could not be written; `USAGE` for a bad timing option.
 */
export async function writeUploads(
  client: DynamoDBClient,
  tableName: string,
  deviceId: string,
  samples: readonly Sample[],
  timing: UploadTiming = {},
): Promise<number> {
  const uploadMs = timing.uploadMs ?? 5000;
  const writeDelayMs = timing.writeDelayMs ?? 1500;
  const reconnectDelayMs = timing.reconnectDelayMs ?? 45_000;
  const concurrency = timing.concurrency ?? 8;
  const offline = timing.offline ?? [];
  if (!(Number.isSafeInteger(uploadMs) && uploadMs >= 1000 && uploadMs % 1000 === 0)) {
    throw new ViewerError(
      'USAGE',
      `uploadMs must be a positive whole number of seconds in ms, got ${uploadMs}`,
    );
  }
  for (const [name, value] of [
    ['writeDelayMs', writeDelayMs],
    ['reconnectDelayMs', reconnectDelayMs],
  ] as const) {
    if (!(Number.isFinite(value) && value >= 0)) {
      throw new ViewerError('USAGE', `${name} must be a finite number of ms >= 0, got ${value}`);
    }
  }
  if (!(Number.isSafeInteger(concurrency) && concurrency >= 1)) {
    throw new ViewerError('USAGE', `concurrency must be a positive integer, got ${concurrency}`);
  }
  // Upload key → its samples and when it was written.
  const uploads = new Map<number, { writtenMs: number; samples: Sample[] }>();
  for (const sample of samples) {
    const stretch = offline.findIndex(([a, b]) => sample.t >= a && sample.t < b);
    let key: number;
    let writtenMs: number;
    if (stretch >= 0) {
      const end = (offline[stretch] as readonly [number, number])[1];
      key = -1 - stretch;
      writtenMs = end + reconnectDelayMs;
    } else {
      key = Math.floor(sample.t / uploadMs);
      writtenMs = (key + 1) * uploadMs + writeDelayMs;
    }
    let upload = uploads.get(key);
    if (upload === undefined) {
      upload = { writtenMs, samples: [] };
      uploads.set(key, upload);
    }
    upload.samples.push(sample);
  }
  const queue = [...uploads.values()];
  let rows = 0;
  const worker = async (): Promise<void> => {
    for (let upload = queue.shift(); upload !== undefined; upload = queue.shift()) {
      const store = new SampleStore({ client, tableName, clock: frozenClock(upload.writtenMs) });
      const report = await store.write(deviceId, upload.samples);
      if (report.failed.length > 0) {
        throw new ViewerError(
          'FLEET_WRITE_FAILED',
          `${report.failed.length} rows of ${deviceId} could not be written to the local table`,
          { cause: report.failed[0]?.error },
        );
      }
      rows += report.rowsWritten + report.rowsMerged;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  return rows;
}
