import { type CfnElement, CfnOutput, Names, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Ingest, type IngestProps } from './ingest.js';
import { logicalIdOf } from './logical-ids.js';
import { Storage, type StorageProps } from './storage.js';

/** Settings of {@link SecondrowStack}: those of its capabilities; every one but `codePath` has a default. */
export interface SecondrowStackProps extends StackProps, StorageProps, Omit<IngestProps, 'table'> {}

/** Construct ids of the capabilities, left out of logical IDs (see {@link SecondrowStack}). */
const CAPABILITY_IDS = new Set(['Ingest', 'Storage']);

/**
 * The deployed pipeline: {@link Storage} (the row table) and {@link Ingest} (stream, consumer function,
 * event source mapping, on-failure queue, alarms), with the names of the stream, table, function and queue
 * as outputs.
 *
 * Resources keep the logical IDs they had before the capabilities became constructs of their own, so
 * updating a deployed stack replaces nothing.
 *
 * @throws {BundleMissingError} at construction when `codePath` holds no bundle (run the `bundle` script first).
 * @throws {TableDefinitionError} when the codec's `tableDefinition` lacks a key.
 * @example
 * new SecondrowStack(app, 'SecondrowConsumer', { codePath: '../consumer/dist-lambda', shardCount: 4 });
 */
export class SecondrowStack extends Stack {
  readonly storage: Storage;
  readonly ingest: Ingest;

  constructor(scope: Construct, id: string, props: SecondrowStackProps) {
    super(scope, id, props);
    this.storage = new Storage(this, 'Storage', props);
    this.ingest = new Ingest(this, 'Ingest', { ...props, table: this.storage.table });

    new CfnOutput(this, 'StreamName', { value: this.ingest.stream.streamName });
    new CfnOutput(this, 'TableName', { value: this.storage.table.tableName });
    new CfnOutput(this, 'FunctionName', { value: this.ingest.function.functionName });
    new CfnOutput(this, 'OnFailureQueueUrl', { value: this.ingest.onFailureQueue.queueUrl });
  }

  protected override allocateLogicalId(element: CfnElement): string {
    const scopes = element.node.scopes;
    const below = scopes.slice(scopes.indexOf(this) + 1).map((scope) => scope.node.id);
    if (below.length === 0 || !CAPABILITY_IDS.has(below[0]!)) return super.allocateLogicalId(element);
    // The mapping's construct id embeds the stream's unique id, which names the Ingest construct too.
    const stream = this.ingest?.stream;
    const legacyStreamId = (): string => {
      const streamPath = stream!.node.scopes.slice(1).map((scope) => scope.node.id);
      return logicalIdOf(streamPath.filter((part) => !CAPABILITY_IDS.has(part)));
    };
    const components = below
      .slice(1)
      .map((part) =>
        stream !== undefined && part === `KinesisEventSource:${Names.nodeUniqueId(stream.node)}`
          ? `KinesisEventSource:${legacyStreamId()}`
          : part,
      );
    return logicalIdOf(components);
  }
}
