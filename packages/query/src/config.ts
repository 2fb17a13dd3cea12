import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { WINDOW_SECONDS, type WindowSeconds } from '@secondrow/codec';
import { type CognitoAuthOptions, cognitoAuthOptionsFromEnv, withCognitoAuth } from './auth.js';
import { ConfigError, InvalidOptionError } from './errors.js';
import { createQueryHandler, type QueryHandler } from './handler.js';
import { createStoreSource } from './store-source.js';

/** The query Lambda's settings, from its environment. */
export interface QueryConfig {
  /** The row table the consumer writes, with its device registry (`TABLE_NAME`, required). */
  tableName: string;
  /** The table's row window, s (`WINDOW_SECONDS`: 1, 2, 5, 10, 15, 30 or 60; default 1). */
  windowSeconds: WindowSeconds;
  /**
   * Who may read: the Cognito user pool and app client whose tokens are accepted (`COGNITO_USER_POOL_ID`,
   * `COGNITO_CLIENT_ID`, `COGNITO_TOKEN_USE`), or `'none'` when `QUERY_AUTH=none` says explicitly that the
   * function serves a local table with no sign-in (tests and local runs only; the stack never sets it).
   */
  auth: CognitoAuthOptions | 'none';
}

/** Environment variables, as `process.env`. */
export type QueryEnv = Readonly<Record<string, string | undefined>>;

/**
 * Reads and validates the query Lambda's settings. Empty values count as unset.
 *
 * @throws {ConfigError} naming the variable: `TABLE_NAME` missing or not 3 to 255 of `a-z A-Z 0-9 _ - .`,
 *   `WINDOW_SECONDS` not one of the codec's windows, `QUERY_AUTH` not `cognito` or `none`, the Cognito
 *   variables missing or malformed when `QUERY_AUTH` is not `none`.
 */
export function loadQueryConfig(env: QueryEnv): QueryConfig {
  const tableName = env.TABLE_NAME?.trim() ?? '';
  if (tableName === '') {
    throw new ConfigError(
      'TABLE_NAME',
      'TABLE_NAME is required: the DynamoDB table the consumer writes rows to',
    );
  }
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(tableName)) {
    throw new ConfigError(
      'TABLE_NAME',
      `TABLE_NAME must be 3 to 255 of a-z, A-Z, 0-9, _, -, ., got ${JSON.stringify(tableName.slice(0, 64))}`,
    );
  }
  const windowText = env.WINDOW_SECONDS?.trim() ?? '';
  const windowSeconds =
    windowText === '' ? 1 : /^\d{1,2}$/.test(windowText) ? Number(windowText) : Number.NaN;
  if (!(WINDOW_SECONDS as readonly number[]).includes(windowSeconds)) {
    throw new ConfigError(
      'WINDOW_SECONDS',
      `WINDOW_SECONDS must be one of ${WINDOW_SECONDS.join(', ')}, got ${JSON.stringify(env.WINDOW_SECONDS)}`,
    );
  }
  const authMode = env.QUERY_AUTH?.trim() ?? '';
  if (authMode !== '' && authMode !== 'cognito' && authMode !== 'none') {
    throw new ConfigError(
      'QUERY_AUTH',
      `QUERY_AUTH must be cognito or none, got ${JSON.stringify(authMode)}`,
    );
  }
  let auth: CognitoAuthOptions | 'none' = 'none';
  if (authMode !== 'none') {
    try {
      auth = cognitoAuthOptionsFromEnv(env);
    } catch (error) {
      // Health data is never served anonymously: without a user pool the function refuses to start.
      const variable = error instanceof InvalidOptionError ? error.option : 'COGNITO_USER_POOL_ID';
      throw new ConfigError(variable, (error as Error).message, { cause: error });
    }
  }
  return { tableName, windowSeconds: windowSeconds as WindowSeconds, auth };
}

/**
 * The production handler from the environment (see {@link loadQueryConfig}): one DynamoDB client (region and
 * credentials from the Lambda's environment) and a {@link createStoreSource} source on `TABLE_NAME`, behind
 * `withCognitoAuth` unless `QUERY_AUTH=none`.
 *
 * @throws {ConfigError} when the environment is invalid.
 */
export function createQueryHandlerFromEnv(env: QueryEnv): QueryHandler {
  const { tableName, windowSeconds, auth } = loadQueryConfig(env);
  const client = new DynamoDBClient({});
  const handler = createQueryHandler({
    source: createStoreSource({ client, tableName, windowSeconds }),
    query: { windowSeconds },
  });
  return auth === 'none' ? handler : withCognitoAuth(handler, auth);
}
