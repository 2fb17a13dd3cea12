import { gzipSync } from 'node:zlib';
import { encodeBatch, type Sample } from '@secondrow/codec';
import { aggregate } from 'aws-kinesis-agg';

export const T0 = 1_700_000_000_000;

/** `count` samples at 50 Hz from `startMs`, on the 1 mg grid. */
export function makeSamples(startMs: number, count: number): Sample[] {
  return Array.from({ length: count }, (_, i) => ({
    t: startMs + i * 20,
    x: ((i * 13) % 2000) / 1000 - 1,
    y: ((i * 7) % 2000) / 1000 - 1,
    z: ((i * 3) % 1000) / 1000,
  }));
}

/** The samples as `t:x:y:z` keys in milli-g, sorted, for comparing against what a store keeps. */
export function sampleKeys(samples: Iterable<Sample>): string[] {
  const keys: string[] = [];
  for (const s of samples)
    keys.push(`${s.t}:${Math.round(s.x * 1000)}:${Math.round(s.y * 1000)}:${Math.round(s.z * 1000)}`);
  return keys.sort();
}

/** A JSON v1 record of the phone app. */
export function jsonV1(deviceId: string, samples: readonly Sample[]): string {
  return JSON.stringify({
    deviceId,
    batchId: 1,
    sentAt: T0 + 60_000,
    samples: samples.map((s) => [s.t, s.x, s.y, s.z]),
  });
}

/** A record of the 2015 iPhone app: local ISO-8601 timestamps with a UTC offset (here UTC-07:00). */
export function legacy2015(userId: string, samples: readonly Sample[]): string {
  const ts = (t: number): string => `${new Date(t - 7 * 3_600_000).toISOString().slice(0, 23)}-07:00`;
  return JSON.stringify({
    userId,
    id: 'batch-2015',
    processDate: new Date(T0 + 60_000).toISOString(),
    data: samples.map((s, i) => ({ ts: ts(s.t), x: s.x, y: s.y, z: s.z, id: `s${i}` })),
  });
}

/** An Avro producer batch. */
export function avroBatch(deviceId: string, samples: readonly Sample[]): Uint8Array {
  return encodeBatch({ deviceId, batchId: 'b1', sentAt: T0 + 60_000, samples: [...samples] });
}

/** gzip of a payload. */
export function gzip(payload: string | Uint8Array): Uint8Array {
  return gzipSync(payload);
}

/** A KPL aggregated record holding `payloads`, built by aws-kinesis-agg's aggregator. */
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
        out.length === 1 ? resolve(out[0] as Uint8Array) : reject(new Error(`${out.length} aggregates`)),
      reject,
    );
  });
}

/** One Kinesis event holding `payloads`, as Lambda's event source delivers it. */
export function kinesisEvent(payloads: readonly (string | Uint8Array)[]): {
  Records: Record<string, unknown>[];
} {
  return {
    Records: payloads.map((payload, i) => {
      const sequenceNumber = `4959033827149025660855969253836157109592157598913658${String(8900 + i)}`;
      return {
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: `pk-${i}`,
          sequenceNumber,
          data: Buffer.from(payload).toString('base64'),
          approximateArrivalTimestamp: (T0 + 61_000) / 1000,
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `shardId-000000000000:${sequenceNumber}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: 'arn:aws:iam::123456789012:role/secondrow-consumer',
        awsRegion: 'us-east-1',
        eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/secondrow',
      };
    }),
  };
}
