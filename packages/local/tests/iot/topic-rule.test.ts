import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  basicIngestTopic,
  CLIENT_ID_VARIABLE,
  DevicePolicy,
  LocalOptionError,
  parseBasicIngestTopic,
  parseTopicRule,
  substituteTopic,
  topicMatches,
  topicSubstitution,
} from '../../src/index.js';

const level = fc.stringMatching(/^[a-zA-Z0-9:_-]{1,12}$/);
const topic = fc.array(level, { minLength: 1, maxLength: 6 }).map((l) => l.join('/'));
const ruleName = fc.stringMatching(/^[a-zA-Z0-9_]{1,20}$/);

describe('topic rules', () => {
  it('parses the stack rule and rejects what the local engine does not support', () => {
    const ok = {
      ruleName: 'secondrow_ingest',
      sql: "SELECT * FROM 'secondrow/devices/+'",
      sqlVersion: '2016-03-23' as const,
      kinesis: { streamName: 's', partitionKey: topicSubstitution(3) },
    };
    expect(parseTopicRule(ok)).toEqual({
      ruleName: 'secondrow_ingest',
      topicFilter: 'secondrow/devices/+',
      streamName: 's',
      partitionKey: topicSubstitution(3),
    });
    const bad = [
      { ...ok, ruleName: 'has-dash' },
      { ...ok, sqlVersion: '2015-10-08' as '2016-03-23' },
      { ...ok, sql: "SELECT x FROM 'a/+'" },
      { ...ok, sql: "SELECT * FROM 'a/+' WHERE x > 1" },
      { ...ok, sql: "SELECT * FROM 'a/#/b'" },
      { ...ok, sql: "SELECT * FROM '$aws/things/#'" },
      { ...ok, kinesis: { streamName: 's', partitionKey: `$\{clientid()}` } },
      { ...ok, kinesis: { streamName: 's', partitionKey: topicSubstitution(0) } },
      { ...ok, kinesis: { streamName: '', partitionKey: topicSubstitution(3) } },
    ];
    for (const rule of bad)
      expect(() => parseTopicRule(rule), JSON.stringify(rule)).toThrow(LocalOptionError);
  });

  it('law: a Basic Ingest topic splits back into its rule and topic', () => {
    fc.assert(
      fc.property(ruleName, topic, (rule, t) => {
        expect(parseBasicIngestTopic(basicIngestTopic(rule, t))).toEqual({ ruleName: rule, topic: t });
      }),
    );
    expect(parseBasicIngestTopic('secondrow/devices/a')).toBeUndefined();
    expect(parseBasicIngestTopic('$aws/rules/only')).toBeUndefined();
  });

  it('law: topic(n) is the n-th level, topic() the whole topic, and past the end nothing', () => {
    fc.assert(
      fc.property(
        fc.array(level, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 8 }),
        (levels, n) => {
          const t = levels.join('/');
          expect(substituteTopic(topicSubstitution(n), t)).toBe(levels[n - 1] ?? '');
          expect(substituteTopic(`k-${topicSubstitution()}`, t)).toBe(`k-${t}`);
        },
      ),
    );
  });

  it('law: a filter made from a topic by + and a final # matches it; a changed level does not', () => {
    fc.assert(
      fc.property(
        fc.array(level, { minLength: 1, maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        fc.integer({ min: 0, max: 6 }),
        (levels, plus, cut) => {
          const filter = levels.map((l, i) => (plus[i] ? '+' : l));
          const withHash = cut < filter.length ? [...filter.slice(0, cut), '#'] : filter;
          const t = levels.join('/');
          expect(topicMatches(filter.join('/'), t)).toBe(true);
          expect(topicMatches(withHash.join('/'), t)).toBe(true);
          expect(topicMatches(filter.join('/'), `${t}/extra`)).toBe(false);
          const i = levels.length - 1;
          if (!plus[i])
            expect(topicMatches(filter.join('/'), [...levels.slice(0, i), `${levels[i]}x`].join('/'))).toBe(
              false,
            );
        },
      ),
    );
    expect(topicMatches('#', '$aws/rules/r/x')).toBe(false);
    expect(topicMatches('+/rules/r/x', '$aws/rules/r/x')).toBe(false);
  });

  it('law: a device may publish to its own topic and to no other device topic', () => {
    const policy = new DevicePolicy(basicIngestTopic('r', `secondrow/devices/${CLIENT_ID_VARIABLE}`));
    fc.assert(
      fc.property(level, level, (a, b) => {
        expect(policy.canPublish(a, policy.topicFor(a))).toBe(true);
        expect(policy.canPublish(a, policy.topicFor(b))).toBe(a === b);
      }),
    );
    expect(policy.canConnect('a/b')).toBe(false);
    expect(() => new DevicePolicy('no/variable')).toThrow(LocalOptionError);
    const known = new DevicePolicy(`d/${CLIENT_ID_VARIABLE}`, ['x']);
    expect(known.canConnect('x')).toBe(true);
    expect(known.canConnect('y')).toBe(false);
  });
});
