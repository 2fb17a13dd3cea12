import { createServer, type Server } from 'node:net';
import { Aedes, type Client } from 'aedes';
import { LocalOptionError } from '../errors.js';
import type { RandomSource } from '../fault-injection/random.js';
import type { DevicePolicy } from './iot-policy.js';
import type { IotRuleRunner } from './rule-runner.js';
import { BASIC_INGEST_PREFIX } from './topic-rule.js';

/** Faults of the local broker, to prove the devices' QoS 1 and reconnects. */
export interface IotBrokerFaults {
  /**
   * Probability per accepted QoS 1 message that the connection drops after the rule took the message and
   * before the PUBACK was sent, so the device sends it again (a QoS 1 redelivery). Default 0.
   */
  lostPuback?: number;
  /** Draws the faults. Default `Math.random`. */
  random?: RandomSource;
}

/** Options of {@link startIotBroker}. */
export interface IotBrokerOptions {
  /** The rules every message is handed to (Basic Ingest messages reach only the rule they name). */
  rules: readonly IotRuleRunner[];
  /** Who may connect and publish where. Default: anyone, anywhere (no policy). */
  policy?: DevicePolicy;
  /** Loopback port, 0..65535; 0 picks a free one. Default 0. */
  port?: number;
  faults?: IotBrokerFaults;
}

/** Counters of a {@link IotBroker}. */
export interface IotBrokerStats {
  /** Connections accepted. */
  connections: number;
  /** Connections refused by the policy. */
  refusedConnects: number;
  /** Publishes refused by the policy (the connection is closed, as AWS IoT does). */
  refusedPublishes: number;
  /** Messages refused for exceeding 128 KiB (the connection is closed). */
  tooLarge: number;
  /** Messages handed to a rule. */
  toRules: number;
  /** Connections dropped by {@link IotBroker.dropConnection} or `dropRandomConnection`. */
  dropped: number;
  /** Connections dropped before a PUBACK (the `lostPuback` fault). */
  lostPubacks: number;
}

/** A running local MQTT broker. */
export interface IotBroker {
  /** `mqtt://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Client ids connected now. */
  connectedClients(): string[];
  /** Drops one client's connection (it reconnects by itself). @returns false when it is not connected. */
  dropConnection(clientId: string): boolean;
  /** Drops a connected client chosen at random. @returns its id, or undefined when none is connected. */
  dropRandomConnection(random?: RandomSource): string | undefined;
  stats(): IotBrokerStats;
  /** Closes every connection and the listener. */
  close(): Promise<void>;
}

/**
 * Starts an MQTT broker (aedes) on 127.0.0.1 in front of local topic rules: the local AWS IoT Core. As
 * there, a Basic Ingest topic (`$aws/rules/<rule>/…`) reaches only its rule, never a subscriber (no one
 * may subscribe to one); messages over 128 KiB and publishes the policy forbids close the connection.
 * QoS 1 messages are acknowledged once the rule has them.
 *
 * @throws {LocalOptionError} on a port out of range or a fault rate outside [0, 1].
 */
export async function startIotBroker(options: IotBrokerOptions): Promise<IotBroker> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new LocalOptionError(`port must be an integer in 0..65535, got ${port}`);
  }
  const lostPuback = options.faults?.lostPuback ?? 0;
  if (!(lostPuback >= 0 && lostPuback <= 1)) {
    throw new LocalOptionError(`faults.lostPuback must be in [0, 1], got ${lostPuback}`);
  }
  const random = options.faults?.random ?? Math.random;
  const policy = options.policy;
  const stats: IotBrokerStats = {
    connections: 0,
    refusedConnects: 0,
    refusedPublishes: 0,
    tooLarge: 0,
    toRules: 0,
    dropped: 0,
    lostPubacks: 0,
  };
  const clients = new Map<string, Client>();
  const broker = await Aedes.createBroker({
    authenticate(client, _username, _password, done) {
      if (policy !== undefined && !policy.canConnect(client.id)) {
        stats.refusedConnects++;
        const error = Object.assign(new Error(`client id ${client.id} may not connect`), { returnCode: 5 });
        done(error, false);
        return;
      }
      done(null, true);
    },
    authorizeSubscribe(_client, subscription, done) {
      if (subscription.topic.startsWith(BASIC_INGEST_PREFIX)) {
        // Refused with a SUBACK failure code (0x80), the connection stays up.
        done(null, null);
        return;
      }
      done(null, subscription);
    },
    authorizePublish(client, packet, done) {
      if (client === null) {
        done(null);
        return;
      }
      if (policy !== undefined && !policy.canPublish(client.id, packet.topic)) {
        stats.refusedPublishes++;
        done(new Error(`${client.id} may not publish to ${packet.topic}`));
        return;
      }
      const payload = packet.payload;
      const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
      let took = false;
      for (const rule of options.rules) {
        // Copied: the rule keeps the bytes after the packet's buffer is reused.
        const verdict = rule.accept({
          topic: packet.topic,
          clientId: client.id,
          payload: new Uint8Array(bytes),
        });
        if (verdict === 'too-large') {
          stats.tooLarge++;
          done(new Error(`payload of ${bytes.byteLength} bytes exceeds 128 KiB`));
          return;
        }
        if (verdict === 'accepted') took = true;
      }
      if (took) stats.toRules++;
      if (took && packet.qos === 1 && lostPuback > 0 && random() < lostPuback) {
        stats.lostPubacks++;
        client.conn.destroy();
        done(new Error('connection dropped before PUBACK (injected)'));
        return;
      }
      done(null);
    },
  });
  broker.on('client', (client) => {
    stats.connections++;
    clients.set(client.id, client);
  });
  broker.on('clientDisconnect', (client) => {
    if (clients.get(client.id) === client) clients.delete(client.id);
  });
  const server: Server = createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  const drop = (clientId: string): boolean => {
    const client = clients.get(clientId);
    if (client === undefined) return false;
    clients.delete(clientId);
    stats.dropped++;
    client.conn.destroy();
    return true;
  };
  return {
    url: `mqtt://127.0.0.1:${bound}`,
    port: bound,
    connectedClients: () => [...clients.keys()],
    dropConnection: drop,
    dropRandomConnection(r = random) {
      const ids = [...clients.keys()];
      if (ids.length === 0) return undefined;
      const id = ids[Math.floor(r() * ids.length)] as string;
      drop(id);
      return id;
    },
    stats: () => ({ ...stats }),
    async close() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
