import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium, requireChromium } from '@secondrow/devkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_DATA_PATH, loadRecordings } from '../../src/corpus.js';
import { selectLayouts } from '../../src/layouts/registry.js';
import { layoutColor, renderHtmlReport, STRATEGY_COLORS } from '../../src/report/html.js';
import type { BenchResult } from '../../src/results.js';
import { runBench } from '../../src/run.js';
import { selectStrategies } from '../../src/strategies.js';
import { type BrowserGlobals, type Graphic, pageOverflowPx } from '../helpers/page-layout.js';
import { SMALL_RUN } from '../helpers/small-run.js';

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

  it('fits a 1,400 px window: every table column reachable, the layout column in view', async () => {
    // Prepare
    const file = join(dir, 'report3.html');
    writeFileSync(file, renderHtmlReport(result));
    const context = await launchChromium({ viewport: { width: 1400, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(pathToFileURL(file).href);
      // Act
      const tables = await page.$$eval('table', (all) =>
        all.map((table) => {
          const box = (table.parentElement ?? table).getBoundingClientRect();
          const cells = [...table.querySelectorAll('thead th')].map((th) => th.getBoundingClientRect());
          return {
            className: table.className,
            boxRight: box.right,
            // Columns past the box's right edge can only be reached by scrolling the box itself.
            scrolls:
              (globalThis as unknown as BrowserGlobals).getComputedStyle(table.parentElement!).overflowX ===
              'auto',
            lastRight: cells.at(-1)?.right ?? 0,
          };
        }),
      );
      const pageOverflow = await page.evaluate(pageOverflowPx);
      // Assess
      expect(pageOverflow).toBeLessThanOrEqual(0);
      const layoutTables = tables.filter((t) => t.className.startsWith('layout-'));
      expect(layoutTables.map((t) => t.className)).toEqual(['layout-sizes', 'layout-money']);
      for (const t of tables) {
        expect(t.boxRight).toBeLessThanOrEqual(1400);
        if (t.lastRight > t.boxRight) expect(t.scrolls).toBe(true);
      }
      // The layout tables, cost and speed columns included, fit without scrolling.
      for (const t of layoutTables) expect(t.lastRight).toBeLessThanOrEqual(t.boxRight);
    } finally {
      await context.close();
    }
  });

  it('gives the throughput chart a legend of strategies in colours no layout uses, and prints counts as integers', async () => {
    // Prepare
    const file = join(dir, 'report4.html');
    writeFileSync(file, renderHtmlReport(result));
    const context = await launchChromium();
    try {
      const page = await context.newPage();
      await page.goto(pathToFileURL(file).href);
      // Act
      const legend = await page.$$eval('p.legend.strategies .key', (keys) =>
        keys.map((k) => ({
          text: k.textContent,
          color: (k.querySelector('.swatch') as unknown as { style: { background: string } }).style
            .background,
        })),
      );
      const fills = await page.$$eval('svg.chart', (svgs) =>
        [...svgs[2]!.querySelectorAll('rect.bar')].map((r) => r.getAttribute('fill')),
      );
      const itemCells = await page.$$eval('table.strategies tbody tr', (rows) =>
        rows.map((r) => r.querySelectorAll('td')[2]?.textContent ?? ''),
      );
      // Assess
      const strategies = [...new Set(result.strategies.map((s) => s.strategy))];
      expect(legend.map((k) => k.text)).toEqual(strategies);
      expect(legend).toHaveLength(strategies.length);
      const layoutColors = new Set(result.layouts.map((l) => layoutColor(l.layout)));
      for (const fill of fills) expect(layoutColors.has(fill!)).toBe(false);
      expect(fills).toEqual(result.strategies.map((s) => STRATEGY_COLORS[s.strategy]));
      for (const cell of itemCells) expect(cell).toMatch(/^\d{1,3}(,\d{3})*$/);
    } finally {
      await context.close();
    }
  });
});
