import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium, requireChromium } from '@secondrow/devkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_DATA_PATH, loadRecordings } from '../../src/corpus.js';
import { LINE_ITEM_KEYS } from '../../src/pipeline-cost.js';
import { DEFAULT_PIPELINE_ASSUMPTIONS, type PipelineResult, runPipeline } from '../../src/pipeline-run.js';
import { DEFAULT_PIPELINE_PRICES } from '../../src/price-file.js';
import { LINE_ITEM_COLORS, renderPipelineHtml } from '../../src/report/pipeline-html.js';
import { renderPipelineText } from '../../src/report/pipeline-text.js';
import { type Graphic, pageOverflowPx } from '../helpers/page-layout.js';

describe('the --pipeline cost model on the bundled recording', () => {
  let dir = '';
  let result: PipelineResult;

  beforeAll(async () => {
    requireChromium();
    dir = mkdtempSync(join(tmpdir(), 'bench-pipeline-'));
    result = await runPipeline({
      corpus: loadRecordings(BUNDLED_DATA_PATH),
      usage: DEFAULT_PIPELINE_ASSUMPTIONS,
      prices: DEFAULT_PIPELINE_PRICES,
      minTimingMs: 0,
      storeSamples: 1500,
      maxMeasuredItems: 300,
      quiet: true,
    });
  }, 120_000);

  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('reproduces the default deployment by hand from the measured inputs and the price sheets', () => {
    // Prepare: the inputs the run measured for json-v1 records written as 1 s rows, and the price sheets.
    const m = result.inputs.find((i) => i.format === 'json-v1' && i.layout === 'per-second-avro')!;
    const { kinesis: k, lambda: l, dynamodb: d, sqs: q } = result.prices;
    const a = result.assumptions;
    const seconds = 24 * 3600 * (730 / 24); // 730 device-hours in the month
    const records = m.recordsPerDeviceSecond * seconds;
    // Shards: the larger of 1,000 records/s and 1 MiB/s per shard, for the whole fleet.
    const shards = Math.max(
      1,
      Math.ceil(
        Math.max(
          (a.fleet * m.recordsPerDeviceSecond) / 1000,
          (a.fleet * m.recordsPerDeviceSecond * m.meanRecordBytes) / (1024 * 1024),
        ),
      ),
    );
    const perShard = (a.fleet * m.recordsPerDeviceSecond) / shards;
    // The 1 s window fires before 500 records gather (perShard < 500), once per second per shard.
    expect(perShard).toBeLessThan(500);
    const invocations = (shards * seconds) / a.fleet;
    const rows = perShard * (m.itemWritesPerDeviceSecond / m.recordsPerDeviceSecond);
    const ms = Math.ceil(perShard * m.handlerCpuMsPerRecord + Math.ceil(rows / 16) * a.dynamodbRoundTripMs);
    const byHand =
      (shards * 730 * k.shardHourUsd) / a.fleet +
      (records * m.putPayloadUnitsPerRecord * k.putPayloadUnitsUsdPerMillion) / 1e6 +
      (shards * 730 * k.extendedRetentionShardHourUsd) / a.fleet +
      (invocations * l.requestsUsdPerMillion) / 1e6 +
      invocations * (ms / 1000) * (a.lambdaMemoryMb / 1024) * l.gbSecondUsd +
      (m.wruPerDeviceSecond * seconds * d.onDemandWriteUsdPerMillion) / 1e6 +
      ((m.rruPerDeviceHour * 730 + m.writePathRruPerDeviceSecond * seconds) * d.onDemandReadUsdPerMillion) /
        1e6 +
      ((m.storageBytesPerDeviceDay * a.retentionDays) / 1024 ** 3) * d.storageUsdPerGbMonth +
      (invocations * a.failedBatchFraction * 3 * q.standardRequestsUsdPerMillion) / 1e6;
    // Act
    const reported = result.defaultDeployment.totalUsdPerDeviceMonth;
    // Assess
    expect(reported).toBeCloseTo(byHand, 9);
    expect(result.defaultDeployment.quantities.shards).toBe(shards);
  });

  it('measures smaller records for Avro and gzip than for JSON, and the 2015 pipeline costing more', () => {
    // Prepare
    const bytes = Object.fromEntries(result.measured.records.map((r) => [r.format, r.meanRecordBytes]));
    // Assess
    expect(bytes.avro!).toBeLessThan(bytes['json-v1']!);
    expect(bytes['gzip-json-v1']!).toBeLessThan(bytes['json-v1']!);
    expect(bytes['json-2015']!).toBeGreaterThan(bytes['json-v1']!);
    expect(result.configurations).toHaveLength(40);
    expect(result.pipeline2015.totalUsdPerDeviceMonth).toBeGreaterThan(
      result.defaultDeployment.totalUsdPerDeviceMonth,
    );
    for (const h of result.measured.handler) expect(h.cpuMsPerRecord).toBeGreaterThan(0);
  });

  it('prints the default deployment, the 2015 pipeline and the cheapest configuration as text and JSON', () => {
    // Act
    const text = renderPipelineText(result);
    const json = JSON.parse(JSON.stringify(result)) as PipelineResult;
    // Assess
    expect(text).toContain('Default deployment (json-v1, 1 s rows, provisioned, direct)');
    expect(text).toContain('2015 pipeline (json-2015, item per sample, provisioned, direct)');
    expect(text).toMatch(/Cheapest for 1,000 devices: .+ saves/s);
    expect(json.cheapest.totalUsdPerDeviceMonth).toBe(result.cheapest.totalUsdPerDeviceMonth);
    expect(json.prices.kinesis.checked).toBe('2026-12-04');
  });

  it('draws one stacked bar per configuration with coloured line items and a legend, and the fleet sweep', async () => {
    // Prepare
    const file = join(dir, 'pipeline.html');
    writeFileSync(file, renderPipelineHtml(result));
    const context = await launchChromium({ viewport: { width: 1400, height: 900 } });
    try {
      const page = await context.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      // Act
      await page.goto(pathToFileURL(file).href);
      const charts = await page.$$eval('svg.stacked', (svgs) => svgs.length);
      const bars = await page.$$eval('svg.stacked g.stack', (groups) =>
        groups.map((g) =>
          [...g.querySelectorAll('rect.segment')].map((rect) => {
            const b = (rect as unknown as Graphic).getBBox();
            return { key: rect.getAttribute('data-key'), fill: rect.getAttribute('fill'), width: b.width };
          }),
        ),
      );
      const legendKeys = await page.$$eval('p.legend .key', (keys) =>
        keys.map((k) => k.getAttribute('data-key')),
      );
      const sweep = await page.$eval('svg.line', (svg) => ({
        series: [...svg.querySelectorAll('polyline.series')].map((p) => p.getAttribute('data-label')),
        points: svg.querySelectorAll('circle.point').length,
        legend: [...svg.querySelectorAll('text.legend')].map((t) => t.textContent),
        width: svg.getBoundingClientRect().width,
      }));
      const overflow = await page.evaluate(pageOverflowPx);
      const table = await page.$eval('table.configurations', (t) => ({
        boxRight: t.parentElement!.getBoundingClientRect().right,
        lastRight: [...t.querySelectorAll('thead th')].at(-1)!.getBoundingClientRect().right,
      }));
      // Assess: a bar per configuration (the 2015 ones on their own scale), each made of visible segments
      // coloured by line item.
      expect(charts).toBe(2);
      expect(bars).toHaveLength(result.configurations.length);
      for (const segments of bars) {
        expect(segments.length).toBeGreaterThan(0);
        for (const s of segments) {
          expect(s.width).toBeGreaterThan(0);
          expect(s.fill).toBe(LINE_ITEM_COLORS[s.key as keyof typeof LINE_ITEM_COLORS]);
        }
      }
      // Every line item drawn is in the legend.
      const drawn = new Set(bars.flat().map((s) => s.key));
      for (const key of drawn) expect(legendKeys).toContain(key);
      expect(legendKeys).toEqual([...LINE_ITEM_KEYS]);
      expect(sweep.series).toEqual(['provisioned', 'on-demand']);
      expect(sweep.legend).toEqual(['provisioned', 'on-demand']);
      expect(sweep.points).toBe(2 * result.sweep.fleets.length);
      expect(sweep.width).toBeGreaterThan(0);
      // Nothing runs off the side of a 1,400 px window, and nothing but the page is fetched.
      expect(overflow).toBeLessThanOrEqual(0);
      expect(table.lastRight).toBeLessThanOrEqual(table.boxRight);
      expect(requests).toEqual([pathToFileURL(file).href]);
    } finally {
      await context.close();
    }
  });
});
