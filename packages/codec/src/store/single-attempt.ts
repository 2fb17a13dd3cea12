import type { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';

/**
 * Turns the SDK's retries off for one command, whatever the injected client's `maxAttempts` (4 by
 * default for the DynamoDB client, i.e. 3 retries with their own backoff): the command's middleware stack gets a
 * pass-through under the name and slot of the SDK's `retryMiddleware` (finalizeRequest step, high
 * priority) with `override`, which replaces the client's retry middleware for this command only.
 *
 * Why: the store retries in its own loop (backoff with full jitter, the caller's deadline, a per-attempt
 * timeout, requests counted in the report). A second loop inside each request multiplied the requests of
 * a throttled row and made its wall time unbounded by the store's settings. The client is not changed,
 * so other code sharing it keeps the SDK's retries.
 */
export function singleAttempt<C extends PutItemCommand | GetItemCommand>(command: C): C {
  (command as PutItemCommand).middlewareStack.add((next) => (args) => next(args), {
    name: 'retryMiddleware',
    step: 'finalizeRequest',
    priority: 'high',
    tags: ['RETRY'],
    override: true,
  });
  return command;
}
