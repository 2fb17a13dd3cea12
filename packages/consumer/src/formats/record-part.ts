import type { Sample } from '@secondrow/codec';

/** Payload formats the consumer reads (each may also arrive gzip-compressed and/or inside a KPL aggregate). */
export type RecordFormat = 'json-v1' | 'legacy-2015' | 'avro-batch';

/** What every format decoder returns: one device's samples plus the producer's batch metadata. */
export interface DecodedBatch {
  /** Format the payload was written in. */
  format: RecordFormat;
  /** Device the samples belong to (the row partition key). */
  deviceId: string;
  /** Producer's batch id, when the record carries one. */
  batchId: string | undefined;
  /** When the producer sent the batch, epoch ms, when the record carries it. */
  sentAt: number | undefined;
  /** Samples in record order; validated by `parseRecord` before it returns them. */
  samples: Sample[];
}

/** Limits a format decoder enforces while converting. */
export interface FormatLimits {
  /** Records holding more samples are rejected with `TOO_MANY_SAMPLES`. */
  maxSamplesPerRecord: number;
}
