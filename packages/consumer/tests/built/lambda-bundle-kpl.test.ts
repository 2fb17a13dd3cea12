import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startDynamo } from '../helpers/dynamo.js';
import { kinesisEvent, kinesisRecord } from '../helpers/events.js';
import { jsonV1, kplAggregate, makeSamples, sampleKeys } from '../helpers/records.js';
import { scanTable } from '../helpers/table.js';
import { bundleLambda, packageDir } from './build-package.js';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
let bundle: string;
let dynamo: LocalDynamo;

beforeAll(async () => {
  bundle = bundleLambda();
  dynamo = await startDynamo();
}, 300_000);
afterAll(async () => {
  await dynamo?.close();
});

describe('the Lambda bundle', () => {
  it('stores the samples of a KPL aggregate', async () => {
    const tableName = await dynamo.table();
    const a = makeSamples(T0, 30, 50, 1);
    const b = makeSamples(T0, 20, 50, 2);
    const event = kinesisEvent([kinesisRecord(await kplAggregate([jsonV1('agg-1', a), jsonV1('agg-2', b)]))]);
    // Async: the servers answering the child run in this process.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(packageDir, 'tests/built/fixtures/invoke-bundle.mjs'), bundle, JSON.stringify(event)],
      {
        cwd: packageDir,
        env: {
          PATH: process.env.PATH ?? '',
          TABLE_NAME: tableName,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
          POWERTOOLS_METRICS_DISABLED: 'true',
          POWERTOOLS_LOG_LEVEL: 'SILENT',
          NODE_NO_WARNINGS: '1',
        },
      },
    );
    expect(JSON.parse(stdout)).toEqual({ batchItemFailures: [] });
    const table = await scanTable(dynamo.client, tableName);
    expect(table.quarantine).toEqual([]);
    expect(sampleKeys(table.samples.get('agg-1') ?? [])).toEqual(sampleKeys(a));
    expect(sampleKeys(table.samples.get('agg-2') ?? [])).toEqual(sampleKeys(b));
  });
});
