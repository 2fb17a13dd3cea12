import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Sample } from '@secondrow/codec';
import { SampleStore } from '@secondrow/codec/dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AWS_ENV, type LocalTable, startLocalTable } from './helpers/dynalite.js';
import { currentNode, fixture, type NodeCommand, nodeMajor, runNodeScript } from './helpers/node-process.js';
import { jsonV1, kinesisEvent, makeSamples, sampleKeys, T0 } from './helpers/records.js';

const consumerDir = dirname(createRequire(import.meta.url).resolve('@secondrow/consumer/package.json'));
const bundle = join(consumerDir, 'dist-lambda', 'index.mjs');

// The deployed function's runtime is nodejs22.x: the bundle also runs on Node 22 whatever runs the tests.
const LAMBDA_NODE_MAJOR = 22;

describe('the Lambda bundle dist-lambda/index.mjs', () => {
  let local: LocalTable;
  beforeAll(async () => {
    if (!existsSync(bundle)) {
      throw new Error(`${bundle} is missing: run pnpm --filter @secondrow/consumer bundle first`);
    }
    local = await startLocalTable();
  });
  afterAll(() => local?.stop());

  it.each([
    [`the Node running the tests (${process.version})`, currentNode, 'watch-current'],
    [`Node ${LAMBDA_NODE_MAJOR}, the Lambda runtime's`, nodeMajor(LAMBDA_NODE_MAJOR), 'watch-lambda-node'],
  ] as [string, NodeCommand, string][])('stores a JSON v1 record on %s', async (_node, node, deviceId) => {
    const samples = makeSamples(T0, 150);
    const out = (await runNodeScript(fixture('lambda-invoke.mjs'), {
      node,
      env: {
        ...LOCAL_AWS_ENV,
        AWS_ENDPOINT_URL_DYNAMODB: local.endpoint,
        TABLE_NAME: local.tableName,
        POWERTOOLS_METRICS_DISABLED: 'true',
        POWERTOOLS_LOG_LEVEL: 'WARN',
        BUNDLE: bundle,
        EVENT: JSON.stringify(kinesisEvent([jsonV1(deviceId, samples)])),
      },
    })) as { node: string; response: unknown };

    if (node !== currentNode) expect(out.node).toMatch(new RegExp(`^v${LAMBDA_NODE_MAJOR}\\.`));
    expect(out.response).toEqual({ batchItemFailures: [] });
    const store = new SampleStore({ client: local.client, tableName: local.tableName });
    const stored: Sample[] = [];
    for await (const sample of store.read(deviceId, T0, T0 + 60_000)) stored.push(sample);
    expect(sampleKeys(stored)).toEqual(sampleKeys(samples));
  });
});
