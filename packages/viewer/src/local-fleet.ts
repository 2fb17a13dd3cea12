import type { Sample } from '@secondrow/codec';
import { DeviceRegistry, SampleStore } from '@secondrow/codec/dynamodb';
import { createRowTable, type LocalAws, startLocalAws } from '@secondrow/local';
import { createMotionSource, deviceIds, MOTION_ACTIVITIES, Prng } from '@secondrow/simulator';
import { writeUploads } from './upload-writer.js';

/** Shape of the simulated fleet {@link startLocalFleet} writes. */
export interface FleetOptions {
  /** Devices, a positive integer. Default 3. */
  devices?: number;
  /** Length of each device's recording, ms. Default 10 minutes. */
  durationMs?: number;
  /** Samples per second. Default 50. */
  rateHz?: number;
  /** Exclusive end of the recordings, epoch ms (whole seconds). Default: the current second. */
  endMs?: number;
  /**
   * Holes cut out of every device's recording, `[startMs, endMs)` offsets from its start, ms. Default: a
   * 12 s hole at 2:00, a 3 s hole at 5:30 and a 1 s hole at 8:05 (those past the duration are dropped).
   */
  holes?: ReadonlyArray<readonly [number, number]>;
  /**
   * Stretches every watch kept offline, `[startMs, endMs)` offsets from its start, ms: their samples are
   * written 45 s after the stretch ends, so their rows are late. Default: 30 s from 6:40 (dropped when past
   * the duration). The other samples are written in 5 s uploads, 1.5 s after each upload's end (see
   * `writeUploads`), so their rows are at most 6.5 s late.
   */
  offline?: ReadonlyArray<readonly [number, number]>;
  /** Seed of the motion and device ids. Default `viewer`. */
  seed?: string;
}

/** A device of the fleet and what was written for it. */
export interface FleetDevice {
  deviceId: string;
  /** First and last sample time written, epoch ms. */
  firstMs: number;
  lastMs: number;
  /** Samples written. */
  samples: number;
  /** The holes cut, absolute `[startMs, endMs)`, epoch ms. */
  holes: Array<[number, number]>;
  /** The offline stretches, absolute `[startMs, endMs)`, epoch ms: their rows were written late. */
  offline: Array<[number, number]>;
}

/** Local DynamoDB holding a simulated fleet. */
export interface LocalFleet {
  aws: LocalAws;
  tableName: string;
  store: SampleStore;
  registry: DeviceRegistry;
  devices: FleetDevice[];
  /** Stops the local servers (the data is gone). */
  close(): Promise<void>;
}

/** The default holes, offsets in ms from a recording's start. */
export const DEFAULT_HOLES: ReadonlyArray<readonly [number, number]> = [
  [120_000, 132_000],
  [330_000, 333_000],
  [485_000, 486_000],
];

/** The default offline stretch, offsets in ms from a recording's start. */
export const DEFAULT_OFFLINE: ReadonlyArray<readonly [number, number]> = [[400_000, 430_000]];

/**
 * Starts a local DynamoDB (`startLocalAws`, no Kinesis), creates a row table and writes a simulated fleet
 * into it: per device, synthetic wrist motion (the simulator's `createMotionSource`) with the given holes
 * cut out, written with `SampleStore.write` as a watch uploads it (`writeUploads`: the rows' first write
 * times follow their sample times, late only in the offline stretches) and noted exactly in the
 * `DeviceRegistry`.
 *
 * @throws {ViewerError} `FLEET_WRITE_FAILED` when a row could not be written (the servers are stopped).
 */
export async function startLocalFleet(options: FleetOptions = {}): Promise<LocalFleet> {
  const count = options.devices ?? 3;
  const durationMs = options.durationMs ?? 600_000;
  const rateHz = options.rateHz ?? 50;
  const endMs = options.endMs ?? Math.floor(Date.now() / 1000) * 1000;
  const holes = options.holes ?? DEFAULT_HOLES;
  const offline = options.offline ?? DEFAULT_OFFLINE;
  const seed = options.seed ?? 'viewer';
  const aws = await startLocalAws({ kinesis: false });
  try {
    const tableName = await createRowTable(aws.dynamodb);
    const store = new SampleStore({ client: aws.dynamodb, tableName });
    const registry = new DeviceRegistry({ client: aws.dynamodb, tableName, intervalMs: 0 });
    const devices: FleetDevice[] = [];
    for (const [index, deviceId] of deviceIds(seed, count).entries()) {
      const startMs = endMs - durationMs;
      const within = (spans: ReadonlyArray<readonly [number, number]>): Array<[number, number]> =>
        spans
          .filter(([a]) => a < durationMs)
          .map(([a, b]): [number, number] => [startMs + a, startMs + Math.min(b, durationMs)]);
      const absolute = within(holes);
      const late = within(offline);
      const source = createMotionSource({
        activity: MOTION_ACTIVITIES[index % MOTION_ACTIVITIES.length] ?? 'walk',
        rateHz,
        startMs,
        prng: Prng.derive(seed, 'motion', index),
      });
      const samples: Sample[] = [];
      for (let s = source.next(); s.t < endMs; s = source.next()) {
        if (!absolute.some(([a, b]) => s.t >= a && s.t < b)) samples.push(s);
      }
      await writeUploads(aws.dynamodb, tableName, deviceId, samples, { offline: late });
      const firstMs = samples[0]?.t ?? startMs;
      const lastMs = samples.at(-1)?.t ?? startMs;
      await registry.note(deviceId, firstMs, lastMs);
      devices.push({ deviceId, firstMs, lastMs, samples: samples.length, holes: absolute, offline: late });
    }
    return { aws, tableName, store, registry, devices, close: () => aws.close() };
  } catch (error) {
    await aws.close();
    throw error;
  }
}
