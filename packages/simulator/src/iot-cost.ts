import { HOURS_PER_MONTH, IOT_CORE_PRICES, type IotMonthlyCost, iotMonthlyCost } from '@secondrow/devkit';
import type { MqttPassReport } from './mqtt-path.js';

/** The IoT Core line items of the MQTT path, per device-month, from what a demo pass measured. */
export interface IotCostReport {
  /** The price sheet used. */
  prices: { region: string; checked: string };
  /** What the pass measured (simulated device-seconds for rates; wall clock for connection time). */
  measured: {
    /** PUBLISH packets the devices sent (QoS 1 resends included). */
    messages: number;
    /** 5 KB metering units of those packets. */
    meteredUnits: number;
    meanPayloadBytes: number;
    meanTopicBytes: number;
    maxPayloadBytes: number;
    /** Rules triggered (messages the rule matched, redrives included). */
    rulesTriggered: number;
    /** Kinesis records the rule's action wrote. */
    actionsApplied: number;
    /** Share of the run the devices were connected (connected time / time since each first connect). */
    connectedShare: number;
  };
  /** Per device-month (730 hours) at the measured rates. */
  perDeviceMonth: {
    messages: number;
    meteredUnitsPerMessage: number;
    /** Minutes connected: the whole month. */
    connectionMinutes: number;
    /** Through Basic Ingest (the stack's rule): no messaging line. */
    basicIngest: IotMonthlyCost;
    /** The same messages on an ordinary topic through the broker. */
    withoutBasicIngest: IotMonthlyCost;
  };
  /** Messaging alone at one message a second, one unit each, for a device-month without Basic Ingest, USD. */
  messagingAtOnePerSecond: number;
}

/**
 * IoT Core dollars per device-month of the MQTT path from a pass's measured traffic, at the dated
 * `IOT_CORE_PRICES`: messages and their metering units per simulated device-second scaled to 730 hours,
 * the connection minutes of a device that stays connected all month (43,800), one
 * rule and one action (the Kinesis one) per message. The direct Kinesis path pays none of these lines;
 * both pay the same stream and table.
 */
export function iotCostReport(mqtt: MqttPassReport, deviceSeconds: number): IotCostReport {
  const t = mqtt.traffic;
  const messages = Math.max(1, t.messages);
  const secondsPerMonth = HOURS_PER_MONTH * 3600;
  const messagesPerMonth = (t.messages / deviceSeconds) * secondsPerMonth;
  const connectedShare = t.lifetimeMs > 0 ? Math.min(1, t.connectedMs / t.lifetimeMs) : 0;
  const usage = {
    messagesPerMonth,
    payloadBytes: t.payloadBytes / messages,
    topicBytes: t.topicBytes / messages,
    // Devices keep their connection all month; the demo runs simulated time faster than the wall clock, so
    // its connected time does not scale to a month (its share is reported beside, as measured).
    connectedMinutesPerMonth: HOURS_PER_MONTH * 60,
    actionsPerMessage: 1,
  };
  return {
    prices: { region: IOT_CORE_PRICES.region, checked: IOT_CORE_PRICES.checked },
    measured: {
      messages: t.messages,
      meteredUnits: t.meteredUnits,
      meanPayloadBytes: usage.payloadBytes,
      meanTopicBytes: usage.topicBytes,
      maxPayloadBytes: t.maxPayloadBytes,
      rulesTriggered: mqtt.rule.matched,
      actionsApplied: mqtt.rule.delivered,
      connectedShare,
    },
    perDeviceMonth: {
      messages: messagesPerMonth,
      meteredUnitsPerMessage: t.meteredUnits / messages,
      connectionMinutes: usage.connectedMinutesPerMonth,
      basicIngest: iotMonthlyCost({ ...usage, basicIngest: true }),
      withoutBasicIngest: iotMonthlyCost({ ...usage, basicIngest: false }),
    },
    messagingAtOnePerSecond: iotMonthlyCost({
      messagesPerMonth: secondsPerMonth,
      payloadBytes: 0,
      topicBytes: 0,
      connectedMinutesPerMonth: 0,
      basicIngest: false,
      actionsPerMessage: 0,
    }).messaging,
  };
}
