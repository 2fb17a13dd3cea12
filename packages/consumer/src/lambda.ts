/**
 * The deployed Lambda's entry point, bundled by scripts/bundle.ts into dist-lambda/index.mjs. Unlike the
 * package index, this module does work when loaded: it reads the environment and builds the DynamoDB
 * client, store, quarantine, logger and metrics once per container, during Lambda's init phase.
 *
 * @packageDocumentation
 */
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { ConsumerError } from './errors.js';
import { createHandlerFromEnv, type KinesisBatchHandler } from './handler.js';
import type { DeadlineContext } from './process-batch.js';

function tryCreate(): KinesisBatchHandler | Error {
  try {
    return createHandlerFromEnv(process.env);
  } catch (error) {
    return error instanceof Error
      ? error
      : new ConsumerError('CONFIG_INVALID', `could not build the handler: ${String(error)}`, {
          cause: error,
        });
  }
}

// A bad configuration is kept and thrown on every invocation with its clear message, so the function's
// logs name the culprit on each attempt rather than once at init.
let production: KinesisBatchHandler | Error = tryCreate();
if (production instanceof Error) console.error(`secondrow consumer: ${production.message}`);

/**
 * The Lambda entry point (`index.handler` of the bundle): Kinesis event in, partial batch response out.
 * Configuration comes from the environment (see `loadConfig`).
 *
 * @throws `ConfigError` naming the variable when the environment is invalid.
 */
export async function handler(
  event: KinesisStreamEvent,
  context?: DeadlineContext,
): Promise<KinesisStreamBatchResponse> {
  if (production instanceof Error) {
    // Retry the build: a transient failure at init must not poison the container for good.
    production = tryCreate();
    if (production instanceof Error) throw production;
  }
  return production(event, context);
}
