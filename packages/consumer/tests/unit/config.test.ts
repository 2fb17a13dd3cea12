import { ConfigError, isConsumerError, loadConfig } from '@secondrow/consumer';
import { describe, expect, it } from 'vitest';

describe('loadConfig()', () => {
  it('fills defaults from TABLE_NAME alone', () => {
    expect(loadConfig({ TABLE_NAME: 'samples' })).toEqual({
      tableName: 'samples',
      quarantineTableName: 'samples',
      windowSeconds: 1,
      resolution: 0.001,
      range: 16,
      maxSamplesPerRecord: 20_000,
      maxRecordBytes: 4 * 1024 * 1024,
      deadlineMarginMs: 1_000,
      ttlSeconds: undefined,
      writeMaxAttempts: undefined,
      deviceRegistry: true,
      requirePartitionKeyMatch: false,
      metricsNamespace: 'secondrow',
      serviceName: 'secondrow-consumer',
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      TABLE_NAME: 'samples',
      QUARANTINE_TABLE_NAME: 'bad',
      WINDOW_SECONDS: '10',
      RESOLUTION_G: '0.0005',
      RANGE_G: '8',
      MAX_SAMPLES_PER_RECORD: '500',
      MAX_RECORD_BYTES: '1048576',
      DEADLINE_MARGIN_MS: '0',
      TTL_SECONDS: '7776000',
      WRITE_MAX_ATTEMPTS: '4',
      DEVICE_REGISTRY: 'off',
      POWERTOOLS_METRICS_NAMESPACE: 'ns',
      POWERTOOLS_SERVICE_NAME: 'svc',
    });
    expect(config).toMatchObject({
      quarantineTableName: 'bad',
      windowSeconds: 10,
      resolution: 0.0005,
      range: 8,
      maxSamplesPerRecord: 500,
      maxRecordBytes: 1_048_576,
      deadlineMarginMs: 0,
      ttlSeconds: 7_776_000,
      writeMaxAttempts: 4,
      deviceRegistry: false,
      metricsNamespace: 'ns',
      serviceName: 'svc',
    });
  });

  it('treats empty values as unset', () => {
    expect(
      loadConfig({ TABLE_NAME: 'samples', WINDOW_SECONDS: '', QUARANTINE_TABLE_NAME: ' ' }),
    ).toMatchObject({
      windowSeconds: 1,
      quarantineTableName: 'samples',
    });
  });

  it.each([
    [{}, 'TABLE_NAME', /TABLE_NAME is required/],
    [{ TABLE_NAME: '  ' }, 'TABLE_NAME', /TABLE_NAME is required/],
    [
      { TABLE_NAME: 't', WINDOW_SECONDS: '3' },
      'WINDOW_SECONDS',
      /one of 1, 2, 4, 5, 10, 15, 30, 60, got "3"/,
    ],
    [{ TABLE_NAME: 't', WINDOW_SECONDS: '1.0' }, 'WINDOW_SECONDS', /WINDOW_SECONDS/],
    [{ TABLE_NAME: 't', RESOLUTION_G: '0' }, 'RESOLUTION_G', /positive number/],
    [{ TABLE_NAME: 't', RESOLUTION_G: 'abc' }, 'RESOLUTION_G', /positive number, got "abc"/],
    [{ TABLE_NAME: 't', RANGE_G: '-1' }, 'RANGE_G', /positive number/],
    [{ TABLE_NAME: 't', MAX_SAMPLES_PER_RECORD: '0' }, 'MAX_SAMPLES_PER_RECORD', /integer >= 1/],
    [{ TABLE_NAME: 't', MAX_SAMPLES_PER_RECORD: '1e3' }, 'MAX_SAMPLES_PER_RECORD', /integer/],
    [{ TABLE_NAME: 't', MAX_RECORD_BYTES: '12abc' }, 'MAX_RECORD_BYTES', /integer/],
    [{ TABLE_NAME: 't', DEADLINE_MARGIN_MS: '-5' }, 'DEADLINE_MARGIN_MS', /integer >= 0/],
    [{ TABLE_NAME: 't', TTL_SECONDS: '0' }, 'TTL_SECONDS', /integer >= 1/],
    [{ TABLE_NAME: 't', DEVICE_REGISTRY: 'false' }, 'DEVICE_REGISTRY', /on or off, got "false"/],
  ])('rejects %j naming %s', (env, variable, message) => {
    let caught: unknown;
    try {
      loadConfig(env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect(isConsumerError(caught)).toBe(true);
    expect(caught).toMatchObject({ code: 'CONFIG_INVALID', variable });
    expect((caught as Error).message).toMatch(message);
  });
});
