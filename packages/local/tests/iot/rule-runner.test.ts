import type { KinesisClient, PutRecordsCommandInput } from '@aws-sdk/client-kinesis';
import { IOT_TOPICS, iotDeviceTopic, iotPartitionKey, iotRuleSql } from '@secondrow/devkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  IotRuleRunner,
  LocalErrorBucket,
  LocalOptionError,
  parseBasicIngestTopic,
  substituteTopic,
} from '../../src/index.js';

const rule = {
  ruleName: IOT_TOPICS.ruleName,
  sql: iotRuleSql(),
  sqlVersion: '2016-03-23' as const,
  kinesis: { streamName: 's', partitionKey: iotPartitionKey() },
};

/** A Kinesis stand-in that fails a record with the code `fail` returns for its data and attempt (none: written). */
function flakyKinesis(fail: (data: string, attempt: number) => string | undefined) {
  const attempts = new Map<string, number>();
  const written: { key: string; data: string }[] = [];
  const client = {
    async send(command: { input: PutRecordsCommandInput }) {
      let seq = 0;
      return {
        Records: (command.input.Records ?? []).map((r) => {
          const data = Buffer.from(r.Data as Uint8Array).toString();
          const attempt = (attempts.get(data) ?? 0) + 1;
          attempts.set(data, attempt);
          const code = fail(data, attempt);
          if (code !== undefined) return { ErrorCode: code, ErrorMessage: 'injected' };
          written.push({ key: r.PartitionKey ?? '', data });
          return { SequenceNumber: String(++seq), ShardId: 'shardId-0' };
        }),
      };
    },
  } as unknown as KinesisClient;
  return { client, written, attempts };
}

const message = (device: string, data: string) => ({
  topic: iotDeviceTopic(device),
  clientId: device,
  payload: new Uint8Array(Buffer.from(data)),
});

describe('IotRuleRunner', () => {
  it('law: the partition key of a device topic is the device id', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-Z0-9:_-]{1,64}$/), (id) => {
        const seen = parseBasicIngestTopic(iotDeviceTopic(id));
        expect(seen?.ruleName).toBe(IOT_TOPICS.ruleName);
        expect(substituteTopic(iotPartitionKey(), seen?.topic ?? '')).toBe(id);
      }),
    );
  });

  it('retries throttled records with doubling backoff and delivers them', async () => {
    const kinesis = flakyKinesis((_d, attempt) =>
      attempt < 3 ? 'ProvisionedThroughputExceededException' : undefined,
    );
    const sleeps: number[] = [];
    const runner = new IotRuleRunner({
      rule,
      kinesis: kinesis.client,
      errorAction: new LocalErrorBucket(),
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0,
    });
    expect(runner.accept(message('dev-a', 'one'))).toBe('accepted');
    await runner.drain();
    expect(kinesis.written).toEqual([{ key: 'dev-a', data: 'one' }]);
    expect(sleeps).toEqual([100, 200]);
    expect(runner.stats()).toMatchObject({ delivered: 1, retried: 2, toErrorAction: 0 });
  });

  it('sends a record still throttled after maxAttempts, or failing for good, to the error action with its payload', async () => {
    const kinesis = flakyKinesis((data) =>
      data === 'always'
        ? 'ProvisionedThroughputExceededException'
        : data === 'bad'
          ? 'AccessDeniedException'
          : undefined,
    );
    const errors = new LocalErrorBucket();
    const runner = new IotRuleRunner({
      rule,
      kinesis: kinesis.client,
      errorAction: errors,
      sleep: async () => {},
    });
    runner.accept(message('dev-a', 'always'));
    runner.accept(message('dev-b', 'bad'));
    runner.accept(message('dev-c', 'fine'));
    await runner.drain();
    expect(kinesis.attempts.get('always')).toBe(3);
    expect(kinesis.attempts.get('bad')).toBe(1);
    expect(kinesis.written).toEqual([{ key: 'dev-c', data: 'fine' }]);
    const kept = Object.fromEntries(
      errors.messages.map((m) => [Buffer.from(m.base64OriginalPayload, 'base64').toString(), m]),
    );
    expect(Object.keys(kept).sort()).toEqual(['always', 'bad']);
    expect(kept.always).toMatchObject({
      ruleName: IOT_TOPICS.ruleName,
      topic: iotDeviceTopic('dev-a'),
      clientId: 'dev-a',
      failures: [{ failedAction: 'KinesisAction', failedResource: 's' }],
    });
    expect(kept.always?.failures[0]?.errorMessage).toMatch(/ProvisionedThroughputExceededException/);
  });

  it('ignores other rules and unmatched topics, and refuses more than 128 KiB', () => {
    const runner = new IotRuleRunner({
      rule,
      kinesis: flakyKinesis(() => undefined).client,
      errorAction: new LocalErrorBucket(),
    });
    expect(runner.accept({ ...message('d', 'x'), topic: '$aws/rules/other_rule/secondrow/devices/d' })).toBe(
      'ignored',
    );
    expect(runner.accept({ ...message('d', 'x'), topic: 'elsewhere/d' })).toBe('ignored');
    expect(runner.accept({ ...message('d', 'x'), topic: 'secondrow/devices/d' })).toBe('accepted');
    expect(runner.accept({ ...message('d', ''), payload: new Uint8Array(128 * 1024 + 1) })).toBe('too-large');
    expect(runner.accept({ ...message('d', ''), payload: new Uint8Array(128 * 1024) })).toBe('accepted');
  });

  it('rejects options out of range when made', () => {
    const base = { rule, kinesis: flakyKinesis(() => undefined).client, errorAction: new LocalErrorBucket() };
    expect(() => new IotRuleRunner({ ...base, maxAttempts: 0 })).toThrow(LocalOptionError);
    expect(() => new IotRuleRunner({ ...base, maxRecordsPerCall: 501 })).toThrow(LocalOptionError);
    expect(() => new IotRuleRunner({ ...base, baseDelayMs: -1 })).toThrow(LocalOptionError);
  });
});
