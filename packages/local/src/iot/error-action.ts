import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One failed action of a message, as the rules engine reports it. */
export interface IotActionFailure {
  /** E.g. `KinesisAction`. */
  failedAction: string;
  /** The stream (or other resource) the action wrote to. */
  failedResource: string;
  errorMessage: string;
}

/**
 * The document the rules engine hands its error action, one per rule and message it could not deliver
 * (AWS IoT's error action message format): the original payload is kept whole, base64-encoded.
 */
export interface IotErrorMessage {
  ruleName: string;
  /** The topic the message was published to (with its Basic Ingest prefix, if any). */
  topic: string;
  cloudwatchTraceId: string;
  /** Client id of the publisher (the thing name). */
  clientId: string;
  base64OriginalPayload: string;
  failures: IotActionFailure[];
}

/** Where a rule's error action puts the messages it keeps. */
export interface IotErrorAction {
  /** Keeps one message; resolves once it is stored. */
  keep(message: IotErrorMessage): Promise<void>;
}

/**
 * A local error action that keeps every message, like the stack's S3 error action: in memory, and as one
 * JSON object per message under `dir` (when given) at `<ruleName>/<trace id>.json`, so a run's failures
 * can be inspected and redriven. {@link LocalErrorBucket.take} empties it for a redrive.
 */
export class LocalErrorBucket implements IotErrorAction {
  readonly #dir: string | undefined;
  #messages: IotErrorMessage[] = [];
  /** Messages kept since creation (taken ones included). */
  kept = 0;

  /** @param dir - Directory to write the messages to; created when the first one arrives. Default: memory only. */
  constructor(dir?: string) {
    this.#dir = dir;
  }

  async keep(message: IotErrorMessage): Promise<void> {
    this.kept++;
    this.#messages.push(message);
    if (this.#dir === undefined) return;
    const folder = join(this.#dir, message.ruleName);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, `${message.cloudwatchTraceId}.json`), `${JSON.stringify(message)}\n`);
  }

  /** Messages kept and not yet taken, oldest first. */
  get messages(): readonly IotErrorMessage[] {
    return this.#messages;
  }

  /** Removes and returns the messages kept so far (and their files), e.g. to redrive them. */
  async take(): Promise<IotErrorMessage[]> {
    const taken = this.#messages;
    this.#messages = [];
    if (this.#dir !== undefined) {
      for (const m of taken)
        await rm(join(this.#dir, m.ruleName, `${m.cloudwatchTraceId}.json`), { force: true });
    }
    return taken;
  }
}

/** Reads every error message kept under `dir` by a {@link LocalErrorBucket} (any rule), in no set order. */
export async function readErrorMessages(dir: string): Promise<IotErrorMessage[]> {
  const out: IotErrorMessage[] = [];
  let rules: string[];
  try {
    rules = await readdir(dir);
  } catch {
    return out;
  }
  for (const rule of rules) {
    for (const file of await readdir(join(dir, rule))) {
      if (file.endsWith('.json')) out.push(JSON.parse(await readFile(join(dir, rule, file), 'utf8')));
    }
  }
  return out;
}

/** A new trace id for an error message (a UUID, as the rules engine's CloudWatch trace ids are). */
export function newTraceId(): string {
  return randomUUID();
}
