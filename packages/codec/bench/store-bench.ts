/**
 * Cost bench of the DynamoDB row store against an in-process dynalite, measured through
 * ReturnConsumedCapacity. Run from the repo root: `pnpm exec tsx packages/codec/bench/store-bench.ts`.
 *
 * dynalite and AWS differ in two ways that matter here, so both columns are printed:
 * - A failed conditional PutItem: AWS bills it (the existing item's size, at least 1 WCU) but returns no
 *   ConsumedCapacity with the error; dynalite charges nothing. The store adds its own estimate to
 *   `writeUnits` (`writeUnitsEstimated`), so "AWS wcu" = reported + estimated and "dynalite wcu" = reported.
 * - dynalite ignores ReturnValuesOnConditionCheckFailure, so after each failed check the store falls back to
 *   a consistent GetItem (1 RCU for a row under 4 KB) that AWS does not need: "AWS rcu" subtracts those.
 */
import { createRowTable, startLocalAws } from '@secondrow/local';
import { SampleStore, type WriteReport } from '../src/dynamodb.js';
import { packRows } from '../src/index.js';
import type { Sample } from '../src/types.js';
import { batches, loadRecording } from '../tests/helpers/store-fixtures.js';

const dynamo = await startLocalAws({ kinesis: false });
const tableName = await createRowTable(dynamo.dynamodb);
let deviceCounter = 0;
const newDevice = (name: string): string => `${name}-${++deviceCounter}`;

interface Cost {
  calls: number;
  dynaliteWcu: number;
  awsWcu: number;
  dynaliteRcu: number;
  awsRcu: number;
  failedChecks: number;
  successfulWrites: number;
}

function cost(reports: readonly WriteReport[]): Cost {
  const sum = (f: (r: WriteReport) => number): number => reports.reduce((n, r) => n + f(r), 0);
  const failed = sum((r) => r.failed.length);
  if (failed > 0) throw new Error(`${failed} rows failed`);
  return {
    calls: reports.length,
    dynaliteWcu: sum((r) => r.writeUnits - r.writeUnitsEstimated),
    awsWcu: sum((r) => r.writeUnits),
    dynaliteRcu: sum((r) => r.readUnits),
    awsRcu: sum((r) => r.readUnits - r.conditionalCheckFailures),
    failedChecks: sum((r) => r.conditionalCheckFailures),
    successfulWrites: sum((r) => r.rowsWritten + r.rowsMerged),
  };
}

async function writeAll(
  store: SampleStore,
  deviceId: string,
  calls: readonly Sample[][],
): Promise<WriteReport[]> {
  const reports: WriteReport[] = [];
  for (const call of calls) reports.push(await store.write(deviceId, call));
  return reports;
}

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(3));
const store = new SampleStore({ client: dynamo.dynamodb, tableName });
const optimisticOnly = new SampleStore({
  client: dynamo.dynamodb,
  tableName,
  readFirstWhenHeadMissing: false,
});

const s02 = loadRecording('wearos_tug_s02_50hz.csv');
const s09 = loadRecording('wearos_tug_s09_50hz.csv');
const secondStart = Math.ceil(s02[0]!.t / 1000) * 1000 + 1000;
const oneSecond = s02.filter((s) => s.t >= secondStart && s.t < secondStart + 1000);
const half = Math.floor(oneSecond.length / 2);

console.log('# SampleStore cost on dynalite (units per window unless stated)\n');
console.log(
  'case                                   | dynalite wcu | AWS wcu | dynalite rcu | AWS rcu | target',
);
console.log(
  '---------------------------------------|--------------|---------|--------------|---------|-------',
);
const line = (name: string, c: Cost, target: string): void =>
  console.log(
    `${name.padEnd(39)}| ${fmt(c.dynaliteWcu).padStart(12)} | ${fmt(c.awsWcu).padStart(7)} | ${fmt(c.dynaliteRcu).padStart(12)} | ${fmt(c.awsRcu).padStart(7)} | ${target}`,
  );

const whole = cost(await writeAll(store, newDevice('whole'), [oneSecond]));
line('new whole window', whole, '1 wcu, 0 rcu');

const inOrder = cost(
  await writeAll(store, newDevice('split'), [oneSecond.slice(0, half), oneSecond.slice(half)]),
);
line('split in 2 writes, in order', inOrder, '<= 1 + 2 units');
const reversed = cost(
  await writeAll(store, newDevice('split-rev'), [oneSecond.slice(half), oneSecond.slice(0, half)]),
);
line('split in 2 writes, tail first', reversed, '<= 1 + 2 units');
const inOrderOpt = cost(
  await writeAll(optimisticOnly, newDevice('split-opt'), [oneSecond.slice(0, half), oneSecond.slice(half)]),
);
line('split, in order, no read-first', inOrderOpt, '<= 1 + 2 units');

const replayDevice = newDevice('replay');
const replaySamples = s02.slice(0, 1000);
await store.write(replayDevice, replaySamples);
const replayReports = await writeAll(store, replayDevice, batches(replaySamples, 200));
const replay = cost(replayReports);
const replayRows = replayReports.reduce((n, r) => n + r.rowsUnchanged, 0);
console.log(
  `\nreplay of ${replaySamples.length} stored samples as 200-sample batches: ${replayRows} rows unchanged, ` +
    `${replay.successfulWrites} successful writes (target 0), ${replay.failedChecks} failed conditional checks, ` +
    `rcu dynalite ${fmt(replay.dynaliteRcu)} / AWS ${fmt(replay.awsRcu)}; ` +
    `per row: ${fmt((replay.failedChecks + replay.awsRcu) / replayRows)} failed-check-or-read on AWS (target <= 1), ` +
    `${fmt((replay.failedChecks + replay.dynaliteRcu) / replayRows)} on dynalite`,
);

console.log('\n# realistic stream: 200-sample batches at 50 Hz, not aligned to seconds\n');
console.log(
  'recording | batches/call | policy        | device-s | dynalite wcu/s | AWS wcu/s | AWS rcu/s | target wcu/s',
);
console.log(
  '----------|--------------|---------------|----------|----------------|-----------|-----------|-------------',
);
for (const [name, samples] of [
  ['s02', s02],
  ['s09', s09],
] as const) {
  const seconds = packRows(samples).length;
  for (const [perCall, target] of [
    [1, 1.3],
    [10, 1.05],
  ] as const) {
    for (const [policy, s] of [
      ['read-first', store],
      ['optimistic', optimisticOnly],
    ] as const) {
      const calls = batches(batches(samples, 200), perCall).map((group) => group.flat());
      const c = cost(await writeAll(s, newDevice(`${name}-${perCall}-${policy}`), calls));
      const aws = c.awsWcu / seconds;
      const verdict = aws <= target ? 'ok' : 'MISSED';
      console.log(
        `${name.padEnd(10)}| ${String(perCall).padStart(12)} | ${policy.padEnd(13)} | ${String(seconds).padStart(8)} | ${fmt(c.dynaliteWcu / seconds).padStart(14)} | ${fmt(aws).padStart(9)} | ${fmt(c.awsRcu / seconds).padStart(9)} | <= ${target} (AWS ${verdict})`,
      );
    }
  }
}

await dynamo.close();

// Permanently throttled rows: the local AWS's fault proxy throttles every PutItem and GetItem with DynamoDB's
// own error. With one retry layer (the store's; the SDK's retries are off per command) a row makes
// maxTransientRetries + 1 requests.
const throttled = await startLocalAws({
  kinesis: false,
  faults: { dynamodb: { faults: { throttle: 1, operations: ['PutItem', 'GetItem'] } } },
});
const throttledTable = await createRowTable(throttled.dynamodb);
const throttledRows = 10;
const throttledSamples = loadRecording('wearos_tug_s02_50hz.csv').slice(0, 50 * throttledRows + 50);
const startedAt = performance.now();
const throttledReport = await new SampleStore({
  client: throttled.dynamodb,
  tableName: throttledTable,
}).write('throttled', throttledSamples);
const seconds = (performance.now() - startedAt) / 1000;
const rows = throttledReport.failed.length;
const throttledRequests = throttled.proxies.dynamodb?.counts().byKind.throttle ?? 0;
console.log('\n# permanently throttled rows (default store settings, client at its default maxAttempts 4)\n');
console.log(
  `${rows} rows failed ${[...new Set(throttledReport.failed.map((f) => f.error.code))].join(', ')}: ` +
    `${(throttledReport.requests / rows).toFixed(1)} requests per throttled row (server saw ${(throttledRequests / rows).toFixed(1)}), ` +
    `${(throttledReport.retries / rows).toFixed(1)} retries per row, ${seconds.toFixed(1)} s in all (rows in parallel)`,
);
await throttled.close();
