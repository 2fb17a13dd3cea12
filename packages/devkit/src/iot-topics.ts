/**
 * The MQTT topic layout of the IoT path, shared by the device simulator, the local rules engine and the
 * stack's topic rule: every device publishes its binary Avro batches to its own Basic Ingest topic
 * `$aws/rules/<rule>/secondrow/devices/<deviceId>`; the rule selects `secondrow/devices/+` and writes each
 * message to Kinesis with the topic's third level, the device id, as partition key.
 */
export const IOT_TOPICS = Object.freeze({
  /** Name of the topic rule (AWS IoT rule names: letters, digits and `_`). */
  ruleName: 'secondrow_ingest',
  /** Topic levels before the device id. */
  devicePrefix: 'secondrow/devices',
  /** The rule's FROM filter: one level per device. */
  topicFilter: 'secondrow/devices/+',
  /** Level of the device id in the topic the rule sees (without the Basic Ingest prefix), from 1. */
  deviceLevel: 3,
  /** SQL version of the rule. */
  sqlVersion: '2016-03-23',
});

/** The rule's query: the whole payload, unchanged (SQL 2016-03-23 passes a binary payload through `SELECT *`). */
export function iotRuleSql(topicFilter: string = IOT_TOPICS.topicFilter): string {
  return `SELECT * FROM '${topicFilter}'`;
}

/** The Kinesis action's partition key: the device id level of the topic, `${topic(3)}`. */
export function iotPartitionKey(level: number = IOT_TOPICS.deviceLevel): string {
  return `$\{topic(${level})}`;
}

/** The topic device `deviceId` publishes to: `$aws/rules/<rule>/secondrow/devices/<deviceId>`. */
export function iotDeviceTopic(deviceId: string, ruleName: string = IOT_TOPICS.ruleName): string {
  return `$aws/rules/${ruleName}/${IOT_TOPICS.devicePrefix}/${deviceId}`;
}
