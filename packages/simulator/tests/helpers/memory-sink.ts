import type { RecordEntry, RecordResult, RecordSink } from '@secondrow/simulator';

/** One PutRecords call a {@link MemorySink} received. */
export interface SinkCall {
  entries: RecordEntry[];
}

/**
 * An in-memory stand-in for Kinesis: accepts every record (or fails the ones `failWhen` picks) and keeps
 * the calls, so tests can look at what the phones sent and when.
 */
export class MemorySink implements RecordSink {
  readonly calls: SinkCall[] = [];
  readonly accepted: RecordEntry[] = [];
  #seq = 0;

  constructor(private readonly failWhen?: (entry: RecordEntry, call: number) => boolean) {}

  async putRecords(entries: readonly RecordEntry[]): Promise<RecordResult[]> {
    const call = this.calls.length;
    this.calls.push({ entries: [...entries] });
    return entries.map((entry) => {
      if (this.failWhen?.(entry, call)) return { errorCode: 'ProvisionedThroughputExceededException' };
      this.accepted.push(entry);
      return { sequenceNumber: String(++this.#seq).padStart(20, '0'), shardId: 'shardId-000000000000' };
    });
  }
}

const decoder = new TextDecoder();

/** Parses a JSON record's data. */
export function jsonOf(entry: RecordEntry): Record<string, unknown> {
  return JSON.parse(decoder.decode(entry.data)) as Record<string, unknown>;
}
