import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium, requireChromium } from '@secondrow/devkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_DATA_PATH, loadRecordings } from '../../src/corpus.js';
import { selectLayouts } from '../../src/layouts/registry.js';
import { renderHtmlReport } from '../../src/report/html.js';
import type { BenchResult } from '../../src/results.js';
import { runBench } from '../../src/run.js';
import { selectStrategies } from '../../src/strategies.js';
import { SMALL_RUN } from '../helpers/small-run.js';

/** The part of SVGGraphicsElement the test reads (the tests are type-checked without the DOM lib). */
interface Graphic {
  getBBox(): { width: number; height: number };
}

describe('renderHtmlReport() in headless Chromium', () => {
  let dir = '';
  let result: BenchResult;

  beforeAll(async () => {
    requireChromium();
    dir = mkdtempSync(join(tmpdir(), 'bench-html-'));
    result = await runBench({
      ...SMALL_RUN,
      corpus: loadRecordings(BUNDLED_DATA_PATH),
      layouts: selectLayouts(['per-sample', 'per-second-native', 'per-second-avro', 'window-avro-10']),
      strategies: selectStrategies(['put-concurrent-8', 'sample-store']),
    });
  });

  afterAll(() => {
    // Nothing to remove when beforeAll stopped early (no Chromium): its message must stay the only one.
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('draws three charts with one visible bar per layout or strategy run', async () => {
    // Prepare
    const file = join(dir, 'report.html');
    writeFileSync(file, renderHtmlReport(result));
    const context = await launchChromium();
    try {
      const page = await context.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      // Act
      await page.goto(pathToFileURL(file).href);
      const charts = await page.$$eval('svg.chart', (svgs) =>
        svgs.map((svg) => {
          const box = svg.getBoundingClientRect();
          const bars = [...svg.querySelectorAll('rect.bar')].map((rect) => {
            const b = (rect as unknown as Graphic).getBBox();
            return { width: b.width, height: b.height };
          });
          return { label: svg.getAttribute('aria-label'), width: box.width, height: box.height, bars };
        }),
      );
      const headings = await page.$$eval('h2', (hs) => hs.map((h) => h.textContent ?? ''));
      // Assess
      expect(charts).toHaveLength(3);
      const [wru, usd, throughput] = charts;
      expect(wru!.bars).toHaveLength(result.layouts.length);
      expect(usd!.bars).toHaveLength(result.layouts.length);
      expect(throughput!.bars).toHaveLength(result.strategies.length);
      for (const chart of charts) {
        expect(chart.width).toBeGreaterThan(0);
        expect(chart.height).toBeGreaterThan(0);
        for (const bar of chart.bars) {
          expect(bar.width).toBeGreaterThan(0);
          expect(bar.height).toBeGreaterThan(0);
        }
      }
      expect(headings.join(' | ')).toContain('Write cost: write units per device-second');
      // Self-contained: nothing but the page itself is fetched.
      expect(requests).toEqual([pathToFileURL(file).href]);
    } finally {
      await context.close();
    }
  });

  it('makes the per-sample bar longer than the per-second-avro bar in the write-unit chart', async () => {
    // Prepare
    const file = join(dir, 'report2.html');
    writeFileSync(file, renderHtmlReport(result));
    const context = await launchChromium();
    try {
      const page = await context.newPage();
      await page.goto(pathToFileURL(file).href);
      // Act
      const widths = await page.$eval('svg.chart', (svg) =>
        [...svg.querySelectorAll('rect.bar')].map((r) => (r as unknown as Graphic).getBBox().width),
      );
      // Assess: layouts are in report order, per-sample first, per-second-avro third.
      expect(widths[0]!).toBeGreaterThan(widths[2]!);
    } finally {
      await context.close();
    }
  });
});
