import { describe, expect, it } from 'vitest';
import { formatBytes, formatNumber, formatUsd } from '../../src/report/format.js';
import { barChart } from '../../src/report/svg-chart.js';
import { textTable } from '../../src/report/table.js';

describe('textTable()', () => {
  it('aligns columns, numbers to the right', () => {
    // Act
    const text = textTable(
      [{ header: 'layout' }, { header: 'WRU', right: true }],
      [
        ['per-sample', '50.0'],
        ['per-second-avro', '1.00'],
      ],
    );
    // Assess
    expect(text.split('\n')).toEqual([
      'layout            WRU',
      '---------------  ----',
      'per-sample       50.0',
      'per-second-avro  1.00',
    ]);
  });
});

describe('formatters', () => {
  it('print numbers, dollars and bytes for people', () => {
    // Assess
    expect(formatNumber(166264.6)).toBe('166,265');
    expect(formatNumber(45.53)).toBe('45.5');
    // Counts print as integers.
    expect(formatNumber(80)).toBe('80');
    expect(formatNumber(12_000)).toBe('12,000');
    expect(formatUsd(4385.78)).toBe('$4,386');
    expect(formatNumber(0.2615)).toBe('0.262');
    expect(formatUsd(82.125)).toBe('$82.13');
    expect(formatUsd(0.0096)).toBe('$0.0096');
    expect(formatBytes(1024 ** 2 * 28)).toBe('28.0 MB');
  });
});

describe('barChart()', () => {
  it('draws one bar per value with a positive width, also on a log axis', () => {
    // Act
    const svg = barChart({
      title: 'units',
      axisLabel: 'WRU',
      log: true,
      bars: [
        { label: 'a', value: 50, color: '#f00' },
        { label: 'b <&>', value: 0.185, color: '#0f0' },
      ],
    });
    // Assess
    const widths = [...svg.matchAll(/class="bar"[^>]* width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toHaveLength(2);
    expect(widths[0]!).toBeGreaterThan(widths[1]!);
    expect(widths[1]!).toBeGreaterThan(0);
    expect(svg).toContain('b &#60;&#38;&#62;');
    expect(svg).toContain('(log scale)');
  });
});
