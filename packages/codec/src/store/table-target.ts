import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvalidOptionError } from '../errors.js';

/** DynamoDB's rule for table names: 3 to 255 of `a-z A-Z 0-9 _ - .`. */
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/**
 * Checks the options object of a store class and the two settings every one of them needs: a client
 * that can `send`, and a valid table name.
 *
 * @param options - What the constructor was given.
 * @param owner - The class name, for the message.
 * @throws {InvalidOptionError} naming `options`, `client` or `tableName`.
 */
export function checkTableTarget(
  options: unknown,
  owner: string,
): asserts options is { client: DynamoDBClient; tableName: string } {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', `${owner} needs an options object`);
  }
  const { client, tableName } = options as { client?: unknown; tableName?: unknown };
  if (typeof (client as { send?: unknown } | undefined)?.send !== 'function') {
    throw new InvalidOptionError('client', 'client must be a DynamoDBClient');
  }
  if (typeof tableName !== 'string' || !TABLE_NAME.test(tableName)) {
    throw new InvalidOptionError(
      'tableName',
      `tableName must be 3 to 255 of a-z, A-Z, 0-9, _, -, ., got ${JSON.stringify(tableName)}`,
    );
  }
}
