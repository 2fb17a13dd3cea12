import { LocalOptionError } from '../errors.js';

/** The only SQL version the local rules engine speaks (the one the stack's rule declares). */
export const IOT_SQL_VERSION = '2016-03-23';

/** Most bytes in one MQTT message's payload that AWS IoT Core accepts (128 KiB). */
export const IOT_MAX_PAYLOAD_BYTES = 128 * 1024;

/** First two levels of every Basic Ingest topic: `$aws/rules/<rule>/<topic>`. */
export const BASIC_INGEST_PREFIX = '$aws/rules/';

/** A topic rule with one Kinesis action, as the stack declares it. */
export interface TopicRuleDefinition {
  /** Rule name: letters, digits and `_` (AWS IoT's rule-name pattern), at most 128 characters. */
  ruleName: string;
  /** The rule's query, e.g. `SELECT * FROM 'secondrow/devices/+'`: only `SELECT *` with a quoted topic filter. */
  sql: string;
  /** SQL version; only `2016-03-23`. */
  sqlVersion: typeof IOT_SQL_VERSION;
  /** The Kinesis action: stream name and partition key template, e.g. `${topic(3)}`. */
  kinesis: { streamName: string; partitionKey: string };
}

/** A {@link TopicRuleDefinition} checked and parsed. */
export interface ParsedTopicRule {
  ruleName: string;
  /** The topic filter of the FROM clause. */
  topicFilter: string;
  streamName: string;
  partitionKey: string;
}

/** A Basic Ingest topic split: the rule it names and the topic the rule sees. */
export interface BasicIngestTopic {
  ruleName: string;
  /** The topic without `$aws/rules/<rule>/` (what the FROM filter and `topic(n)` see). */
  topic: string;
}

const RULE_NAME = /^[a-zA-Z0-9_]{1,128}$/;
const SELECT_STAR = /^\s*SELECT\s+\*\s+FROM\s+'([^']+)'\s*$/i;
const SUBSTITUTION = /\$\{([^}]*)\}/g;

/**
 * Checks and parses a topic rule for the local rules engine. It supports what the stack's rule uses and
 * nothing more: `SELECT * FROM '<filter>'` (the whole payload, byte for byte, as SQL 2016-03-23 passes a
 * binary payload through `SELECT *`), and `${topic()}` / `${topic(n)}` in the partition key.
 *
 * @throws {LocalOptionError} naming the field on a bad rule name, SQL version, query, topic filter or
 *   partition key template.
 */
export function parseTopicRule(rule: TopicRuleDefinition): ParsedTopicRule {
  if (!RULE_NAME.test(rule.ruleName)) {
    throw new LocalOptionError(
      `ruleName must match [a-zA-Z0-9_]{1,128}, got ${JSON.stringify(rule.ruleName)}`,
    );
  }
  if (rule.sqlVersion !== IOT_SQL_VERSION) {
    throw new LocalOptionError(
      `sqlVersion must be ${IOT_SQL_VERSION}, got ${JSON.stringify(rule.sqlVersion)}`,
    );
  }
  const match = SELECT_STAR.exec(rule.sql);
  if (match === null) {
    throw new LocalOptionError(
      `sql must be SELECT * FROM '<topic filter>' (no other clause is supported locally), got ${JSON.stringify(rule.sql)}`,
    );
  }
  const topicFilter = match[1] as string;
  checkTopicFilter(topicFilter);
  if (rule.kinesis.streamName.length === 0)
    throw new LocalOptionError('kinesis.streamName must not be empty');
  checkTemplate(rule.kinesis.partitionKey);
  return {
    ruleName: rule.ruleName,
    topicFilter,
    streamName: rule.kinesis.streamName,
    partitionKey: rule.kinesis.partitionKey,
  };
}

/**
 * Splits a Basic Ingest topic `$aws/rules/<rule>/<topic>`.
 *
 * @returns `undefined` when `topic` is not a Basic Ingest topic (or names no topic after the rule).
 */
export function parseBasicIngestTopic(topic: string): BasicIngestTopic | undefined {
  if (!topic.startsWith(BASIC_INGEST_PREFIX)) return undefined;
  const rest = topic.slice(BASIC_INGEST_PREFIX.length);
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1) return undefined;
  return { ruleName: rest.slice(0, slash), topic: rest.slice(slash + 1) };
}

/** The substitution template `${topic(n)}`, or `${topic()}` (the whole topic) without `n`. */
export function topicSubstitution(n?: number): string {
  return `$\{topic(${n ?? ''})}`;
}

/** The Basic Ingest topic that sends `topic` to rule `ruleName` only. */
export function basicIngestTopic(ruleName: string, topic: string): string {
  return `${BASIC_INGEST_PREFIX}${ruleName}/${topic}`;
}

/**
 * True when `topic` matches the MQTT topic filter `filter`: `+` matches one level, a final `#` the rest
 * (including nothing), other levels match exactly; wildcards never match a leading `$` level.
 */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  if (t[0]?.startsWith('$') === true && (f[0] === '+' || f[0] === '#')) return false;
  for (let i = 0; i < f.length; i++) {
    const level = f[i];
    if (level === '#') return true;
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
}

/**
 * Evaluates a substitution template such as `${topic(3)}` against the topic the rule saw: `topic()` is
 * the whole topic, `topic(n)` its n-th level counted from 1 (empty past the last level, as the rules
 * engine gives an undefined value).
 *
 * @throws {LocalOptionError} on a function other than `topic`.
 */
export function substituteTopic(template: string, topic: string): string {
  const levels = topic.split('/');
  return template.replace(SUBSTITUTION, (_, expression: string) => {
    const n = topicIndex(expression);
    return n === 0 ? topic : (levels[n - 1] ?? '');
  });
}

function checkTopicFilter(filter: string): void {
  const levels = filter.split('/');
  levels.forEach((level, i) => {
    const wildcard = level.includes('+') || level.includes('#');
    const ok = !wildcard || level === '+' || (level === '#' && i === levels.length - 1);
    if (!ok)
      throw new LocalOptionError(`topic filter ${JSON.stringify(filter)}: bad wildcard level ${level}`);
  });
  if (filter.startsWith('$')) {
    throw new LocalOptionError(
      `topic filter ${JSON.stringify(filter)}: rules cannot select reserved $ topics`,
    );
  }
}

function checkTemplate(template: string): void {
  if (template.length === 0) throw new LocalOptionError('kinesis.partitionKey must not be empty');
  for (const m of template.matchAll(SUBSTITUTION)) topicIndex(m[1] as string);
}

/** 0 for `topic()`, n for `topic(n)`. */
function topicIndex(expression: string): number {
  const m = /^\s*topic\(\s*(\d*)\s*\)\s*$/.exec(expression);
  if (m === null) {
    throw new LocalOptionError(
      `partition key: only \${topic()} and \${topic(n)} are supported, got \${${expression}}`,
    );
  }
  const digits = m[1] as string;
  if (digits === '') return 0;
  const n = Number(digits);
  if (n < 1) throw new LocalOptionError(`partition key: topic(n) counts levels from 1, got topic(${digits})`);
  return n;
}
