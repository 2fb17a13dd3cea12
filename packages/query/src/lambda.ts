/**
 * The deployed query Lambda's entry point (a Function URL, payload 2.0), bundled by scripts/bundle.ts into
 * dist-lambda/index.mjs. Unlike the package index, this module does work when loaded: it reads the
 * environment (`TABLE_NAME`, `WINDOW_SECONDS`) and builds the DynamoDB client and store source once per
 * container, during Lambda's init phase.
 *
 * @packageDocumentation
 */
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { createQueryHandlerFromEnv } from './config.js';
import { ConfigError } from './errors.js';
import type { QueryContext, QueryHandler, QueryResult } from './handler.js';

function tryCreate(): QueryHandler | Error {
  try {
    return createQueryHandlerFromEnv(process.env);
  } catch (error) {
    return error instanceof Error
      ? error
      : new ConfigError('environment', `could not build the handler: ${String(error)}`, { cause: error });
  }
}

// A bad configuration is kept and thrown on every invocation with its message, so each attempt's logs
// name the culprit, not only the init phase's.
let production: QueryHandler | Error = tryCreate();
if (production instanceof Error) console.error(`secondrow query: ${production.message}`);

/**
 * The Lambda entry point (`index.handler` of the bundle): Function URL event in, HTTP result out.
 *
 * @throws {ConfigError} naming the variable when the environment is invalid.
 */
export async function handler(event: LambdaFunctionURLEvent, context?: QueryContext): Promise<QueryResult> {
  if (production instanceof Error) {
    // A transient failure at init must not poison the container for good.
    production = tryCreate();
    if (production instanceof Error) throw production;
  }
  return production(event, context);
}
