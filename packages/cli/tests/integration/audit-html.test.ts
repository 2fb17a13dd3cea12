import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium, requireChromium } from '@secondrow/devkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceAudit, FleetAudit } from '../../src/audit.js';
import { runCli } from '../../src/run-cli.js';
import { keptDataset, series, T0, testIo } from '../helpers/dataset.js';

const TABLE = 'audit-html-test';

/** The number a cell shows: `2,740` → 2740, `91.33 %` → 91.33. */
function shown(text: string): number {
  return Number(text.replace(/[,%\s]/g, ''));
}

describe('secondrow audit --html in headless Chromium', () => {
  let dir = '';
  let dataDir = '';

  beforeAll(async () => {
    requireChromium();
    dir = mkdtempSync(join(tmpdir(), 'cli-html-'));
    dataDir = await keptDataset(TABLE, [
      {
        deviceId: 'watch-a',
        samples: series(30, [[5_000, 9_000]]),
        nowMs: T0 + 40_000,
        arrivalMs: T0 + 35_000,
      },
      { deviceId: 'watch-b', samples: series(30), nowMs: T0 + 31_000 },
      { deviceId: 'watch-c', samples: series(30, [[0, 15_000]]), nowMs: T0 + 33_000, arrivalMs: T0 + 32_000 },
    ]);
  });

  afterAll(() => {
    // Nothing to remove when beforeAll stopped early (no Chromium): its message must stay the only one.
    for (const path of [dir, dataDir]) if (path !== '') rmSync(path, { recursive: true, force: true });
  });

  it('renders without errors or requests, and shows the numbers of the JSON', async () => {
    // Prepare
    const file = join(dir, 'audit.html');
    const io = testIo();
    const code = await runCli(
      [
        'audit',
        '--local',
        dataDir,
        '--table',
        TABLE,
        '--from',
        String(T0),
        '--to',
        String(T0 + 30_000),
        '--json',
        '--html',
        file,
        '--quiet',
      ],
      io,
    );
    expect(code).toBe(0);
    const audit = JSON.parse(io.stdout.text) as FleetAudit;
    const context = await launchChromium();
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (r) => requests.push(r.url()));
      // Act
      await page.goto(pathToFileURL(file).href);
      const rows = await page.$$eval('tbody tr', (trs) =>
        trs.map((tr) => ({
          device: tr.getAttribute('data-device'),
          cells: Object.fromEntries(
            [...tr.querySelectorAll('td')].map((td) => [td.getAttribute('data-key'), td.textContent ?? '']),
          ),
        })),
      );
      const charts = await page.$$eval('svg.chart', (svgs) =>
        svgs.map((svg) => {
          const box = svg.getBoundingClientRect();
          return { label: svg.getAttribute('aria-label'), width: box.width, height: box.height };
        }),
      );
      const bars = await page.$$eval('svg[aria-label="coverage per device"] rect.bar', (rects) =>
        rects.map((r) => ({ device: r.getAttribute('data-device'), width: r.getBoundingClientRect().width })),
      );
      // Assert
      expect(errors).toEqual([]);
      expect(requests).toEqual([pathToFileURL(file).href]);
      const expected: DeviceAudit[] = [...audit.devices, audit.total];
      expect(rows.map((r) => r.device)).toEqual(expected.map((a) => a.deviceId));
      for (const [i, a] of expected.entries()) {
        const cells = rows[i]?.cells ?? {};
        expect(shown(cells.samples ?? '')).toBe(a.samples);
        expect(Math.abs(shown(cells.coverage ?? '') - a.coverage * 100)).toBeLessThanOrEqual(0.005);
        expect(shown(cells['gaps.count'] ?? '')).toBe(a.gaps.count);
        expect(shown(cells.rows ?? '')).toBe(a.rows);
        expect(shown(cells.itemBytes ?? '')).toBe(a.itemBytes);
        expect(shown(cells.writeUnits ?? '')).toBe(a.writeUnits);
        expect(shown(cells.lateRows ?? '')).toBe(a.lateRows);
      }
      expect(audit.devices.map((a) => a.coverage)).toEqual([1_300 / 1_500, 1, 750 / 1_500]);
      expect(charts.map((c) => c.label)).toEqual([
        'coverage per device',
        'coverage over time',
        'lateness per device',
      ]);
      for (const chart of charts) expect(chart.width * chart.height).toBeGreaterThan(0);
      // Bar lengths follow coverage: b (100 %) is the longest, c (50 %) half of it.
      const width = Object.fromEntries(bars.map((b) => [b.device, b.width]));
      expect(width['watch-c']).toBeCloseTo((width['watch-b'] ?? 0) / 2, 0);
      expect(width['watch-a']).toBeCloseTo(((width['watch-b'] ?? 0) * 1_300) / 1_500, 0);
    } finally {
      await context.close();
    }
  });
});
