import { gzipSync } from 'node:zlib';
import { type Batch, encodeBatch, type Sample } from '@secondrow/codec';
import { aggregate } from 'aws-kinesis-agg';

/**
 * `count` samples of one device at `rateHz` from `startMs`, values on the 1 mg grid (x, y in [-1, 1) g,
 * z in [0, 1) g); `seed` varies the values between devices.
 *
 * @param startMs - Time of the first sample, epoch ms.
 * @param count - Number of samples.
 * @param rateHz - Sample rate in Hz. Default 50.
 * @param seed - Offsets the value pattern. Default 1.
 */
export function makeSamples(startMs: number, count: number, rateHz = 50, seed = 1): Sample[] {
  const step = 1000 / rateHz;
  return Array.from({ length: count }, (_, i) => ({
    t: Math.round(startMs + i * step),
    x: ((seed * 37 + i * 13) % 2000) / 1000 - 1,
    y: ((seed * 11 + i * 7) % 2000) / 1000 - 1,
    z: ((seed * 5 + i * 3) % 1000) / 1000,
  }));
}

/**
 * A JSON v1 record of the phone app: `[t, x, y, z]` tuples, batch id 1, `sentAt` 100 ms after the last sample.
 *
 * @param extra - Fields added to (or replacing) the record's own.
 */
export function jsonV1(
  deviceId: string,
  samples: readonly Sample[],
  extra: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    deviceId,
    batchId: 1,
    sentAt: (samples.at(-1)?.t ?? 0) + 100,
    samples: samples.map((s) => [s.t, s.x, s.y, s.z]),
    ...extra,
  });
}

/**
 * ISO-8601 local time with milliseconds and the UTC offset, as the 2015 app wrote it.
 *
 * @param t - Epoch ms.
 * @param offsetMinutes - UTC offset in minutes. Default -420 (UTC-07:00).
 */
export function legacyTimestamp(t: number, offsetMinutes = -420): string {
  const local = new Date(t + offsetMinutes * 60_000).toISOString().slice(0, 23);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * A record of the 2015 iPhone app: one object per sample with a {@link legacyTimestamp} and a random id.
 *
 * @param offsetMinutes - UTC offset of the timestamps in minutes. Default -420 (UTC-07:00).
 */
export function legacy2015(userId: string, samples: readonly Sample[], offsetMinutes = -420): string {
  return JSON.stringify({
    userId,
    id: crypto.randomUUID(),
    processDate: new Date((samples.at(-1)?.t ?? 0) + 200).toISOString(),
    data: samples.map((s) => ({
      ts: legacyTimestamp(s.t, offsetMinutes),
      x: s.x,
      y: s.y,
      z: s.z,
      id: crypto.randomUUID(),
    })),
  });
}

/**
 * An Avro producer batch (the codec's `encodeBatch`): batch id `b1`, `sentAt` 50 ms after the last sample.
 *
 * @param batch - Fields replacing those defaults.
 */
export function avroBatch(
  deviceId: string,
  samples: readonly Sample[],
  batch: Partial<Batch> = {},
): Uint8Array {
  return encodeBatch({
    deviceId,
    batchId: 'b1',
    sentAt: (samples.at(-1)?.t ?? 0) + 50,
    samples: [...samples],
    ...batch,
  });
}

/** gzip of a payload (text as UTF-8). */
export function gzip(payload: string | Uint8Array): Uint8Array {
  return gzipSync(typeof payload === 'string' ? Buffer.from(payload) : payload);
}

/**
 * A KPL aggregated record holding `payloads`, built with aws-kinesis-agg's own aggregator.
 *
 * @throws Error (rejects) when the payloads do not fit one aggregate, or the aggregator fails.
 */
export function kplAggregate(payloads: readonly (string | Uint8Array)[]): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const out: Uint8Array[] = [];
    aggregate(
      payloads.map((p, i) => ({ partitionKey: `pk-${i}`, data: Buffer.from(p) })),
      (encoded, done) => {
        out.push(encoded.data);
        done();
      },
      () =>
        out.length === 1
          ? resolve(out[0] as Uint8Array)
          : reject(new Error(`expected 1 aggregate, got ${out.length}`)),
      (error) => reject(error),
    );
  });
}

/**
 * The samples quantized to the 1 mg grid, as the store keeps them: distinct `t:x:y:z` keys (milli-g), sorted,
 * for comparing what was sent with what was stored.
 */
export function sampleKeys(samples: Iterable<Sample>): string[] {
  const keys = new Set<string>();
  for (const s of samples)
    keys.add(`${s.t}:${Math.round(s.x * 1000)}:${Math.round(s.y * 1000)}:${Math.round(s.z * 1000)}`);
  return [...keys].sort();
}
