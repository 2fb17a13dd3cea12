import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, createQueryHandlerFromEnv, loadQueryConfig } from '../../src/index.js';
import { urlEvent } from '../helpers/events.js';

describe('loadQueryConfig', () => {
  const COGNITO = { COGNITO_USER_POOL_ID: 'eu-west-1_AbCdEf123', COGNITO_CLIENT_ID: 'client1234567890' };

  it('reads TABLE_NAME and WINDOW_SECONDS, defaulting the window to 1 s', () => {
    expect(loadQueryConfig({ TABLE_NAME: ' rows ', QUERY_AUTH: 'none' })).toEqual({
      tableName: 'rows',
      windowSeconds: 1,
      auth: 'none',
    });
    expect(loadQueryConfig({ TABLE_NAME: 'rows', WINDOW_SECONDS: '10', ...COGNITO })).toEqual({
      tableName: 'rows',
      windowSeconds: 10,
      auth: { userPoolId: COGNITO.COGNITO_USER_POOL_ID, clientId: COGNITO.COGNITO_CLIENT_ID },
    });
  });

  it('never serves anonymously unless QUERY_AUTH=none says so', async () => {
    // Without a user pool the function refuses to start.
    expect(() => loadQueryConfig({ TABLE_NAME: 'rows' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', variable: 'COGNITO_USER_POOL_ID' }),
    );
    // With one, a request without a token is refused before anything is read.
    const handler = createQueryHandlerFromEnv({ TABLE_NAME: 'rows', ...COGNITO });
    const response = await handler(urlEvent('GET', '/api/devices'));
    expect(response.statusCode).toBe(401);
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({ code: 'MISSING_TOKEN' });
  });

  it.each([
    [{}, 'TABLE_NAME'],
    [{ TABLE_NAME: '  ' }, 'TABLE_NAME'],
    [{ TABLE_NAME: 'a b' }, 'TABLE_NAME'],
    [{ TABLE_NAME: 'rows', WINDOW_SECONDS: '3' }, 'WINDOW_SECONDS'],
    [{ TABLE_NAME: 'rows', WINDOW_SECONDS: '1e1' }, 'WINDOW_SECONDS'],
    [{ TABLE_NAME: 'rows', QUERY_AUTH: 'off' }, 'QUERY_AUTH'],
    [{ TABLE_NAME: 'rows', COGNITO_USER_POOL_ID: 'eu-west-1_AbCdEf123' }, 'COGNITO_CLIENT_ID'],
  ] as const)('refuses %j naming %s', (env, variable) => {
    const error = (() => {
      try {
        createQueryHandlerFromEnv(env);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', variable });
  });
});

describe('module loading', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    vi.resetModules();
  });

  it('runs nothing when the index is imported, while the Lambda entry reads the environment at load', async () => {
    vi.stubEnv('TABLE_NAME', '');
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.resetModules();
    await import('../../src/index.js');
    expect(errors).not.toHaveBeenCalled();

    const lambda = await import('../../src/lambda.js');
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('TABLE_NAME is required'));
    // Every invocation names the culprit again.
    await expect(lambda.handler(urlEvent('GET', '/api/devices'))).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      variable: 'TABLE_NAME',
    });
  });
});
