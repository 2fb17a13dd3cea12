import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROW_V2_SCHEMA_ID, type Sample } from '@secondrow/codec';
import { DeviceRegistry } from '@secondrow/codec/dynamodb';
import { createRowTable, type LocalAws, startLocalAws } from '@secondrow/local';
import { createMotionSource, MOTION_ACTIVITIES, Prng } from '@secondrow/simulator';
import { writeUploads } from '../src/upload-writer.js';

/**
 * Version of what {@link openDeviceDay} writes: change it with the day's shape (times, holes, motion, upload
 * timing) so a kept table of an older shape is written again rather than measured. The kept table's folder
 * also names the codec's row schema, so rows of an older format are written again too.
 */
export const DEVICE_DAY_VERSION = 1;

/** The day: 2026-12-03 UTC, one device at 50 Hz. */
export const DAY_START_MS = Date.UTC(2026, 11, 3);
export const DAY_MS = 86_400_000;
export const DAY_DEVICE = 'watch-day';
const TABLE = 'viewer-bench-day';
const RATE_HZ = 50;
/** Off the wrist (charging): no samples. */
const HOLES: Array<[number, number]> = [[DAY_START_MS + 13 * 3_600_000, DAY_START_MS + 13.5 * 3_600_000]];
/** Offline from the phone: uploaded 45 s after reconnecting, so these rows are late. */
const OFFLINE: Array<[number, number]> = [
  [DAY_START_MS + 8 * 3_600_000, DAY_START_MS + 8 * 3_600_000 + 600_000],
  [DAY_START_MS + 18 * 3_600_000, DAY_START_MS + 18 * 3_600_000 + 900_000],
];

/** A local DynamoDB holding the device-day. */
export interface DeviceDay {
  aws: LocalAws;
  tableName: string;
  /** Where the table is kept. */
  dataDir: string;
  /** True when this run wrote the day; false when it reused the kept table. */
  seeded: boolean;
  /** Rows of the day (one per second with samples). */
  rows: number;
  /** Wall time of the writing, ms (0 when reused). */
  seedMs: number;
  close(): Promise<void>;
}

interface SeedMark {
  version: number;
  rows: number;
}

/**
 * Opens the device-day kept in the OS temp folder (`secondrow-viewer-bench-day-v<version>-row<schema id>`), or writes it
 * first when absent or of another version: 24 h at 50 Hz of the simulator's wrist motion (an activity per
 * hour), a 30 min hole, two offline stretches, written through the real `SampleStore` as 5 s uploads
 * (`writeUploads`: 86,400 one-second rows less the hole) and noted in the `DeviceRegistry`. Writing takes
 * about 90 s on a shared 2-core machine; the table is reused on later runs.
 */
export async function openDeviceDay(onProgress?: (text: string) => void): Promise<DeviceDay> {
  const dataDir = join(tmpdir(), `secondrow-viewer-bench-day-v${DEVICE_DAY_VERSION}-row${ROW_V2_SCHEMA_ID}`);
  const markFile = join(dataDir, 'seeded.json');
  const mark = existsSync(markFile) ? (JSON.parse(readFileSync(markFile, 'utf8')) as SeedMark) : undefined;
  if (mark?.version === DEVICE_DAY_VERSION) {
    // dynalite on its own thread, as `pnpm viewer` serves a kept table.
    const aws = await startLocalAws({ dataDir, kinesis: false, thread: true });
    return {
      aws,
      tableName: TABLE,
      dataDir,
      seeded: false,
      rows: mark.rows,
      seedMs: 0,
      close: () => aws.close(),
    };
  }
  const started = performance.now();
  const aws = await startLocalAws({ dataDir, clearDataDir: true, kinesis: false });
  try {
    await createRowTable(aws.dynamodb, TABLE);
    let rows = 0;
    for (let hour = 0; hour < 24; hour++) {
      const startMs = DAY_START_MS + hour * 3_600_000;
      const source = createMotionSource({
        activity: MOTION_ACTIVITIES[hour % MOTION_ACTIVITIES.length] ?? 'walk',
        rateHz: RATE_HZ,
        startMs,
        prng: Prng.derive('viewer-bench-day', 'motion', hour),
      });
      const samples: Sample[] = [];
      for (let s = source.next(); s.t < startMs + 3_600_000; s = source.next()) {
        if (!HOLES.some(([a, b]) => s.t >= a && s.t < b)) samples.push(s);
      }
      rows += await writeUploads(aws.dynamodb, TABLE, DAY_DEVICE, samples, { offline: OFFLINE });
      onProgress?.(`seeding the device-day: hour ${hour + 1}/24, ${rows} rows`);
    }
    await new DeviceRegistry({ client: aws.dynamodb, tableName: TABLE, intervalMs: 0 }).note(
      DAY_DEVICE,
      DAY_START_MS,
      DAY_START_MS + DAY_MS - 1000 / RATE_HZ,
    );
    writeFileSync(markFile, JSON.stringify({ version: DEVICE_DAY_VERSION, rows } satisfies SeedMark));
    return {
      aws,
      tableName: TABLE,
      dataDir,
      seeded: true,
      rows,
      seedMs: performance.now() - started,
      close: () => aws.close(),
    };
  } catch (error) {
    await aws.close();
    throw error;
  }
}
