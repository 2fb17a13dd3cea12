import { DEFAULT_CONFIG } from '@secondrow/consumer';
import { type CfnElement, CfnOutput, Names, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Ingest, type IngestProps } from './ingest.js';
import { IotIngest } from './iot-ingest.js';
import { logicalIdOf } from './logical-ids.js';
import { ReadApi } from './read-api.js';
import { Storage, type StorageProps } from './storage.js';
import { ViewerHosting } from './viewer-hosting.js';
import { ViewerSignIn } from './viewer-sign-in.js';

/** Settings of the viewer (`-c viewer=true`): where its builds are, and its sign-in domain. */
export interface ViewerProps {
  /** The bundled query function, a directory holding `index.mjs` (`packages/query/dist-lambda`). */
  queryCodePath: string;
  /** The built viewer page, a directory holding `index.html` (`packages/viewer/dist`). */
  pagePath: string;
  /** Prefix of the managed login domain; see `ViewerSignInProps.domainPrefix`. */
  domainPrefix?: string;
}

/** Settings of the AWS IoT ingestion (`-c iot=true`). */
export interface IotProps {
  /**
   * Set the consumer's `REQUIRE_PARTITION_KEY_MATCH=on`, so a record whose device id is not the partition key
   * the rule took from the publisher's topic is quarantined. Default true; turn it off while producers that
   * key records otherwise (the 2015 app's random keys) still write to the stream directly.
   */
  requirePartitionKeyMatch?: boolean;
}

/** Settings of {@link SecondrowStack}: those of its capabilities; every one but `codePath` has a default. */
export interface SecondrowStackProps extends StackProps, StorageProps, Omit<IngestProps, 'table'> {
  /** Adds the viewer (page, read API, sign-in) when set. Default: none, the stack is the pipeline alone. */
  viewer?: ViewerProps;
  /** Adds AWS IoT ingestion ({@link IotIngest}) when set. Default: none, producers call Kinesis only. */
  iot?: IotProps;
}

/** The viewer's parts, when the stack has one. */
export interface SecondrowViewer {
  signIn: ViewerSignIn;
  api: ReadApi;
  hosting: ViewerHosting;
}

/** Construct ids of the capabilities, left out of logical IDs (see {@link SecondrowStack}). */
const CAPABILITY_IDS = new Set(['Ingest', 'Storage']);

/**
 * The deployed pipeline: {@link Storage} (the row table) and {@link Ingest} (stream, consumer function,
 * event source mapping, on-failure queue, alarms), with the names of the stream, table, function and queue
 * as outputs. With `viewer` it adds the viewer: {@link ViewerSignIn} (Cognito), {@link ReadApi} (the query
 * function, read-only) and {@link ViewerHosting} (CloudFront over the private page bucket and the API),
 * with the viewer's URL, user pool, client, sign-in domain and query function as outputs. With `iot` it adds
 * {@link IotIngest} (topic rule into the stream, its role, error bucket and device policies) and turns on the
 * consumer's partition key check.
 *
 * Resources keep the logical IDs they had before the capabilities became constructs of their own, so
 * updating a deployed stack replaces nothing.
 *
 * @throws {BundleMissingError} at construction when `codePath` holds no bundle (run the `bundle` script first).
 * @throws {BundleMissingError} with `viewer`, when the query bundle or the page build is missing.
 * @throws {TableDefinitionError} when the codec's `tableDefinition` lacks a key.
 * @example
 * new SecondrowStack(app, 'SecondrowConsumer', { codePath: '../consumer/dist-lambda', shardCount: 4 });
 */
export class SecondrowStack extends Stack {
  readonly storage: Storage;
  readonly ingest: Ingest;
  readonly viewer: SecondrowViewer | undefined;
  readonly iot: IotIngest | undefined;

  constructor(scope: Construct, id: string, props: SecondrowStackProps) {
    super(scope, id, props);
    this.storage = new Storage(this, 'Storage', props);
    const keyMatch = props.iot !== undefined && props.iot.requirePartitionKeyMatch !== false;
    // An explicit REQUIRE_PARTITION_KEY_MATCH in `environment` still wins.
    const environment = keyMatch
      ? { REQUIRE_PARTITION_KEY_MATCH: 'on', ...props.environment }
      : props.environment;
    this.ingest = new Ingest(this, 'Ingest', {
      ...props,
      ...(environment === undefined ? {} : { environment }),
      table: this.storage.table,
    });

    new CfnOutput(this, 'StreamName', { value: this.ingest.stream.streamName });
    new CfnOutput(this, 'TableName', { value: this.storage.table.tableName });
    new CfnOutput(this, 'FunctionName', { value: this.ingest.function.functionName });
    new CfnOutput(this, 'OnFailureQueueUrl', { value: this.ingest.onFailureQueue.queueUrl });

    this.viewer = props.viewer === undefined ? undefined : this.addViewer(props, props.viewer);
    this.iot =
      props.iot === undefined ? undefined : new IotIngest(this, 'IotIngest', { stream: this.ingest.stream });
    if (this.iot !== undefined) {
      new CfnOutput(this, 'IotRuleName', { value: this.iot.ruleName });
      new CfnOutput(this, 'IotErrorBucketName', { value: this.iot.errorBucket.bucketName });
      new CfnOutput(this, 'IotDevicePolicyName', { value: this.iot.devicePolicy.ref });
      new CfnOutput(this, 'IotPhonePolicyName', { value: this.iot.phonePolicy.ref });
    }
  }

  private addViewer(props: SecondrowStackProps, viewer: ViewerProps): SecondrowViewer {
    const signIn = new ViewerSignIn(this, 'ViewerSignIn', {
      ...(viewer.domainPrefix === undefined ? {} : { domainPrefix: viewer.domainPrefix }),
    });
    const api = new ReadApi(this, 'ReadApi', {
      codePath: viewer.queryCodePath,
      table: this.storage.table,
      userPoolId: signIn.userPool.userPoolId,
      userPoolClientId: signIn.client.ref,
      // The rows' window, as the consumer writes them.
      environment: {
        WINDOW_SECONDS:
          props.environment?.WINDOW_SECONDS ?? String(props.windowSeconds ?? DEFAULT_CONFIG.windowSeconds),
      },
    });
    const hosting = new ViewerHosting(this, 'ViewerHosting', { pagePath: viewer.pagePath, api, signIn });
    signIn.allowRedirectsTo(hosting.url);

    new CfnOutput(this, 'ViewerUrl', { value: hosting.url });
    new CfnOutput(this, 'UserPoolId', { value: signIn.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: signIn.client.ref });
    new CfnOutput(this, 'SignInUrl', { value: signIn.baseUrl });
    new CfnOutput(this, 'QueryFunctionName', { value: api.function.functionName });
    return { signIn, api, hosting };
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
