/**
 * Read-path cost bench: one device-hour at 50 Hz stored in an in-process dynalite the way the consumer
 * stores it (4 s phone batches, so split seconds are merged; arrival and write times recorded), then read
 * raw with `readColumns`, eventually consistent and strongly consistent. Read units are those dynalite
 * reports (`ReturnConsumedCapacity: TOTAL`), checked against the item-size rules (`readUnits` over each
 * page's item bytes, which is how DynamoDB bills a Query page).
 *
 *   pnpm --filter @secondrow/codec bench:read
 */
import { loadavg } from 'node:os';
import { createRowTable, startLocalAws } from '@secondrow/local';
import { type ColumnPage, SampleStore } from '../src/dynamodb.js';
import {
  type Clock,
  itemSize,
  metadataAttributes,
  readUnits,
  type Sample,
  systemClock,
} from '../src/index.js';
import { batches, loadRecording } from '../tests/helpers/store-fixtures.js';

/** A short device id, as a phone-chosen watch id would be; the id is stored in every item. */
const DEVICE_ID = 'watch-42';
const HOUR_MS = 3_600_000;
const START = Date.UTC(2026, 0, 5, 9, 0, 0);
const BATCH = 200; // 4 s at 50 Hz, the phone's batch size

/**
 * One continuous hour of real 50 Hz wrist data from `START`: the recordings' samples in order, their own
 * (jittery) intervals kept but the pauses between test sessions closed up, repeated until the hour is full.
 */
function deviceHour(): Sample[] {
  const recorded = ['wearos_tug_s02_50hz.csv', 'wearos_tug_s09_50hz.csv']
    .map(loadRecording)
    .map((r) => [...r].sort((a, b) => a.t - b.t));
  const out: Sample[] = [];
  let t = START;
  for (;;) {
    for (const recording of recorded) {
      for (let i = 0; i < recording.length; i++) {
        const step = i === 0 ? 20 : recording[i]!.t - recording[i - 1]!.t;
        t += step > 0 && step <= 100 ? step : 20;
        if (t >= START + HOUR_MS) return out;
        out.push({ ...recording[i]!, t });
      }
    }
  }
}

const dynamo = await startLocalAws({ kinesis: false });
try {
  const tableName = await createRowTable(dynamo.dynamodb);
  // The store's clock reads "now" as the consumer would see it: about 2.5 s after a batch's last sample.
  let now = START;
  const clock: Clock = { now: () => now, sleep: systemClock.sleep };
  const store = new SampleStore({ client: dynamo.dynamodb, tableName, clock, ttlSeconds: 90 * 86_400 });
  const samples = deviceHour();
  for (const batch of batches(samples, BATCH)) {
    const lastT = batch[batch.length - 1]!.t;
    now = lastT + 2_500;
    const report = await store.write(DEVICE_ID, batch, { arrivalMs: lastT + 1_200 });
    if (report.failed.length > 0) throw new Error(`${report.failed.length} rows failed`);
  }

  const measure = async (consistentRead: boolean) => {
    const started = performance.now();
    const pages: ColumnPage[] = [];
    for await (const page of store.readColumns(DEVICE_ID, START, START + HOUR_MS, { consistentRead }))
      pages.push(page);
    const ms = performance.now() - started;
    const sum = (f: (p: ColumnPage) => number) => pages.reduce((n, p) => n + f(p), 0);
    const lateness = pages.flatMap((p) =>
      Array.from({ length: p.rows.length }, (_, r) => p.rows.arrivalMs[r]! - p.rows.startMs[r]!),
    );
    // Bytes the audit attributes c, m, a add to the items (rebuilt from the times the pages carry).
    let auditBytes = 0;
    for (const { rows } of pages) {
      for (let r = 0; r < rows.length; r++) {
        auditBytes += itemSize(
          metadataAttributes(rows.startMs[r]!, {
            firstWrittenMs: rows.firstWrittenMs[r]!,
            lastMergedMs: rows.lastMergedMs[r]!,
            arrivalMs: rows.arrivalMs[r]!,
          }),
        );
      }
    }
    return {
      auditBytes,
      pages: pages.length,
      rows: sum((p) => p.rows.length),
      samples: sum((p) => p.columns.length),
      itemBytes: sum((p) => p.itemBytes),
      reported: sum((p) => (p.readUnitsEstimated ? Number.NaN : p.readUnits)),
      rule: sum((p) => readUnits(p.itemBytes, consistentRead)),
      medianLatenessMs: lateness.sort((a, b) => a - b)[lateness.length >> 1],
      ms,
    };
  };
  const eventual = await measure(false);
  const strong = await measure(true);

  console.log(
    `secondrow read bench: one device-hour at 50 Hz (${samples.length} samples, device id ${DEVICE_ID.length} chars, TTL and audit times set); node ${process.version}`,
  );
  console.log(
    `${eventual.rows} rows, ${eventual.itemBytes} item bytes (${(eventual.itemBytes / eventual.rows).toFixed(1)} B/row), ${eventual.pages} Query page(s), ${eventual.samples} samples read`,
  );
  const line = (name: string, m: typeof eventual, target: number) =>
    console.log(
      `${name.padEnd(22)} ${String(m.reported).padStart(6)} RCU reported  ${String(m.rule).padStart(6)} RCU by readUnits()  target <= ${target}  ${m.reported <= target ? 'ok' : 'MISSED'}  (${m.ms.toFixed(0)} ms)`,
    );
  console.log(
    `of which audit times (c, m, a): ${(eventual.auditBytes / eventual.rows).toFixed(1)} B/row; without them: ${readUnits(eventual.itemBytes - eventual.auditBytes, false)} / ${readUnits(eventual.itemBytes - eventual.auditBytes, true)} RCU`,
  );
  line('eventually consistent', eventual, 115);
  line('strongly consistent', strong, 230);
  console.log(
    `median lateness of a row's first arrival after its window start: ${eventual.medianLatenessMs} ms`,
  );
  console.log(
    `load average (1, 5, 15 min): ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
} finally {
  await dynamo.close();
}
