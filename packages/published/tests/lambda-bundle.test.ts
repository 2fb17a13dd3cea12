import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Sample } from '@secondrow/codec';
import { SampleStore } from '@secondrow/codec/dynamodb';
import {
  avroBatch,
  jsonV1,
  kinesisEvent,
  kinesisRecord,
  kplAggregate,
  makeSamples,
  sampleKeys,
} from '@secondrow/devkit';
import {
  createRowTable,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  type LocalAws,
  startLocalAws,
} from '@secondrow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentNode, fixture, type NodeCommand, nodeMajor, runNodeScript } from './helpers/node-process.js';

const consumerDir = dirname(createRequire(import.meta.url).resolve('@secondrow/consumer/package.json'));
const bundle = join(consumerDir, 'dist-lambda', 'index.mjs');

// The deployed function's runtime is nodejs22.x: the bundle also runs on Node 22 whatever runs the tests.
const LAMBDA_NODE_MAJOR = 22;
const T0 = 1_700_000_000_000;

describe('the Lambda bundle dist-lambda/index.mjs', () => {
  let local: LocalAws;
  let tableName: string;
  beforeAll(async () => {
    if (!existsSync(bundle)) {
      throw new Error(`${bundle} is missing: run pnpm --filter @secondrow/consumer bundle first`);
    }
    local = await startLocalAws({ kinesis: false });
    tableName = await createRowTable(local.dynamodb);
  });
  afterAll(() => local?.close());

  const read = async (deviceId: string): Promise<Sample[]> => {
    const store = new SampleStore({ client: local.dynamodb, tableName });
    const stored: Sample[] = [];
    for await (const sample of store.read(deviceId, T0, T0 + 60_000)) stored.push(sample);
    return stored;
  };

  it.each([
    [`the Node running the tests (${process.version})`, currentNode, 'watch-current'],
    [`Node ${LAMBDA_NODE_MAJOR}, the Lambda runtime's`, nodeMajor(LAMBDA_NODE_MAJOR), 'watch-lambda-node'],
  ] as [string, NodeCommand, string][])(
    'stores a JSON v1 record and a KPL aggregate on %s',
    async (_node, node, deviceId) => {
      const samples = makeSamples(T0, 150);
      // An aggregate made by aws-kinesis-agg's own aggregator. The bundle loads that library lazily with a
      // `require`; an earlier ESM build had no real `require` there, so every aggregate was quarantined.
      const aggregated = {
        json: makeSamples(T0 + 3_000, 100, 50, 2),
        avro: makeSamples(T0 + 6_000, 100, 50, 3),
      };
      const aggregate = await kplAggregate([
        jsonV1(`${deviceId}-kpl`, aggregated.json),
        avroBatch(`${deviceId}-kpl-avro`, aggregated.avro),
      ]);
      const out = (await runNodeScript(fixture('lambda-invoke.mjs'), {
        node,
        env: {
          AWS_REGION: LOCAL_REGION,
          AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          AWS_ENDPOINT_URL_DYNAMODB: local.dynamodbEndpoint ?? '',
          TABLE_NAME: tableName,
          POWERTOOLS_METRICS_DISABLED: 'true',
          POWERTOOLS_LOG_LEVEL: 'WARN',
          BUNDLE: bundle,
          EVENT: JSON.stringify(
            kinesisEvent([kinesisRecord(jsonV1(deviceId, samples)), kinesisRecord(aggregate)]),
          ),
        },
      })) as { node: string; response: unknown };

      if (node !== currentNode) expect(out.node).toMatch(new RegExp(`^v${LAMBDA_NODE_MAJOR}\\.`));
      expect(out.response).toEqual({ batchItemFailures: [] });
      expect(sampleKeys(await read(deviceId))).toEqual(sampleKeys(samples));
      expect(sampleKeys(await read(`${deviceId}-kpl`))).toEqual(sampleKeys(aggregated.json));
      expect(sampleKeys(await read(`${deviceId}-kpl-avro`))).toEqual(sampleKeys(aggregated.avro));
    },
  );

  it('with REQUIRE_PARTITION_KEY_MATCH=on stores a record keyed by its device and quarantines a forged one', async () => {
    const samples = makeSamples(T0, 50);
    const forged = makeSamples(T0 + 2_000, 50);
    const out = (await runNodeScript(fixture('lambda-invoke.mjs'), {
      node: currentNode,
      env: {
        AWS_REGION: LOCAL_REGION,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        AWS_ENDPOINT_URL_DYNAMODB: local.dynamodbEndpoint ?? '',
        TABLE_NAME: tableName,
        REQUIRE_PARTITION_KEY_MATCH: 'on',
        POWERTOOLS_METRICS_DISABLED: 'true',
        POWERTOOLS_LOG_LEVEL: 'ERROR',
        BUNDLE: bundle,
        EVENT: JSON.stringify(
          kinesisEvent([
            kinesisRecord(avroBatch('thing-a', samples), { partitionKey: 'thing-a' }),
            // thing-b's topic, thing-a's name inside: another device's data.
            kinesisRecord(avroBatch('thing-a', forged), { partitionKey: 'thing-b' }),
          ]),
        ),
      },
    })) as { response: unknown };
    expect(out.response).toEqual({ batchItemFailures: [] });
    expect(sampleKeys(await read('thing-a'))).toEqual(sampleKeys(samples));
  });
});
