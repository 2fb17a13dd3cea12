import { type AttributeValue, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { createRowTable, type LocalAws, startLocalAws } from '@secondrow/local';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ColumnPage, SampleStore, type StoreError } from '../../src/dynamodb.js';
import { itemSize, readUnits, type Sample, SampleColumns, toItem } from '../../src/index.js';
import { packRows } from '../../src/pack.js';
import { collect, loadRecording } from '../helpers/store-fixtures.js';

const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 25);

let dynamo: LocalAws;
let tableName: string;
let store: SampleStore;
let deviceCounter = 0;
const newDevice = (): string => `columns-${++deviceCounter}`;

const recording = loadRecording('wearos_tug_s02_50hz.csv').slice(0, 2000); // about 40 one-second rows
const FIRST = recording[0]!.t;
const LAST = recording[recording.length - 1]!.t;

/** The samples of column pages, in page order, as objects (for comparison with `read`). */
function samplesOf(pages: readonly ColumnPage[]): Sample[] {
  const out: Sample[] = [];
  for (const { columns } of pages) {
    for (let i = 0; i < columns.length; i++) {
      out.push({ t: columns.t[i]!, x: columns.x[i]!, y: columns.y[i]!, z: columns.z[i]! });
    }
  }
  return out;
}

let device: string;

beforeAll(async () => {
  dynamo = await startLocalAws({ kinesis: false });
  tableName = await createRowTable(dynamo.dynamodb);
  store = new SampleStore({ client: dynamo.dynamodb, tableName });
  device = newDevice();
  const report = await store.write(device, recording);
  expect(report.failed).toEqual([]);
});

afterAll(async () => {
  await dynamo.close();
});

describe('SampleStore.readColumns() against dynalite', () => {
  it('yields exactly the samples read() yields, for any range and page size, reading ahead or not', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: FIRST - 1500, max: LAST + 1500 }),
        fc.integer({ min: -200, max: 45_000 }),
        fc.option(fc.integer({ min: 1, max: 7 }), { nil: undefined }),
        fc.boolean(),
        fc.boolean(),
        async (fromMs, span, pageSize, reuse, prefetch) => {
          const toMs = fromMs + span;
          const base = pageSize === undefined ? {} : { pageSize };
          const expected = await collect(store.read(device, fromMs, toMs, base));
          // Reading ahead must not change what the caller sees, even with reused columns.
          const options = { ...base, prefetch };

          // With reused columns each page must be consumed before the next: copy out as we go.
          const reused = new SampleColumns(0);
          const seen: Sample[] = [];
          let pages = 0;
          for await (const page of store.readColumns(
            device,
            fromMs,
            toMs,
            reuse ? { ...options, columns: reused } : options,
          )) {
            pages++;
            if (reuse) expect(page.columns).toBe(reused);
            seen.push(...samplesOf([page]));
            // Row entries partition the page's samples, in order.
            let next = 0;
            for (let r = 0; r < page.rows.length; r++) {
              expect(page.rows.first[r]).toBe(next);
              next += page.rows.count[r]!;
            }
            expect(next).toBe(page.columns.length);
          }

          expect(seen).toEqual(expected);
          if (pageSize !== undefined && expected.length > 0) {
            expect(pages).toBeGreaterThanOrEqual(
              Math.ceil(new Set(expected.map((s) => Math.floor(s.t / 1000))).size / pageSize),
            );
          }
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('pages through a long range in many small pages, in time order', async () => {
    const pages = await collect(store.readColumns(device, 0, 2 ** 52, { pageSize: 3 }));

    const rows = packRows(recording).length;
    expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(rows / 3));
    expect(pages.reduce((n, p) => n + p.rows.length, 0)).toBe(rows);
    const t = samplesOf(pages).map((s) => s.t);
    expect(t).toEqual([...t].sort((a, b) => a - b));
    expect(samplesOf(pages)).toEqual(await collect(store.read(device, 0, 2 ** 52)));
  });

  it('is eventually consistent by default: half the read units of a strong read, as DynamoDB reports them', async () => {
    const eventual = await collect(store.readColumns(device, 0, 2 ** 52));
    const strong = await collect(store.readColumns(device, 0, 2 ** 52, { consistentRead: true }));

    const bytes = eventual.reduce((n, p) => n + p.itemBytes, 0);
    const units = (pages: ColumnPage[]) => pages.reduce((n, p) => n + p.readUnits, 0);
    expect(eventual.every((p) => !p.readUnitsEstimated)).toBe(true);
    expect(units(eventual)).toBe(eventual.reduce((n, p) => n + readUnits(p.itemBytes, false), 0));
    expect(units(strong)).toBe(strong.reduce((n, p) => n + readUnits(p.itemBytes, true), 0));
    expect(units(strong)).toBe(2 * units(eventual));
    expect(bytes).toBe(strong.reduce((n, p) => n + p.itemBytes, 0));

    // The item sizes are DynamoDB's: the same sum as the items a plain Query returns.
    const { Items } = await dynamo.dynamodb.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'd = :d',
        ExpressionAttributeValues: { ':d': { S: device } },
      }),
    );
    expect(bytes).toBe(
      (Items ?? []).reduce((n, item) => n + itemSize(item as Parameters<typeof itemSize>[0]), 0),
    );
  });

  it('gives each row its audit times, as readRows() does', async () => {
    const pages = await collect(store.readColumns(device, FIRST, LAST + 1, { pageSize: 4 }));
    const rows = await collect(store.readRows(device, FIRST, LAST + 1));

    const starts = pages.flatMap((p) => [...p.rows.startMs.subarray(0, p.rows.length)]);
    const written = pages.flatMap((p) => [...p.rows.firstWrittenMs.subarray(0, p.rows.length)]);
    const merged = pages.flatMap((p) => [...p.rows.lastMergedMs.subarray(0, p.rows.length)]);
    expect(starts).toEqual(rows.map((r) => r.row.startMs));
    expect(written).toEqual(rows.map((r) => r.firstWrittenMs));
    expect(merged).toEqual(rows.map((r) => r.lastMergedMs));
    expect(pages.every((p) => p.rows.arrivalMs.subarray(0, p.rows.length).every(Number.isNaN))).toBe(true);
  });

  it('names a bad stored item in a StoreError, or skips it and keeps the rows next to it', async () => {
    const id = newDevice();
    const second = Math.ceil(FIRST / 1000) * 1000;
    const samples = recording.filter((s) => s.t >= second && s.t < second + 3000);
    await store.write(
      id,
      samples.filter((s) => s.t < second + 1000 || s.t >= second + 2000),
    );
    await dynamo.dynamodb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          d: { S: id },
          s: { N: String(second / 1000 + 1) },
          p: { B: new Uint8Array([0xc3, 0x01, 9]) },
        },
      }),
    );
    // And one whose sort key disagrees with its payload's window: decoded, then rejected whole.
    const [misplaced] = packRows(samples.filter((s) => s.t < second + 1000));
    await dynamo.dynamodb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          ...(toItem(id, misplaced!) as Record<string, AttributeValue>),
          s: { N: String(second / 1000 + 3) },
        },
      }),
    );

    const error = await collect(store.readColumns(id, second, second + 4000)).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'StoreError', code: 'INCOMPATIBLE_ITEM', retryable: false });
    expect((error as StoreError).message).toContain(String(second + 1000));

    const skipped: StoreError[] = [];
    const pages = await collect(
      store.readColumns(id, second, second + 4000, {
        onBadItem: 'skip',
        onSkip: (e) => skipped.push(e),
        pageSize: 2,
      }),
    );
    expect(skipped.map((e) => e.code)).toEqual(['INCOMPATIBLE_ITEM', 'INCOMPATIBLE_ITEM']);
    expect(samplesOf(pages)).toEqual(
      await collect(store.read(id, second, second + 4000, { onBadItem: 'skip' })),
    );
    expect(pages.flatMap((p) => [...p.rows.startMs.subarray(0, p.rows.length)])).toEqual([
      second,
      second + 2000,
    ]);
  });

  it('rejects invalid options when called, before any query', () => {
    expect(() => store.readColumns(device, 0, 1, { pageSize: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', option: 'pageSize' }),
    );
    expect(() => store.readColumns(device, 0, 1, { columns: {} as SampleColumns })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', option: 'columns' }),
    );
  });
});
