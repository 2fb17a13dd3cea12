import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { decodeBatch } from '@secondrow/codec';
import { IOT_TOPICS, iotDeviceTopic, iotPartitionKey, iotRuleSql } from '@secondrow/devkit';
import {
  CLIENT_ID_VARIABLE,
  DevicePolicy,
  type IotBroker,
  type IotBrokerStats,
  IotRuleRunner,
  LocalErrorBucket,
  type RuleDelivery,
  type RuleRunnerStats,
  seededRandom,
  startIotBroker,
} from '@secondrow/local';
import { payloadBudget } from './mqtt-batches.js';
import { MqttRecordSink, type MqttTrafficStats } from './mqtt-sink.js';
import type { Delivery } from './phone.js';

/** Faults of the local broker in an MQTT run. */
export interface BrokerFaults {
  /** Device connections the broker drops per wall second, at random (each device reconnects). */
  dropsPerSecond: number;
  /** Probability per message that the connection drops before its PUBACK (a QoS 1 redelivery). */
  lostPuback: number;
}

/** The demo's broker faults with faults on: 4 dropped connections a second, 2 % of PUBACKs lost. */
export const DEFAULT_BROKER_FAULTS: Readonly<BrokerFaults> = Object.freeze({
  dropsPerSecond: 4,
  lostPuback: 0.02,
});

/** What the MQTT path of one pass did. */
export interface MqttPassReport {
  traffic: MqttTrafficStats;
  broker: IotBrokerStats;
  rule: RuleRunnerStats;
  /** Messages the rule's error action kept, and how many of them were redriven into the stream. */
  errorAction: { kept: number; redriven: number; left: number };
  /** Topic of the first device, to show the layout. */
  exampleTopic: string;
  /** Payload budget per message to stay in one 5 KB metering unit, bytes. */
  payloadBudget: number;
}

/** Options of {@link startMqttPath}. */
export interface MqttPathOptions {
  /** The stream the rule writes to, and its client (through the Kinesis limits when they are on). */
  kinesis: KinesisClient;
  streamName: string;
  /** Ids of the devices (thing names). */
  deviceIds: readonly string[];
  /** Faults of the broker, or false. */
  faults: BrokerFaults | false;
  /** Seed of the broker's fault draws. */
  seed: number;
  /** Receives one delivery per Kinesis record the rule wrote (for the pipeline probe). */
  onDelivered: (delivery: Delivery) => void;
}

/** A running MQTT path: devices' sink → local broker → topic rule → Kinesis. */
export interface MqttPath {
  sink: MqttRecordSink;
  /** Largest record the phones may send (one metering unit with the topic). */
  maxRecordBytes: number;
  /** The phones' PUBACKs, to time their flushes. */
  onPhoneDelivered: (delivery: Delivery) => void;
  /**
   * Stops the connection drops, disconnects the devices, waits for the rule, then redrives what its error
   * action kept until nothing is left (at most 20 rounds).
   */
  settle(): Promise<void>;
  report(): MqttPassReport;
  close(): Promise<void>;
}

/**
 * Starts the local AWS IoT Core for one pass: an aedes broker on loopback whose policy lets each device
 * publish only to its own Basic Ingest topic, the stack's topic rule writing into `streamName`, and an
 * in-memory error action; and the devices' MQTT sink. Each record the rule writes is decoded (the payload
 * is the codec's Avro batch) and handed to `onDelivered` with the time its phone flushed it.
 */
export async function startMqttPath(o: MqttPathOptions): Promise<MqttPath> {
  const errors = new LocalErrorBucket();
  const flushAt = new Map<string, number>();
  const waiting = new Map<string, Delivery[]>();
  const seen = new Set<string>();
  const rule = new IotRuleRunner({
    rule: {
      ruleName: IOT_TOPICS.ruleName,
      sql: iotRuleSql(),
      sqlVersion: IOT_TOPICS.sqlVersion,
      kinesis: { streamName: o.streamName, partitionKey: iotPartitionKey() },
    },
    kinesis: o.kinesis,
    errorAction: errors,
    random: seededRandom(o.seed + 1),
    onDelivered: (d: RuleDelivery) => {
      const batch = decodeBatch(d.payload);
      const key = `${batch.deviceId}/${batch.batchId}`;
      const delivery: Delivery = {
        deviceId: batch.deviceId,
        batchId: batch.batchId,
        samples: batch.samples,
        sequenceNumber: d.sequenceNumber,
        shardId: d.shardId,
        // Until the phone hears its PUBACK: the time the batch was queued.
        flushAtMs: flushAt.get(key) ?? batch.sentAt,
        putWallMs: d.receivedWallMs,
        resend: seen.has(key),
      };
      seen.add(key);
      if (!flushAt.has(key)) waiting.set(key, [...(waiting.get(key) ?? []), delivery]);
      o.onDelivered(delivery);
    },
  });
  const random = seededRandom(o.seed);
  const broker: IotBroker = await startIotBroker({
    rules: [rule],
    policy: new DevicePolicy(iotDeviceTopic(CLIENT_ID_VARIABLE), o.deviceIds),
    faults: { lostPuback: o.faults === false ? 0 : o.faults.lostPuback, random },
  });
  const sink = new MqttRecordSink({ url: broker.url, reconnectPeriodMs: 50 });
  const dropEveryMs =
    o.faults === false || o.faults.dropsPerSecond === 0 ? 0 : 1000 / o.faults.dropsPerSecond;
  const dropper =
    dropEveryMs > 0 ? setInterval(() => broker.dropRandomConnection(random), dropEveryMs) : undefined;
  const topicBytes = Buffer.byteLength(iotDeviceTopic(o.deviceIds[0] ?? ''));
  let redriven = 0;
  let closed = false;
  const path: MqttPath = {
    sink,
    maxRecordBytes: payloadBudget(topicBytes),
    onPhoneDelivered: (d) => {
      const key = `${d.deviceId}/${d.batchId}`;
      if (flushAt.has(key)) return;
      flushAt.set(key, d.flushAtMs);
      for (const early of waiting.get(key) ?? []) early.flushAtMs = d.flushAtMs;
      waiting.delete(key);
    },
    async settle() {
      clearInterval(dropper);
      await sink.close();
      await rule.drain();
      for (let round = 0; round < 20 && errors.messages.length > 0; round++) {
        redriven += rule.redrive(await errors.take());
        await rule.drain();
      }
    },
    report: () => ({
      traffic: sink.stats(),
      broker: broker.stats(),
      rule: rule.stats(),
      errorAction: { kept: errors.kept, redriven, left: errors.messages.length },
      exampleTopic: iotDeviceTopic(o.deviceIds[0] ?? ''),
      payloadBudget: payloadBudget(topicBytes),
    }),
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(dropper);
      await sink.close();
      await broker.close();
    },
  };
  return path;
}
