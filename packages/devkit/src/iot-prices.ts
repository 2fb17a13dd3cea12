import { UsageError } from './errors.js';

/**
 * AWS IoT Core prices and metering for dollar estimates of the MQTT path (device → IoT Core → topic rule →
 * Kinesis), in USD for one region. Prices change: every figure built on them should say which
 * {@link IotCorePrices.checked} date it used, and let users pass their own.
 */
export interface IotCorePrices {
  /** Region the prices apply to. */
  region: string;
  /** When the prices were last checked against AWS (ISO date). */
  checked: string;
  /** Where they were checked. */
  source: string;
  /** Connectivity: USD per million connection-minutes (metered in whole minutes). */
  connectivityUsdPerMillionMinutes: number;
  /** Messaging: USD per million metered messages (first billion a month); not charged through Basic Ingest. */
  messagingUsdPerMillion: number;
  /** Rules engine: USD per million rules triggered. */
  rulesTriggeredUsdPerMillion: number;
  /** Rules engine: USD per million actions applied. */
  actionsAppliedUsdPerMillion: number;
  /** Metering increment of messages, rules and actions, bytes (a 5 KB message is one unit, 5 KB + 1 B two). */
  meteringUnitBytes: number;
}

/**
 * IoT Core list prices in us-east-1, checked 2026-12-04: connectivity $0.08 per million minutes, messaging
 * $1.00 per million messages (up to a billion a month), rules $0.15 per million triggered and $0.15 per
 * million actions applied; messages, rules and actions metered in 5 KB increments.
 */
export const IOT_CORE_PRICES: Readonly<IotCorePrices> = Object.freeze({
  region: 'us-east-1',
  checked: '2026-12-04',
  source:
    'aws.amazon.com/iot-core/pricing and /iot-core/pricing/additional-details (5 KB metering of PUBLISH payload + topic; ' +
    'Basic Ingest topics $aws/rules/<rule>/... carry no messaging charge)',
  connectivityUsdPerMillionMinutes: 0.08,
  messagingUsdPerMillion: 1.0,
  rulesTriggeredUsdPerMillion: 0.15,
  actionsAppliedUsdPerMillion: 0.15,
  meteringUnitBytes: 5 * 1024,
});

/**
 * Metered units of one MQTT PUBLISH received from a device: its payload and topic bytes in
 * {@link IotCorePrices.meteringUnitBytes} increments, at least one.
 * @throws UsageError when a size is negative or not a finite number.
 */
export function iotMeteredUnits(
  payloadBytes: number,
  topicBytes: number,
  prices: Pick<IotCorePrices, 'meteringUnitBytes'> = IOT_CORE_PRICES,
): number {
  for (const [name, value] of [
    ['payloadBytes', payloadBytes],
    ['topicBytes', topicBytes],
  ] as const) {
    if (!Number.isFinite(value) || value < 0)
      throw new UsageError(name, value, 'must be a non-negative number of bytes');
  }
  return Math.max(1, Math.ceil((payloadBytes + topicBytes) / prices.meteringUnitBytes));
}

/** How one device uses IoT Core in a month. */
export interface IotUsage {
  /** PUBLISH messages the device sends in the month. */
  messagesPerMonth: number;
  /** Mean payload bytes per message. */
  payloadBytes: number;
  /** Topic bytes per message (for Basic Ingest, the whole `$aws/rules/<rule>/...` topic the device uses). */
  topicBytes: number;
  /** Minutes the device stays connected in the month. */
  connectedMinutesPerMonth: number;
  /** Whether the device publishes to a Basic Ingest topic (no messaging charge). */
  basicIngest: boolean;
  /** Rule actions each message triggers (1: the Kinesis action; the error action only runs on failure). */
  actionsPerMessage: number;
}

/** IoT Core line items of one device-month, USD. */
export interface IotMonthlyCost {
  connectivity: number;
  messaging: number;
  rulesTriggered: number;
  actionsApplied: number;
  total: number;
}

/**
 * IoT Core dollars for one device-month of `usage` at `prices` (free tier ignored). Messages, rules and
 * actions are metered per {@link iotMeteredUnits} of each message; Basic Ingest removes the messaging line.
 * @throws UsageError when a size or count is negative or not a finite number.
 */
export function iotMonthlyCost(usage: IotUsage, prices: IotCorePrices = IOT_CORE_PRICES): IotMonthlyCost {
  for (const name of ['messagesPerMonth', 'connectedMinutesPerMonth', 'actionsPerMessage'] as const) {
    const value = usage[name];
    if (!Number.isFinite(value) || value < 0)
      throw new UsageError(name, value, 'must be a non-negative number');
  }
  const units = usage.messagesPerMonth * iotMeteredUnits(usage.payloadBytes, usage.topicBytes, prices);
  const connectivity = (usage.connectedMinutesPerMonth * prices.connectivityUsdPerMillionMinutes) / 1e6;
  const messaging = usage.basicIngest ? 0 : (units * prices.messagingUsdPerMillion) / 1e6;
  const rulesTriggered = (units * prices.rulesTriggeredUsdPerMillion) / 1e6;
  const actionsApplied = (units * usage.actionsPerMessage * prices.actionsAppliedUsdPerMillion) / 1e6;
  return {
    connectivity,
    messaging,
    rulesTriggered,
    actionsApplied,
    total: connectivity + messaging + rulesTriggered + actionsApplied,
  };
}
