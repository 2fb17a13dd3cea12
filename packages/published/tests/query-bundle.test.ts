import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Sample } from '@secondrow/codec';
import { DeviceRegistry, SampleStore } from '@secondrow/codec/dynamodb';
import {
  createRowTable,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  type LocalAws,
  startLocalAws,
} from '@secondrow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentNode, fixture, type NodeCommand, nodeMajor, runNodeScript } from './helpers/node-process.js';

const queryDir = dirname(createRequire(import.meta.url).resolve('@secondrow/query/package.json'));
const bundle = join(queryDir, 'dist-lambda', 'index.mjs');

// The deployed function's runtime is nodejs22.x: the bundle also runs on Node 22 whatever runs the tests.
const LAMBDA_NODE_MAJOR = 22;
const T0 = 1_700_000_000_000;
const samples: Sample[] = Array.from({ length: 300 }, (_, i) => ({
  t: T0 + i * 20,
  x: 0.001 * i,
  y: 0,
  z: 1,
}));

describe('the query Lambda bundle dist-lambda/index.mjs', () => {
  let local: LocalAws;
  let tableName: string;
  beforeAll(async () => {
    if (!existsSync(bundle)) {
      throw new Error(`${bundle} is missing: run pnpm --filter @secondrow/query bundle first`);
    }
    local = await startLocalAws({ kinesis: false });
    tableName = await createRowTable(local.dynamodb);
    await new SampleStore({ client: local.dynamodb, tableName }).write('watch-1', samples);
    await new DeviceRegistry({ client: local.dynamodb, tableName, intervalMs: 0 }).note(
      'watch-1',
      T0,
      samples.at(-1)!.t,
    );
  });
  afterAll(() => local?.close());

  it.each([
    [`the Node running the tests (${process.version})`, currentNode],
    [`Node ${LAMBDA_NODE_MAJOR}, the Lambda runtime's`, nodeMajor(LAMBDA_NODE_MAJOR)],
  ] as [string, NodeCommand][])('answers a Function URL (payload 2.0) event on %s', async (_node, node) => {
    const event = {
      version: '2.0',
      routeKey: '$default',
      rawPath: '/api/devices/watch-1/samples',
      rawQueryString: `from=${T0}&to=${T0 + 6000}&mode=raw`,
      headers: { host: 'abc.lambda-url.eu-west-1.on.aws' },
      requestContext: { requestId: 'smoke', http: { method: 'GET', path: '/api/devices/watch-1/samples' } },
      isBase64Encoded: false,
    };
    const out = (await runNodeScript(fixture('lambda-invoke.mjs'), {
      node,
      env: {
        AWS_REGION: LOCAL_REGION,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        AWS_ENDPOINT_URL_DYNAMODB: local.dynamodbEndpoint ?? '',
        TABLE_NAME: tableName,
        // A local table with no user pool: the deployed function always verifies Cognito tokens.
        QUERY_AUTH: 'none',
        BUNDLE: bundle,
        EVENT: JSON.stringify(event),
      },
    })) as { node: string; response: { statusCode: number; body: string } };

    if (node !== currentNode) expect(out.node).toMatch(new RegExp(`^v${LAMBDA_NODE_MAJOR}\\.`));
    expect(out.response.statusCode).toBe(200);
    const body = JSON.parse(out.response.body) as { t: number[]; z: number[] };
    expect(body.t).toEqual(samples.map((s) => s.t));
    expect(body.z.every((z) => z === 1)).toBe(true);
  });
});
