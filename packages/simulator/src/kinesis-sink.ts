import { type KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { RecordEntry, RecordResult, RecordSink } from './record-sink.js';

/**
 * {@link RecordSink} over a real (or local) Kinesis stream: one PutRecords call per flush chunk.
 * Per-record failures (`FailedRecordCount` > 0) come back as results with an `errorCode`; a call
 * that fails as a whole rejects with the SDK's error.
 */
export class KinesisRecordSink implements RecordSink {
  readonly #client: KinesisClient;
  readonly #streamName: string;

  constructor(client: KinesisClient, streamName: string) {
    this.#client = client;
    this.#streamName = streamName;
  }

  async putRecords(entries: readonly RecordEntry[]): Promise<RecordResult[]> {
    const output = await this.#client.send(
      new PutRecordsCommand({
        StreamName: this.#streamName,
        Records: entries.map((e) => ({ Data: e.data, PartitionKey: e.partitionKey })),
      }),
    );
    const records = output.Records ?? [];
    return entries.map((_, i) => {
      const r = records[i];
      if (r === undefined) return { errorCode: 'MissingResult', errorMessage: 'no result for this record' };
      const result: RecordResult = {};
      if (r.ErrorCode !== undefined) {
        result.errorCode = r.ErrorCode;
        if (r.ErrorMessage !== undefined) result.errorMessage = r.ErrorMessage;
        return result;
      }
      if (r.SequenceNumber !== undefined) result.sequenceNumber = r.SequenceNumber;
      if (r.ShardId !== undefined) result.shardId = r.ShardId;
      return result;
    });
  }
}
