import { DeviceRegistry } from '@secondrow/codec/dynamodb';
import {
  jsonV1,
  kinesisEvent,
  kinesisRecord,
  lambdaContext,
  makeSamples,
  sampleKeys,
} from '@secondrow/devkit';
import { createRowTable, type LocalAws, startLocalAws, uniqueTableName } from '@secondrow/local';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { scanTable } from '../helpers/table.js';

type Handler = (event: KinesisStreamEvent, context?: unknown) => Promise<KinesisStreamBatchResponse>;

let dynamo: LocalAws;
const saved = { ...process.env };

beforeAll(async () => {
  dynamo = await startLocalAws({ kinesis: false });
});
afterEach(() => {
  process.env = { ...saved };
  vi.restoreAllMocks();
});
afterAll(async () => {
  await dynamo?.close();
});

/** Imports a fresh copy of the handler module, as a new Lambda container would. */
async function freshHandler(env: Record<string, string>): Promise<Handler> {
  process.env = { ...saved, ...env };
  vi.resetModules();
  const module = await import('../../src/lambda.js');
  return module.handler as Handler;
}

const localEnv = (endpoint: string) => ({
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_ENDPOINT_URL_DYNAMODB: endpoint,
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
});

describe('handler (module entry point)', () => {
  it('reaches a local server through AWS_ENDPOINT_URL_DYNAMODB alone', async () => {
    // Prepare
    const tableName = await createRowTable(dynamo.dynamodb, uniqueTableName('samples'));
    const handler = await freshHandler({ ...localEnv(dynamo.dynamodbEndpoint!), TABLE_NAME: tableName });
    const samples = makeSamples(Date.UTC(2025, 0, 1), 120);
    // Act
    const response = await handler(kinesisEvent([kinesisRecord(jsonV1('watch', samples))]), lambdaContext());
    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const table = await scanTable(dynamo.dynamodb, tableName);
    expect(sampleKeys(table.samples.get('watch') ?? [])).toEqual(sampleKeys(samples));
    const registry = new DeviceRegistry({ client: dynamo.dynamodb, tableName });
    expect(await registry.get('watch', { consistentRead: true })).toMatchObject({
      deviceId: 'watch',
      firstMs: samples[0]!.t,
    });
  });

  it('leaves the device registry alone with DEVICE_REGISTRY=off', async () => {
    const tableName = await createRowTable(dynamo.dynamodb, uniqueTableName('samples'));
    const handler = await freshHandler({
      ...localEnv(dynamo.dynamodbEndpoint!),
      TABLE_NAME: tableName,
      DEVICE_REGISTRY: 'off',
    });
    const samples = makeSamples(Date.UTC(2025, 0, 1), 120);
    const response = await handler(kinesisEvent([kinesisRecord(jsonV1('watch', samples))]), lambdaContext());
    expect(response).toEqual({ batchItemFailures: [] });
    const table = await scanTable(dynamo.dynamodb, tableName);
    expect(table.rows).toBeGreaterThan(0);
    expect(table.registry).toEqual([]);
  });

  it('fails every invocation with a message naming the missing variable', async () => {
    const env: Record<string, string> = localEnv(dynamo.dynamodbEndpoint!);
    delete process.env.TABLE_NAME;
    const handler = await freshHandler(env);
    delete process.env.TABLE_NAME;
    await expect(handler(kinesisEvent([]), lambdaContext())).rejects.toMatchObject({
      name: 'ConfigError',
      variable: 'TABLE_NAME',
      message: expect.stringMatching(/TABLE_NAME is required/),
    });
  });

  it('reports a malformed variable at init inside Lambda', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const handler = await freshHandler({
      ...localEnv(dynamo.dynamodbEndpoint!),
      AWS_LAMBDA_FUNCTION_NAME: 'consumer',
      TABLE_NAME: 't',
      WINDOW_SECONDS: '7',
    });
    expect(errors).toHaveBeenCalledWith(expect.stringMatching(/WINDOW_SECONDS must be one of/));
    await expect(handler(kinesisEvent([]), lambdaContext())).rejects.toMatchObject({
      variable: 'WINDOW_SECONDS',
    });
  });
});
