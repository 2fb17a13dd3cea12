import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('../../', import.meta.url));

const LAYOUT_KEYS = [
  'layout',
  'payloadBytesPerSample',
  'meanItemBytes',
  'maxItemBytes',
  'itemsPerDeviceHour',
  'wruPerDeviceSecond',
  'wruPerDeviceSecondMeasured',
  'rruPerDeviceHour',
  'storageBytesPerDeviceDay',
  'usdPerDeviceMonth',
  'encodeNsPerSample',
  'decodeNsPerSample',
];
const STRATEGY_KEYS = [
  'strategy',
  'layout',
  'items',
  'samples',
  'seconds',
  'itemsPerSecond',
  'samplesPerSecond',
  'writeUnits',
];

describe('secondrow-bench --json', () => {
  it('prints the stable JSON shape on stdout', () => {
    // Act
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli.ts',
        '--json',
        '--quiet',
        '--layouts',
        'per-sample,per-second-avro,window-avro-10',
        '--strategies',
        'batch-write,sample-store',
        '--measure-items',
        '200',
        '--strategy-items',
        '50',
        '--strategy-samples',
        '1000',
      ],
      { cwd: packageDir, encoding: 'utf8', timeout: 55_000 },
    );
    // Assess
    expect(run.status, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['layouts', 'strategies', 'prices', 'data']));

    const layouts = json.layouts as Record<string, unknown>[];
    expect(layouts.map((l) => l.layout)).toEqual(['per-sample', 'per-second-avro', 'window-avro-10']);
    for (const layout of layouts) {
      expect(Object.keys(layout)).toEqual(expect.arrayContaining(LAYOUT_KEYS));
      for (const key of LAYOUT_KEYS.filter((k) => k !== 'layout' && k !== 'usdPerDeviceMonth')) {
        expect(typeof layout[key], key).toBe('number');
        expect(Number.isFinite(layout[key]), key).toBe(true);
      }
      const usd = layout.usdPerDeviceMonth as Record<string, unknown>;
      expect(Object.keys(usd).sort()).toEqual(['reads', 'storage', 'total', 'writes']);
      expect(Object.values(usd).every((v) => typeof v === 'number')).toBe(true);
    }

    const strategies = json.strategies as Record<string, unknown>[];
    expect(strategies.map((s) => `${s.strategy}/${s.layout}`)).toEqual([
      'batch-write/per-sample',
      'batch-write/per-second-avro',
      'sample-store/per-second-avro',
      'batch-write/window-avro-10',
      'sample-store/window-avro-10',
    ]);
    for (const strategy of strategies) {
      expect(Object.keys(strategy)).toEqual(expect.arrayContaining(STRATEGY_KEYS));
      expect(strategy.items as number).toBeGreaterThan(0);
      expect(strategy.writeUnits as number).toBeGreaterThan(0);
    }

    const prices = json.prices as Record<string, unknown>;
    expect(prices).toMatchObject({ region: 'us-east-1', onDemandWriteUsdPerMillion: 0.625 });
    expect(json.data).toMatchObject({ kind: 'recordings', devices: 1, samples: 3002 });
  });

  it('exits with status 2 and names the flag on a bad argument', () => {
    // Act
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--fleet', 'many'], {
      cwd: packageDir,
      encoding: 'utf8',
      timeout: 30_000,
    });
    // Assess
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--fleet');
  });
});
