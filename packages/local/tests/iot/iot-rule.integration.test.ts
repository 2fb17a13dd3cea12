import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  basicIngestTopic,
  CLIENT_ID_VARIABLE,
  createStream,
  DevicePolicy,
  type IotBroker,
  IotRuleRunner,
  type LocalAws,
  LocalErrorBucket,
  type RuleDelivery,
  startIotBroker,
  startLocalAws,
  topicSubstitution,
} from '../../src/index.js';

const RULE = 'secondrow_ingest';
const rule = (streamName: string) => ({
  ruleName: RULE,
  sql: "SELECT * FROM 'secondrow/devices/+'",
  sqlVersion: '2016-03-23' as const,
  kinesis: { streamName, partitionKey: topicSubstitution(3) },
});
const policy = new DevicePolicy(basicIngestTopic(RULE, `secondrow/devices/${CLIENT_ID_VARIABLE}`));

async function readAll(kinesis: KinesisClient, stream: string): Promise<{ key: string; data: Uint8Array }[]> {
  const out: { key: string; data: Uint8Array }[] = [];
  const shards = await kinesis.send(new ListShardsCommand({ StreamName: stream }));
  for (const shard of shards.Shards ?? []) {
    const it = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: stream,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const page = await kinesis.send(
      new GetRecordsCommand({ ShardIterator: it.ShardIterator, Limit: 10_000 }),
    );
    for (const r of page.Records ?? [])
      out.push({ key: r.PartitionKey ?? '', data: r.Data ?? new Uint8Array() });
  }
  return out;
}

describe('local AWS IoT: aedes broker, Basic Ingest rule, Kinesis action', () => {
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startLocalAws({ dynamodb: false });
  });
  afterAll(async () => {
    await aws.close();
  });

  async function setup(stream: string, options: { lostPuback?: number } = {}) {
    await createStream(aws.kinesis, stream, 2);
    const errors = new LocalErrorBucket();
    const deliveries: RuleDelivery[] = [];
    const runner = new IotRuleRunner({
      rule: rule(stream),
      kinesis: aws.kinesis,
      errorAction: errors,
      onDelivered: (d) => deliveries.push(d),
    });
    const broker = await startIotBroker({
      rules: [runner],
      policy,
      faults: { lostPuback: options.lostPuback ?? 0 },
    });
    return { runner, broker, errors, deliveries };
  }

  async function device(broker: IotBroker, id: string): Promise<MqttClient> {
    return connectAsync(broker.url, { clientId: id, reconnectPeriod: 20, connectTimeout: 2000 });
  }

  it('writes a binary payload byte for byte with the device id from the topic as partition key', async () => {
    const { runner, broker, errors } = await setup('iot-bytes');
    const client = await device(broker, 'us-east-1:dev-a');
    try {
      const payload = new Uint8Array(5000).map((_, i) => (i * 7) % 256);
      await client.publishAsync(
        basicIngestTopic(RULE, 'secondrow/devices/us-east-1:dev-a'),
        Buffer.from(payload),
        {
          qos: 1,
        },
      );
      await runner.drain();
      const records = await readAll(aws.kinesis, 'iot-bytes');
      expect(records).toHaveLength(1);
      expect(records[0]?.key).toBe('us-east-1:dev-a');
      expect(Buffer.from(records[0]?.data ?? []).equals(Buffer.from(payload))).toBe(true);
      expect(errors.messages).toHaveLength(0);
    } finally {
      await client.endAsync();
      await broker.close();
    }
  });

  it('never delivers a Basic Ingest message to a subscriber, and refuses the subscription', async () => {
    const { runner, broker } = await setup('iot-nosub');
    const listener = await connectAsync(broker.url, { clientId: 'listener', reconnectPeriod: 0 });
    const client = await device(broker, 'dev-b');
    try {
      await expect(listener.subscribeAsync(`$aws/rules/${RULE}/#`, { qos: 1 })).rejects.toThrow(
        /Subscribe error/,
      );
      const wildcard = await listener.subscribeAsync('#', { qos: 1 });
      const seen: string[] = [];
      listener.on('message', (topic) => seen.push(topic));
      await client.publishAsync(basicIngestTopic(RULE, 'secondrow/devices/dev-b'), 'x', { qos: 1 });
      await runner.drain();
      await new Promise((r) => setTimeout(r, 50));
      expect(wildcard[0]?.qos).toBe(1);
      expect(seen).toEqual([]);
      expect(runner.stats().delivered).toBe(1);
    } finally {
      await listener.endAsync();
      await client.endAsync();
      await broker.close();
    }
  });

  it("closes the connection of a device that publishes to another device's topic, and stores nothing", async () => {
    const { runner, broker } = await setup('iot-policy');
    const client = await connectAsync(broker.url, { clientId: 'dev-c', reconnectPeriod: 0 });
    try {
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      client.publish(basicIngestTopic(RULE, 'secondrow/devices/dev-d'), 'forged', { qos: 1 });
      await closed;
      await runner.drain();
      expect(broker.stats().refusedPublishes).toBe(1);
      expect(runner.stats().matched).toBe(0);
      expect(await readAll(aws.kinesis, 'iot-policy')).toHaveLength(0);
    } finally {
      await client.endAsync(true);
      await broker.close();
    }
  });

  it('refuses a payload over 128 KiB', async () => {
    const { runner, broker } = await setup('iot-large');
    const client = await connectAsync(broker.url, { clientId: 'dev-e', reconnectPeriod: 0 });
    try {
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      client.publish(basicIngestTopic(RULE, 'secondrow/devices/dev-e'), Buffer.alloc(128 * 1024 + 1), {
        qos: 1,
      });
      await closed;
      expect(broker.stats().tooLarge).toBe(1);
      expect(runner.stats().delivered).toBe(0);
    } finally {
      await client.endAsync(true);
      await broker.close();
    }
  });

  it('sends a QoS 1 message again after a lost PUBACK: the rule writes it again, nothing is lost', async () => {
    const { runner, broker } = await setup('iot-redeliver', { lostPuback: 0.3 });
    const client = await device(broker, 'dev-f');
    try {
      const sends = Array.from({ length: 40 }, (_, i) =>
        client.publishAsync(basicIngestTopic(RULE, 'secondrow/devices/dev-f'), `m${i}`, { qos: 1 }),
      );
      await Promise.all(sends);
      await runner.drain();
      const records = await readAll(aws.kinesis, 'iot-redeliver');
      const distinct = new Set(records.map((r) => Buffer.from(r.data).toString()));
      expect(distinct.size).toBe(40);
      // Every message the dropped connections had not acknowledged comes again: at least one per drop.
      expect(broker.stats().lostPubacks).toBeGreaterThan(0);
      expect(records.length).toBeGreaterThanOrEqual(40 + broker.stats().lostPubacks);
    } finally {
      await client.endAsync();
      await broker.close();
    }
  });

  it('keeps every message it cannot deliver in the error action, with its payload, and redrives them', async () => {
    const errors = new LocalErrorBucket();
    const runner = new IotRuleRunner({
      rule: rule('iot-missing'),
      kinesis: aws.kinesis,
      errorAction: errors,
      baseDelayMs: 1,
    });
    for (let i = 0; i < 5; i++) {
      runner.accept({
        topic: basicIngestTopic(RULE, 'secondrow/devices/dev-g'),
        clientId: 'dev-g',
        payload: new Uint8Array([i]),
      });
    }
    await runner.drain();
    expect(errors.messages).toHaveLength(5);
    expect(errors.messages.map((m) => Buffer.from(m.base64OriginalPayload, 'base64')[0]).sort()).toEqual([
      0, 1, 2, 3, 4,
    ]);
    expect(errors.messages[0]?.failures[0]?.failedAction).toBe('KinesisAction');
    await createStream(aws.kinesis, 'iot-missing', 1);
    expect(runner.redrive(await errors.take())).toBe(5);
    await runner.drain();
    expect(errors.messages).toHaveLength(0);
    expect(await readAll(aws.kinesis, 'iot-missing')).toHaveLength(5);
  });
});
