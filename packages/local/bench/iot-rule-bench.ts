/**
 * Benchmark of the local AWS IoT Core: messages per second from MQTT devices through the aedes broker and
 * the topic rule into Kinesis. Prints measured numbers next to the target; nothing is asserted.
 *
 *   pnpm --filter @secondrow/local bench:iot [--devices 50] [--messages 20000] [--runs 3] [--bytes 2700]
 *
 * Each run: `devices` MQTT clients (QoS 1, one connection each, client id = thing name, the own-topic
 * policy on) publish `messages` payloads of `bytes` random bytes (a 200-sample Avro batch is about 2,700)
 * to their Basic Ingest topics; the figure is messages / seconds from the first publish until every PUBACK
 * arrived and the rule had every record accepted by Kinesis (`drain`). Three paths, in the same run:
 *
 * 1. broker → rule → kinesalite (on its own thread, as in the demo): the whole local path; target >= 5,000/s;
 * 2. broker → rule → a Kinesis stand-in that accepts every record at once: the broker and rule alone;
 * 3. the peer: the same payloads straight into kinesalite with PutRecords (500 per call, 4 calls at a time),
 *    what the direct Kinesis path's phones do.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { type KinesisClient, PutRecordsCommand, type PutRecordsCommandInput } from '@aws-sdk/client-kinesis';
import { IOT_TOPICS, iotDeviceTopic, iotPartitionKey, iotRuleSql } from '@secondrow/devkit';
import { connectAsync, type MqttClient } from 'mqtt';
import {
  CLIENT_ID_VARIABLE,
  createStream,
  DevicePolicy,
  IotRuleRunner,
  LocalErrorBucket,
  startIotBroker,
  startLocalAws,
} from '../src/index.js';

// The SDK's notice about its Node 22 floor is for the maintainers, not each run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '50' },
    messages: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '3' },
    bytes: { type: 'string', default: '2700' },
  },
});
const DEVICES = Number(values.devices);
const MESSAGES = Number(values.messages);
const RUNS = Number(values.runs);
const BYTES = Number(values.bytes);
const TARGET = 5_000;

const ids = Array.from({ length: DEVICES }, (_, i) => `us-east-1:bench-${String(i).padStart(4, '0')}`);
const payloads = Array.from({ length: 64 }, () => randomBytes(BYTES));

/** A Kinesis client that accepts every record at once, to time the broker and the rule alone. */
const instantKinesis = {
  async send(command: { input: PutRecordsCommandInput }) {
    let seq = 0;
    return {
      Records: (command.input.Records ?? []).map(() => ({ SequenceNumber: String(++seq), ShardId: 's' })),
    };
  },
} as unknown as KinesisClient;

async function throughMqtt(kinesis: KinesisClient, streamName: string): Promise<number> {
  const rule = new IotRuleRunner({
    rule: {
      ruleName: IOT_TOPICS.ruleName,
      sql: iotRuleSql(),
      sqlVersion: IOT_TOPICS.sqlVersion,
      kinesis: { streamName, partitionKey: iotPartitionKey() },
    },
    kinesis,
    errorAction: new LocalErrorBucket(),
  });
  const broker = await startIotBroker({
    rules: [rule],
    policy: new DevicePolicy(iotDeviceTopic(CLIENT_ID_VARIABLE), ids),
  });
  const clients: MqttClient[] = await Promise.all(
    ids.map((id) => connectAsync(broker.url, { clientId: id, reconnectPeriod: 100 })),
  );
  try {
    const start = performance.now();
    const acks: Promise<unknown>[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      const d = i % DEVICES;
      acks.push(
        (clients[d] as MqttClient).publishAsync(
          iotDeviceTopic(ids[d] as string),
          payloads[i % 64] as Buffer,
          { qos: 1 },
        ),
      );
    }
    await Promise.all(acks);
    await rule.drain();
    const seconds = (performance.now() - start) / 1000;
    const stats = rule.stats();
    if (stats.delivered !== MESSAGES || stats.toErrorAction !== 0) {
      throw new Error(
        `rule delivered ${stats.delivered} of ${MESSAGES}, ${stats.toErrorAction} to the error action`,
      );
    }
    return MESSAGES / seconds;
  } finally {
    await Promise.all(clients.map((c) => c.endAsync()));
    await broker.close();
  }
}

async function direct(kinesis: KinesisClient, streamName: string): Promise<number> {
  const start = performance.now();
  const calls: PutRecordsCommandInput[] = [];
  for (let i = 0; i < MESSAGES; i += 500) {
    const n = Math.min(500, MESSAGES - i);
    calls.push({
      StreamName: streamName,
      Records: Array.from({ length: n }, (_, k) => ({
        Data: payloads[(i + k) % 64],
        PartitionKey: ids[(i + k) % DEVICES],
      })),
    });
  }
  let next = 0;
  const worker = async () => {
    while (next < calls.length) {
      const input = calls[next++] as PutRecordsCommandInput;
      const out = await kinesis.send(new PutRecordsCommand(input));
      if ((out.FailedRecordCount ?? 0) > 0) throw new Error(`${out.FailedRecordCount} records failed`);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return MESSAGES / ((performance.now() - start) / 1000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

const loadBefore = loadavg()[0] ?? 0;
const aws = await startLocalAws({ dynamodb: false, thread: true });
try {
  const results = { kinesalite: [] as number[], instant: [] as number[], direct: [] as number[] };
  for (let run = 1; run <= RUNS; run++) {
    const stream = `bench-iot-${run}`;
    await createStream(aws.kinesis, stream, 4);
    await createStream(aws.kinesis, `${stream}-direct`, 4);
    results.kinesalite.push(await throughMqtt(aws.kinesis, stream));
    results.instant.push(await throughMqtt(instantKinesis, stream));
    results.direct.push(await direct(aws.kinesis, `${stream}-direct`));
    console.log(
      `run ${run}: broker → rule → kinesalite ${fmt(results.kinesalite.at(-1) ?? 0)}/s, broker → rule (instant Kinesis) ` +
        `${fmt(results.instant.at(-1) ?? 0)}/s, direct PutRecords ${fmt(results.direct.at(-1) ?? 0)}/s`,
    );
  }
  console.log(
    `\nlocal rule runner, ${fmt(MESSAGES)} messages of ${fmt(BYTES)} B from ${DEVICES} devices (QoS 1), median of ${RUNS} runs:`,
  );
  console.log(
    `  broker → rule → kinesalite:          ${fmt(median(results.kinesalite))} messages/s (target >= ${fmt(TARGET)})`,
  );
  console.log(`  broker → rule, Kinesis answering at once: ${fmt(median(results.instant))} messages/s`);
  console.log(`  peer: direct PutRecords into kinesalite:  ${fmt(median(results.direct))} records/s`);
  console.log(
    `  machine: ${availableParallelism()} CPUs, load average ${loadBefore.toFixed(1)} before and ${(loadavg()[0] ?? 0).toFixed(1)} after`,
  );
} finally {
  await aws.close();
}
