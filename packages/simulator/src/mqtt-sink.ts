import { iotDeviceTopic, iotMeteredUnits } from '@secondrow/devkit';
import { connect, type MqttClient } from 'mqtt';
import { InvalidSimulatorOptionError } from './errors.js';
import type { RecordEntry, RecordResult, RecordSink } from './record-sink.js';

/** Options of {@link MqttRecordSink}. */
export interface MqttSinkOptions {
  /** Broker URL, e.g. `mqtt://127.0.0.1:1883` (or AWS IoT's `mqtts://<endpoint>:8883`). */
  url: string;
  /** Topic rule the devices publish to through Basic Ingest. Default `IOT_TOPICS.ruleName`. */
  ruleName?: string;
  /** Wait between reconnect attempts, ms (> 0). Default 100. */
  reconnectPeriodMs?: number;
  /** How long a publish may wait for its PUBACK (reconnects included) before it counts as failed, ms. Default 60,000. */
  pubackTimeoutMs?: number;
}

/** What the devices' MQTT traffic measured. */
export interface MqttTrafficStats {
  /** PUBLISH packets written (QoS 1 resends after a reconnect included): what IoT Core meters. */
  messages: number;
  /** Payload bytes of those packets. */
  payloadBytes: number;
  /** Topic bytes of those packets. */
  topicBytes: number;
  /** 5 KB metering units of those packets (`iotMeteredUnits` of each). */
  meteredUnits: number;
  /** Largest payload sent, bytes. */
  maxPayloadBytes: number;
  /** Publishes acknowledged (PUBACK). */
  acknowledged: number;
  /** Publishes that timed out waiting for a PUBACK (the phone sends them again). */
  timedOut: number;
  /** Connections made, first ones included. */
  connects: number;
  /** Connections that closed while the device still had work (each followed by a reconnect). */
  disconnects: number;
  /** Milliseconds the devices were connected, summed over devices (wall clock). */
  connectedMs: number;
  /** Milliseconds from each device's first connect to its close, summed (wall clock). */
  lifetimeMs: number;
}

interface Device {
  client: MqttClient;
  topic: string;
  connectedSince: number | undefined;
  firstConnectAt: number;
}

/**
 * {@link RecordSink} over MQTT: each device (the record's partition key is its id, the MQTT client id and
 * thing name) keeps one connection and publishes each record's bytes unchanged, QoS 1, to its Basic Ingest
 * topic `$aws/rules/<rule>/secondrow/devices/<deviceId>`. A record succeeds when its PUBACK arrives. While
 * the connection is down mqtt.js keeps publishes in its offline queue and its unacknowledged QoS 1 messages
 * in its store, and sends both again once it has reconnected (every `reconnectPeriodMs`), so a message whose
 * PUBACK was lost arrives twice: at least once, never lost. Sequence numbers in the results are
 * `mqtt:<clientId>:<n>` (the Kinesis ones exist only after the rule).
 */
export class MqttRecordSink implements RecordSink {
  readonly #o: Required<MqttSinkOptions>;
  readonly #devices = new Map<string, Device>();
  readonly #stats: MqttTrafficStats = {
    messages: 0,
    payloadBytes: 0,
    topicBytes: 0,
    meteredUnits: 0,
    maxPayloadBytes: 0,
    acknowledged: 0,
    timedOut: 0,
    connects: 0,
    disconnects: 0,
    connectedMs: 0,
    lifetimeMs: 0,
  };
  #counter = 0;
  #closed = false;

  /** @throws {InvalidSimulatorOptionError} on a bad URL, period or timeout. */
  constructor(options: MqttSinkOptions) {
    if (!/^mqtts?:\/\/.+/.test(options.url)) {
      throw new InvalidSimulatorOptionError('url', `url must be mqtt:// or mqtts://, got ${options.url}`);
    }
    const period = options.reconnectPeriodMs ?? 100;
    if (!(Number.isFinite(period) && period > 0)) {
      throw new InvalidSimulatorOptionError(
        'reconnectPeriodMs',
        `reconnectPeriodMs must be > 0, got ${period}`,
      );
    }
    const timeout = options.pubackTimeoutMs ?? 60_000;
    if (!(Number.isFinite(timeout) && timeout > 0)) {
      throw new InvalidSimulatorOptionError('pubackTimeoutMs', `pubackTimeoutMs must be > 0, got ${timeout}`);
    }
    this.#o = {
      url: options.url,
      ruleName: options.ruleName ?? '',
      reconnectPeriodMs: period,
      pubackTimeoutMs: timeout,
    };
  }

  /** A snapshot of the traffic so far (connected time up to now for open connections). */
  stats(): MqttTrafficStats {
    const now = Date.now();
    const s = { ...this.#stats };
    for (const d of this.#devices.values()) {
      if (d.connectedSince !== undefined) s.connectedMs += now - d.connectedSince;
      s.lifetimeMs += now - d.firstConnectAt;
    }
    return s;
  }

  async putRecords(entries: readonly RecordEntry[]): Promise<RecordResult[]> {
    return Promise.all(entries.map((e) => this.#publish(e)));
  }

  /** Disconnects every device (after their in-flight messages are acknowledged). */
  async close(): Promise<void> {
    this.#closed = true;
    const now = Date.now();
    await Promise.all(
      [...this.#devices.values()].map(async (d) => {
        await d.client.endAsync();
        if (d.connectedSince !== undefined) this.#stats.connectedMs += now - d.connectedSince;
        d.connectedSince = undefined;
        this.#stats.lifetimeMs += now - d.firstConnectAt;
      }),
    );
    this.#devices.clear();
  }

  #device(deviceId: string): Device {
    let d = this.#devices.get(deviceId);
    if (d !== undefined) return d;
    const topic =
      this.#o.ruleName === '' ? iotDeviceTopic(deviceId) : iotDeviceTopic(deviceId, this.#o.ruleName);
    const client = connect(this.#o.url, {
      clientId: deviceId,
      clean: true,
      reconnectPeriod: this.#o.reconnectPeriodMs,
      connectTimeout: 10_000,
      keepalive: 30,
    });
    const device: Device = { client, topic, connectedSince: undefined, firstConnectAt: Date.now() };
    client.on('connect', () => {
      this.#stats.connects++;
      device.connectedSince = Date.now();
    });
    client.on('close', () => {
      if (device.connectedSince !== undefined) {
        this.#stats.connectedMs += Date.now() - device.connectedSince;
        device.connectedSince = undefined;
        if (!this.#closed) this.#stats.disconnects++;
      }
    });
    client.on('packetsend', (packet) => {
      if (packet.cmd !== 'publish') return;
      const bytes = packet.payload.length;
      const topicBytes = Buffer.byteLength(packet.topic);
      this.#stats.messages++;
      this.#stats.payloadBytes += bytes;
      this.#stats.topicBytes += topicBytes;
      this.#stats.meteredUnits += iotMeteredUnits(bytes, topicBytes);
      if (bytes > this.#stats.maxPayloadBytes) this.#stats.maxPayloadBytes = bytes;
    });
    // Errors surface as closes and reconnects; an unhandled 'error' event would end the process.
    client.on('error', () => {});
    d = device;
    this.#devices.set(deviceId, d);
    return d;
  }

  async #publish(entry: RecordEntry): Promise<RecordResult> {
    const device = this.#device(entry.partitionKey);
    const id = `mqtt:${entry.partitionKey}:${++this.#counter}`;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.#o.pubackTimeoutMs);
    });
    try {
      const outcome = await Promise.race([
        device.client
          .publishAsync(device.topic, Buffer.from(entry.data), { qos: 1 })
          .then(() => 'ack' as const),
        timeout,
      ]);
      if (outcome === 'timeout') {
        this.#stats.timedOut++;
        return { errorCode: 'PubackTimeout', errorMessage: `no PUBACK in ${this.#o.pubackTimeoutMs} ms` };
      }
      this.#stats.acknowledged++;
      return { sequenceNumber: id, shardId: '' };
    } catch (error) {
      return { errorCode: 'PublishFailed', errorMessage: (error as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }
}
