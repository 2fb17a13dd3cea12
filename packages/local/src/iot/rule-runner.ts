import { setTimeout as delay } from 'node:timers/promises';
import { type KinesisClient, PutRecordsCommand, type PutRecordsResultEntry } from '@aws-sdk/client-kinesis';
import { LocalOptionError } from '../errors.js';
import type { RandomSource } from '../fault-injection/random.js';
import { type IotErrorAction, type IotErrorMessage, newTraceId } from './error-action.js';
import {
  IOT_MAX_PAYLOAD_BYTES,
  type ParsedTopicRule,
  parseBasicIngestTopic,
  parseTopicRule,
  substituteTopic,
  type TopicRuleDefinition,
  topicMatches,
} from './topic-rule.js';

/** One MQTT message as the broker received it. */
export interface IotMessage {
  /** The topic it was published to (with its Basic Ingest prefix, if any). */
  topic: string;
  /** The payload, byte for byte. */
  payload: Uint8Array;
  /** Client id of the publisher (the thing name). */
  clientId: string;
}

/** What the rule did with a message handed to it. */
export type RuleVerdict =
  /** The message matched and is queued for the Kinesis action. */
  | 'accepted'
  /** Not for this rule: another rule's Basic Ingest topic, or no match of the topic filter. */
  | 'ignored'
  /** Larger than AWS IoT's 128 KiB: refused before any rule ran. */
  | 'too-large';

/** One Kinesis record the rule's action wrote. */
export interface RuleDelivery {
  topic: string;
  clientId: string;
  partitionKey: string;
  payload: Uint8Array;
  sequenceNumber: string;
  shardId: string;
  /** Wall time the rule received the message, epoch ms. */
  receivedWallMs: number;
  /** Attempts it took (1 = first try). */
  attempts: number;
}

/** Options of {@link IotRuleRunner}. */
export interface IotRuleRunnerOptions {
  rule: TopicRuleDefinition;
  /** Client of the stream the Kinesis action writes to. */
  kinesis: KinesisClient;
  /** Where messages the action could not deliver go. */
  errorAction: IotErrorAction;
  /** Attempts per message for a retryable failure (throttling, 5xx, network) before the error action. Default 3. */
  maxAttempts?: number;
  /** Delay before the second attempt, ms; doubles per attempt, with up to as much again of jitter. Default 100. */
  baseDelayMs?: number;
  /** Records per PutRecords call, 1..500. Default 500. */
  maxRecordsPerCall?: number;
  /** PutRecords calls in flight at once, at least 1. Default 4. */
  maxConcurrentCalls?: number;
  /** Waits between attempts. Default: a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Draws the retry jitter. Default `Math.random`. */
  random?: RandomSource;
  /** Called for every record the action wrote. */
  onDelivered?: (delivery: RuleDelivery) => void;
}

/** Counters of a {@link IotRuleRunner}. */
export interface RuleRunnerStats {
  /** Messages handed to the rule. */
  received: number;
  /** Messages that matched the rule. */
  matched: number;
  /** Messages refused for exceeding 128 KiB. */
  tooLarge: number;
  /** Records the Kinesis action wrote. */
  delivered: number;
  /** Attempts that failed and were tried again. */
  retried: number;
  /** Messages handed to the error action. */
  toErrorAction: number;
  /** PutRecords calls made. */
  calls: number;
}

interface Pending {
  message: IotMessage;
  partitionKey: string;
  receivedWallMs: number;
  attempts: number;
  lastError: string;
}

const RETRYABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'InternalFailure',
  'ServiceUnavailable',
  'KMSThrottlingException',
]);

/**
 * The local rules engine for one topic rule with a Kinesis action, doing what AWS IoT does for the stack's
 * rule: a message published to the rule's Basic Ingest topic `$aws/rules/<rule>/<topic>` (or to a topic
 * its FROM filter matches) becomes one Kinesis record whose data is the payload byte for byte and whose
 * partition key is the action's template (`${topic(n)}`) evaluated on the topic without the Basic Ingest
 * prefix. Messages over 128 KiB are refused. A record that fails with a retryable error (throttling, 5xx,
 * network) is tried again with backoff, up to `maxAttempts`; one that still fails, or fails for good
 * (e.g. no such stream), goes to the error action in AWS IoT's error message format, so nothing the rule
 * accepted is dropped. Records are written with PutRecords in calls of up to 500, each message its own
 * record, as PutRecord would write it.
 */
export class IotRuleRunner {
  readonly rule: ParsedTopicRule;
  readonly #o: IotRuleRunnerOptions;
  readonly #queue: Pending[] = [];
  readonly #stats: RuleRunnerStats = {
    received: 0,
    matched: 0,
    tooLarge: 0,
    delivered: 0,
    retried: 0,
    toErrorAction: 0,
    calls: 0,
  };
  readonly #maxAttempts: number;
  readonly #maxRecords: number;
  readonly #maxCalls: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: RandomSource;
  #inFlight = 0;
  #waiting = 0;
  #idle: (() => void)[] = [];

  /** @throws {LocalOptionError} on a bad rule (see {@link parseTopicRule}) or an option out of range. */
  constructor(options: IotRuleRunnerOptions) {
    this.rule = parseTopicRule(options.rule);
    this.#o = options;
    this.#maxAttempts = checkInt('maxAttempts', options.maxAttempts ?? 3, 1, 100);
    this.#maxRecords = checkInt('maxRecordsPerCall', options.maxRecordsPerCall ?? 500, 1, 500);
    this.#maxCalls = checkInt('maxConcurrentCalls', options.maxConcurrentCalls ?? 4, 1, 1000);
    const base = options.baseDelayMs ?? 100;
    if (!(Number.isFinite(base) && base >= 0))
      throw new LocalOptionError(`baseDelayMs must be >= 0, got ${base}`);
    this.#sleep = options.sleep ?? ((ms) => delay(ms));
    this.#random = options.random ?? Math.random;
  }

  /** A snapshot of the counters. */
  stats(): RuleRunnerStats {
    return { ...this.#stats };
  }

  /**
   * Hands one message to the rule. An accepted message is delivered (or kept by the error action) in the
   * background; {@link IotRuleRunner.drain} waits for that.
   */
  accept(message: IotMessage): RuleVerdict {
    this.#stats.received++;
    if (message.payload.byteLength > IOT_MAX_PAYLOAD_BYTES) {
      this.#stats.tooLarge++;
      return 'too-large';
    }
    const ingest = parseBasicIngestTopic(message.topic);
    let topic = message.topic;
    if (ingest !== undefined) {
      // A Basic Ingest message goes to the rule it names, whatever the FROM filter says.
      if (ingest.ruleName !== this.rule.ruleName) return 'ignored';
      topic = ingest.topic;
    } else if (!topicMatches(this.rule.topicFilter, topic)) {
      return 'ignored';
    }
    this.#stats.matched++;
    this.#queue.push({
      message,
      partitionKey: substituteTopic(this.rule.partitionKey, topic),
      receivedWallMs: Date.now(),
      attempts: 0,
      lastError: '',
    });
    this.#pump();
    return 'accepted';
  }

  /** Resolves when every accepted message has been delivered or kept by the error action. */
  drain(): Promise<void> {
    if (this.#settled()) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #settled(): boolean {
    return this.#queue.length === 0 && this.#inFlight === 0 && this.#waiting === 0;
  }

  #pump(): void {
    while (this.#inFlight < this.#maxCalls && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxRecords);
      this.#inFlight++;
      void this.#send(batch).finally(() => {
        this.#inFlight--;
        this.#pump();
        this.#notifyIdle();
      });
    }
  }

  #notifyIdle(): void {
    if (!this.#settled()) return;
    const waiters = this.#idle;
    this.#idle = [];
    for (const resolve of waiters) resolve();
  }

  async #send(batch: Pending[]): Promise<void> {
    this.#stats.calls++;
    for (const p of batch) p.attempts++;
    let results: PutRecordsResultEntry[];
    try {
      const out = await this.#o.kinesis.send(
        new PutRecordsCommand({
          StreamName: this.rule.streamName,
          Records: batch.map((p) => ({ Data: p.message.payload, PartitionKey: p.partitionKey })),
        }),
      );
      results = out.Records ?? [];
    } catch (error) {
      const retryable = isRetryableCallError(error);
      const text = `${(error as Error).name}: ${(error as Error).message}`;
      await Promise.all(batch.map((p) => this.#failed(p, text, retryable)));
      return;
    }
    const failures: Promise<void>[] = [];
    batch.forEach((p, i) => {
      const r = results[i];
      if (r === undefined || r.ErrorCode !== undefined || r.SequenceNumber === undefined) {
        const code = r?.ErrorCode ?? 'MissingResult';
        failures.push(this.#failed(p, `${code}: ${r?.ErrorMessage ?? ''}`, RETRYABLE.has(code)));
        return;
      }
      this.#stats.delivered++;
      this.#o.onDelivered?.({
        topic: p.message.topic,
        clientId: p.message.clientId,
        partitionKey: p.partitionKey,
        payload: p.message.payload,
        sequenceNumber: r.SequenceNumber,
        shardId: r.ShardId ?? '',
        receivedWallMs: p.receivedWallMs,
        attempts: p.attempts,
      });
    });
    await Promise.all(failures);
  }

  async #failed(p: Pending, error: string, retryable: boolean): Promise<void> {
    p.lastError = error;
    if (retryable && p.attempts < this.#maxAttempts) {
      this.#stats.retried++;
      this.#waiting++;
      const base = (this.#o.baseDelayMs ?? 100) * 2 ** (p.attempts - 1);
      // Not awaited by the call: the retry waits on its own, and the call's slot is free meanwhile.
      void this.#sleep(base + this.#random() * base).then(() => {
        this.#waiting--;
        this.#queue.push(p);
        this.#pump();
      });
      return;
    }
    this.#stats.toErrorAction++;
    const message: IotErrorMessage = {
      ruleName: this.rule.ruleName,
      topic: p.message.topic,
      cloudwatchTraceId: newTraceId(),
      clientId: p.message.clientId,
      base64OriginalPayload: Buffer.from(p.message.payload).toString('base64'),
      failures: [
        { failedAction: 'KinesisAction', failedResource: this.rule.streamName, errorMessage: error },
      ],
    };
    await this.#o.errorAction.keep(message);
  }

  /**
   * Hands messages the error action kept back to the rule (an operator's redrive after the cause is
   * fixed); each is accepted again as a new message from its publisher.
   *
   * @returns how many were accepted.
   */
  redrive(messages: readonly IotErrorMessage[]): number {
    let accepted = 0;
    for (const m of messages) {
      const verdict = this.accept({
        topic: m.topic,
        clientId: m.clientId,
        payload: new Uint8Array(Buffer.from(m.base64OriginalPayload, 'base64')),
      });
      if (verdict === 'accepted') accepted++;
    }
    return accepted;
  }
}

function isRetryableCallError(error: unknown): boolean {
  const e = error as {
    name?: string;
    $metadata?: { httpStatusCode?: number };
    $retryable?: unknown;
    code?: string;
  };
  if (e.name !== undefined && RETRYABLE.has(e.name)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500 || status === 429;
  // No HTTP response at all: a reset or refused connection, retried like a 5xx.
  return true;
}

function checkInt(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new LocalOptionError(`${name} must be an integer in ${min}..${max}, got ${value}`);
  }
  return value;
}
